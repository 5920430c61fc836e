// The live tail of one topic through the browser's own EventSource. The browser keeps the
// last event id and, when the connection drops, reconnects by itself and sends it back as
// Last-Event-ID: the node resumes right after it. Control events are shown in place:
// fanout.lagged (events this tab's stream lost), fanout.reset (the position could not be
// honoured), fanout.connected and fanout.shutdown.

import { describeFailure, eventsUrl, request, topicPath } from './api.js';
import { clock, el, shorten } from './dom.js';

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
    this.source = null;
    this.handlers = new Map();
    this.resetCounts();
  }

  get topic() {
    return this.source ? this.currentTopic : null;
  }

  start(topic, types) {
    this.stop();
    this.currentTopic = topic;
    this.cursor = null;
    this.lost = false;
    const source = new EventSource(eventsUrl(topic));
    this.source = source;
    this.handlers = new Map();
    source.addEventListener('open', () => this.setState('open'));
    source.addEventListener('error', () => this.onError(source));
    source.addEventListener('fanout.connected', e => this.onConnected(e));
    source.addEventListener('fanout.lagged', e => this.onLagged(e));
    source.addEventListener('fanout.reset', e => this.onReset(e));
    source.addEventListener('fanout.shutdown', e => this.onShutdown(e));
    this.listen(types);
    this.setState('connecting');
  }

  stop() {
    if (this.source) {
      this.source.close();
      this.source = null;
      this.setState('stopped');
    }
  }

  clear() {
    this.log.replaceChildren();
    this.resetCounts();
    this.renderCounts();
  }

  // EventSource has no catch-all listener: each event type to show is listened to by name.
  listen(types) {
    if (!this.source) {
      return;
    }
    const wanted = new Set(types.filter(type => type && !type.startsWith('fanout.')));
    for (const [type, handler] of this.handlers) {
      if (!wanted.has(type)) {
        this.source.removeEventListener(type, handler);
        this.handlers.delete(type);
      }
    }
    for (const type of wanted) {
      if (!this.handlers.has(type)) {
        const handler = e => this.onEvent(e);
        this.source.addEventListener(type, handler);
        this.handlers.set(type, handler);
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
        this.unheard(this.cursor.seq + 1, position.seq - 1);
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
      this.unheard(this.cursor.seq + 1, data.fromSeq - 1);
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
    this.control('shutdown', 'shutdown', `node ${data.node ?? '?'} is going away: the browser reconnects by itself with Last-Event-ID`);
  }

  onError(source) {
    if (source !== this.source) {
      return;
    }
    if (source.readyState === EventSource.CONNECTING) {
      this.setState('reconnecting');
      if (!this.lost) {
        this.lost = true;
        this.control('disconnected', 'disconnected', 'the browser reconnects by itself and sends Last-Event-ID');
      }
      return;
    }
    this.setState('closed');
    const topic = this.currentTopic;
    this.control('closed', 'closed', 'the node refused the stream; press Tail to try again');
    // EventSource does not say why; the same request as JSON does.
    request('GET', topicPath(topic)).then(
      result => {
        if (!result.ok) {
          this.control('closed', 'reason', describeFailure(result));
        }
      },
      error => this.control('closed', 'reason', `node unreachable: ${error.message}`));
  }

  unheard(fromSeq, toSeq) {
    const missed = toSeq - fromSeq + 1;
    this.counts.unheard += missed;
    this.control('unheard', 'not shown', `seq ${fromSeq}–${toSeq}: ${count(missed, 'event')} of types this page does not listen to (add them under Types)`);
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
    this.counts = { events: 0, lagged: 0, dropped: 0, resets: 0, connects: 0, unheard: 0, duplicates: 0 };
  }

  renderCounts() {
    const c = this.counts;
    const parts = [count(c.events, 'event'), `${c.lagged} lagged (${c.dropped} dropped)`, count(c.resets, 'reset'), count(c.connects, 'connect')];
    if (c.unheard > 0) {
      parts.push(`${c.unheard} not shown`);
    }
    if (c.duplicates > 0) {
      parts.push(`${c.duplicates} duplicates`);
    }
    this.countersView.textContent = parts.join(' · ');
  }
}
