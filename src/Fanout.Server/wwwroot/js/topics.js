// The topics table: GET /topics every POLL_MS, with an event rate per topic computed from
// the change of lastSeq between two polls (a changed epoch or a lower seq restarts it).

import { describeFailure, request } from './api.js';
import { clock, el } from './dom.js';

const POLL_MS = 2000;

export class TopicsPanel {
  constructor({ body, status, onPick }) {
    this.body = body;
    this.status = status;
    this.onPick = onPick;
    this.previous = new Map();
  }

  start() {
    this.poll();
  }

  async poll() {
    try {
      await this.refresh();
    } catch (error) {
      this.status.textContent = `Node unreachable: ${error.message}`;
    } finally {
      setTimeout(() => this.poll(), POLL_MS);
    }
  }

  async refresh() {
    const result = await request('GET', '/topics');
    if (!result.ok || !Array.isArray(result.json?.topics)) {
      this.status.textContent = `GET /topics failed: ${describeFailure(result)}`;
      return;
    }

    const now = performance.now();
    const seen = new Map();
    const rows = result.json.topics.map(topic => {
      const rate = this.rate(topic, now);
      seen.set(topic.topic, { epoch: topic.epoch, lastSeq: topic.lastSeq, at: now });
      return this.row(topic, rate);
    });
    this.previous = seen;

    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { className: 'muted', text: 'No topics yet: publish one below.' })));
      rows[0].firstChild.colSpan = 5;
    }
    this.body.replaceChildren(...rows);
    const truncated = result.json.truncated ? ' (list truncated by the node)' : '';
    this.status.textContent = `${result.json.topics.length} ${result.json.topics.length === 1 ? 'topic' : 'topics'}${truncated} · updated ${clock()}`;
  }

  rate(topic, now) {
    const before = this.previous.get(topic.topic);
    if (!before || before.epoch !== topic.epoch || topic.lastSeq < before.lastSeq) {
      return null;
    }
    const seconds = (now - before.at) / 1000;
    return seconds > 0 ? (topic.lastSeq - before.lastSeq) / seconds : null;
  }

  row(topic, rate) {
    const history = topic.history ?? {};
    const span = history.events > 0 ? `${history.fromSeq}–${history.toSeq}` : 'empty';
    const pick = el('button', {
      className: 'link',
      text: topic.topic,
      title: 'Tail this topic',
      onClick: () => this.onPick(topic.topic),
    });
    return el('tr', { data: { topic: topic.topic } },
      el('td', {}, pick),
      el('td', { className: 'num', text: topic.subscribers }),
      el('td', { className: 'num', text: topic.lastSeq }),
      el('td', { className: 'num rate', text: rate === null ? '—' : rate.toFixed(1) }),
      el('td', { className: 'num', text: span, title: `${history.events ?? 0} events, ${history.bytes ?? 0} bytes` }));
  }
}
