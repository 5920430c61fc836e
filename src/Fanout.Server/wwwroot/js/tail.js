// The live tail of one topic. The stream is read with fetch (js/sse.js), not EventSource,
// so every event shows whatever its type. The page keeps the last event id and, when the
// connection drops, reconnects after the node's retry: delay with it as Last-Event-ID: the
// node resumes right after it. Control events are shown in place: fanout.lagged (events
// this tab's stream lost), fanout.reset (the position could not be honoured),
// fanout.connected and fanout.shutdown.

import { authHeaders, describeFailure, eventsPath } from './api.js';
import { clock, el, shorten } from './dom.js';
import { EventStream } from './sse.js';

const MAX_ROWS = 500;
const MAX_DATA_CHARS = 240;

// A single-topic id is "epoch-seq" (docs/protocol.md); the page only compares seqs.
function parseCursor(id) {
  const at = id.lastIndexOf('-');
  if (at <= 0) {
    return null;
  }
  const seq = Number(id.slice(at + 1));
  return Number.isSafeInteger(seq) ? { epoch: id.slice(0, at), seq } : null;
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function parseJson(text) {
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}

export class Tail {
  constructor({ log, state, counters }) {
    this.log = log;
    this.stateView = state;
    this.countersView = counters;
    this.stream = null;
    this.resetCounts();
  }

  get topic() {
    return this.stream ? this.currentTopic : null;
  }

  start(topic) {
    this.stop();
    this.currentTopic = topic;
    this.cursor = null;
    this.lost = false;
    this.stream = new EventStream({
      url: eventsPath(topic),
      headers: authHeaders,
      onOpen: () => this.setState('open'),
      onEvent: e => this.dispatch(e),
      onDrop: delay => this.onDrop(delay),
      onRefused: (status, json, retrying) => this.onRefused(status, json, retrying),
    });
    this.setState('connecting');
  }

  stop() {
    if (this.stream) {
      this.stream.close();
      this.stream = null;
      this.setState('stopped');
    }
  }

  clear() {
    this.log.replaceChildren();
    this.resetCounts();
    this.renderCounts();
  }

  dispatch(e) {
    switch (e.type) {
      case 'fanout.connected':
        this.onConnected(e);
        break;
      case 'fanout.lagged':
        this.onLagged(e);
        break;
      case 'fanout.reset':
        this.onReset(e);
        break;
      case 'fanout.shutdown':
        this.onShutdown(e);
        break;
      default:
        if (e.type.startsWith('fanout.')) {
          // A control event this page does not know yet: shown, not interpreted.
          this.control('other', e.type, shorten(e.data, MAX_DATA_CHARS));
        } else {
          this.onEvent(e);
        }
    }
  }

  onEvent(e) {
    const position = parseCursor(e.lastEventId);
    let kind = 'event';
    if (position && this.cursor && position.epoch === this.cursor.epoch) {
      if (position.seq <= this.cursor.seq) {
        kind = 'duplicate';
        this.counts.duplicates++;
      } else if (position.seq > this.cursor.seq + 1) {
        this.gap(this.cursor.seq + 1, position.seq - 1);
      }
    }
    if (position && kind === 'event') {
      this.cursor = position;
    }
    this.counts.events++;
    this.add(el('li', { className: `row ${kind}`, data: { kind, id: e.lastEventId, type: e.type, seq: position?.seq ?? '' } },
      el('span', { className: 'time', text: clock() }),
      el('span', { className: 'id', text: e.lastEventId }),
      el('span', { className: 'type', text: e.type }),
      el('span', { className: 'data', text: shorten(e.data, MAX_DATA_CHARS), title: shorten(e.data, 4000) })));
  }

  onConnected(e) {
    const data = parseJson(e.data);
    const position = parseCursor(e.lastEventId);
    // On a resume the page keeps its own position, so a replayed event it already showed is caught as a duplicate.
    const keep = data.resumed === true && this.cursor && position && this.cursor.epoch === position.epoch;
    if (!keep) {
      this.cursor = position;
    }
    this.lost = false;
    this.counts.connects++;
    const how = data.resumed === true ? 'resumed after the last event id' : 'new stream, from now on';
    this.control('connected', 'connected', `node ${data.node ?? '?'} · ${how}`, { resumed: data.resumed === true });
  }

  onLagged(e) {
    const data = parseJson(e.data);
    if (this.cursor && Number.isSafeInteger(data.fromSeq) && data.fromSeq > this.cursor.seq + 1) {
      this.gap(this.cursor.seq + 1, data.fromSeq - 1);
    }
    if (this.cursor && Number.isSafeInteger(data.toSeq)) {
      this.cursor = { epoch: this.cursor.epoch, seq: Math.max(this.cursor.seq, data.toSeq) };
    }
    this.counts.lagged++;
    this.counts.dropped += Number.isSafeInteger(data.dropped) ? data.dropped : 0;
    this.control('lagged', 'lagged',
      `${count(data.dropped, 'event')} dropped (seq ${data.fromSeq}–${data.toSeq}): this tab read too slowly, the node's bounded mailbox let go of the oldest`,
      { fromSeq: data.fromSeq, toSeq: data.toSeq, dropped: data.dropped });
  }

  onReset(e) {
    const data = parseJson(e.data);
    this.cursor = parseCursor(e.lastEventId);
    this.counts.resets++;
    this.control('reset', 'reset', `${data.reason ?? 'unknown reason'}: the node cannot continue from the last id; reload your state`,
      { reason: data.reason ?? '' });
  }

  onShutdown(e) {
    const data = parseJson(e.data);
    this.control('shutdown', 'shutdown', `node ${data.node ?? '?'} is going away: the page reconnects with Last-Event-ID`);
  }

  onDrop(delay) {
    this.setState('reconnecting');
    if (!this.lost) {
      this.lost = true;
      this.control('disconnected', 'disconnected', `the page reconnects in ${delay} ms and sends Last-Event-ID`);
    }
  }

  onRefused(status, json, retrying) {
    const reason = describeFailure({ status, json });
    if (retrying) {
      this.setState('reconnecting');
      this.control('refused', 'refused', `${reason}: trying again`);
      return;
    }
    this.setState('closed');
    this.control('closed', 'closed', 'the node refused the stream; press Tail to try again');
    this.control('closed', 'reason', reason);
  }

  // Should never show: with every type on screen, only a lagged marker may skip seqs.
  gap(fromSeq, toSeq) {
    const missed = toSeq - fromSeq + 1;
    this.counts.gaps += missed;
    this.control('gap', 'gap', `seq ${fromSeq}–${toSeq}: ${count(missed, 'event')} neither shown nor reported as lagged`);
  }

  control(kind, label, text, data = {}) {
    this.add(el('li', { className: `row control ${kind}`, data: { kind, ...data } },
      el('span', { className: 'time', text: clock() }),
      el('span', { className: 'badge', text: label }),
      el('span', { className: 'text', text })));
  }

  add(row) {
    const log = this.log;
    const following = log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
    log.append(row);
    while (log.childElementCount > MAX_ROWS) {
      log.firstElementChild.remove();
    }
    if (following) {
      log.scrollTop = log.scrollHeight;
    }
    this.renderCounts();
  }

  setState(state) {
    this.stateView.textContent = state;
    this.stateView.dataset.state = state;
  }

  resetCounts() {
    this.counts = { events: 0, lagged: 0, dropped: 0, resets: 0, connects: 0, gaps: 0, duplicates: 0 };
  }

  renderCounts() {
    const c = this.counts;
    const parts = [count(c.events, 'event'), `${c.lagged} lagged (${c.dropped} dropped)`, count(c.resets, 'reset'), count(c.connects, 'connect')];
    if (c.gaps > 0) {
      parts.push(`${c.gaps} in gaps`);
    }
    if (c.duplicates > 0) {
      parts.push(`${c.duplicates} duplicates`);
    }
    this.countersView.textContent = parts.join(' · ');
  }
}
