// The slowest subscribers, from the admin API (GET /admin/subscribers, slowest first, and
// DELETE /admin/subscribers/{id} to close one). A node without that API answers 404: the
// table stays hidden with a note, and the page asks again now and then.

import { describeFailure, request } from './api.js';
import { age, clock, el, shorten } from './dom.js';

const POLL_MS = 2000;
const UNAVAILABLE_POLL_MS = 30000;
const SHOWN = 10;

export class SubscribersPanel {
  constructor({ table, body, note }) {
    this.table = table;
    this.body = body;
    this.note = note;
    this.timer = 0;
  }

  start() {
    this.poll();
  }

  restart() {
    clearTimeout(this.timer);
    this.poll();
  }

  async poll() {
    let next = POLL_MS;
    try {
      next = await this.refresh();
    } catch (error) {
      this.unavailable(`Node unreachable: ${error.message}`);
    } finally {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.poll(), next);
    }
  }

  async refresh() {
    const result = await request('GET', '/admin/subscribers');
    if (result.status === 404) {
      this.unavailable('This node has no admin API (GET /admin/subscribers answered 404): slow subscribers cannot be listed.');
      return UNAVAILABLE_POLL_MS;
    }
    if (result.status === 401 || result.status === 403) {
      this.unavailable(`The admin view needs a token with the admin permission (${describeFailure(result)}).`);
      return UNAVAILABLE_POLL_MS;
    }
    if (!result.ok || !Array.isArray(result.json?.subscribers)) {
      this.unavailable(`GET /admin/subscribers failed: ${describeFailure(result)}`);
      return POLL_MS;
    }

    // The node lists them slowest first, across the cluster; members that did not answer
    // in time are named, so a partial list is not mistaken for the whole.
    const all = result.json.subscribers;
    const missing = Array.isArray(result.json.unansweredMembers) ? result.json.unansweredMembers : [];
    this.body.replaceChildren(...all.slice(0, SHOWN).map(s => this.row(s)));
    this.table.hidden = all.length === 0;
    this.note.dataset.state = 'available';
    this.note.textContent = all.length === 0
      ? `No subscribers · updated ${clock()}`
      : `${Math.min(SHOWN, all.length)} of ${all.length}, slowest first · updated ${clock()}`;
    if (missing.length > 0) {
      this.note.textContent += ` · no answer from ${missing.join(', ')}`;
    }
    return POLL_MS;
  }

  unavailable(text) {
    this.table.hidden = true;
    this.body.replaceChildren();
    this.note.dataset.state = 'unavailable';
    this.note.textContent = text;
  }

  row(s) {
    const topics = Array.isArray(s.topics) ? s.topics.join(', ') : String(s.topics ?? '');
    const agent = String(s.userAgent ?? '');
    const dropped = Number(s.dropped) || 0;
    const close = el('button', { text: 'Close', title: 'End this stream (the client reconnects and resumes)' });
    close.addEventListener('click', () => this.close(s.id, close));
    return el('tr', { data: { id: s.id } },
      el('td', { className: 'mono', text: s.id }),
      el('td', { text: s.node ?? '' }),
      el('td', { text: topics }),
      el('td', { className: 'mono', text: s.remoteAddress ?? '' }),
      el('td', { text: shorten(agent, 48), title: agent }),
      el('td', { text: age(s.connectedAt), title: s.connectedAt ?? '' }),
      el('td', { className: 'num', text: s.delivered ?? 0 }),
      el('td', { className: dropped > 0 ? 'num dropped' : 'num', text: dropped }),
      el('td', { className: 'num', text: s.mailboxDepth ?? 0 }),
      el('td', { text: age(s.lastWriteAt), title: s.lastWriteAt ?? '' }),
      el('td', {}, close));
  }

  async close(id, button) {
    button.disabled = true;
    try {
      const result = await request('DELETE', '/admin/subscribers/' + encodeURIComponent(String(id)));
      if (!result.ok) {
        this.note.textContent = `Closing ${id} failed: ${describeFailure(result)}`;
      }
    } catch (error) {
      this.note.textContent = `Node unreachable: ${error.message}`;
    }
    this.restart();
  }
}
