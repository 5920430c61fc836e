// An SSE stream read with fetch, because the browser's EventSource only delivers event
// types it listens to by name and so cannot show a topic's events whatever their type.
// SseParser follows the HTML standard's event-stream parsing rules; EventStream adds what
// EventSource does around it: a Last-Event-ID header on every reconnect, the server's
// retry: delay, and no reconnect when the node refuses the stream.

// Splits text into lines (CRLF, CR or LF) and lines into events, as the standard says:
// "data" lines join with \n, "event" names the type (default "message"), "id" sets the
// last event id unless it holds a NUL, "retry" (digits only) sets the reconnection delay,
// lines starting with ':' are comments, a blank line dispatches.
export class SseParser {
  // lastEventId: the id a reconnect resumes from, kept until the stream sends another.
  constructor({ onEvent, onRetry, lastEventId = '' }) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.decoder = new TextDecoder();
    this.buffer = '';
    this.first = true;
    this.lastEventId = lastEventId;
    this.resetEvent();
  }

  resetEvent() {
    this.type = '';
    this.data = [];
    this.pendingId = this.lastEventId;
  }

  // Feeds bytes as they arrive; lines and events may be split anywhere.
  push(bytes) {
    this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  feed(text) {
    this.buffer += text;
    if (this.first && this.buffer.length > 0) {
      this.first = false;
      if (this.buffer.charCodeAt(0) === 0xfeff) {
        this.buffer = this.buffer.slice(1);
      }
    }
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') {
        continue;
      }
      if (c === '\r' && i === this.buffer.length - 1) {
        break; // a CR at the end may be the first half of a CRLF: wait for the next chunk
      }
      this.line(this.buffer.slice(start, i));
      if (c === '\r' && this.buffer[i + 1] === '\n') {
        i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.pendingId = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) {
          this.onRetry(Number(value));
        }
        break;
      default:
        break;
    }
  }

  dispatch() {
    this.lastEventId = this.pendingId;
    if (this.data.length > 0) {
      this.onEvent({ type: this.type || 'message', data: this.data.join('\n'), lastEventId: this.lastEventId });
    }
    this.resetEvent();
  }
}

const MAX_BACKOFF_MS = 30_000;

// One logical stream over many connections. Callbacks:
//   onOpen()                       a 200 text/event-stream answer arrived
//   onEvent({type, data, lastEventId})
//   onDrop(delayMs)                the connection was lost; the next attempt follows after delayMs
//   onRefused(status, json, retrying)  the node answered something else: no reconnect (as
//                                  EventSource), except for 503 (draining or full), which is
//                                  tried again after its Retry-After (retrying is then true)
export class EventStream {
  constructor({ url, headers, onOpen, onEvent, onDrop, onRefused }) {
    this.url = url;
    this.headers = headers;
    this.onOpen = onOpen;
    this.onEvent = onEvent;
    this.onDrop = onDrop;
    this.onRefused = onRefused;
    this.lastEventId = '';
    this.retryMs = 3000;
    this.failures = 0;
    this.closed = false;
    this.abort = null;
    this.timer = null;
    this.connect();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort?.abort();
  }

  async connect() {
    if (this.closed) {
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    const headers = { Accept: 'text/event-stream', ...this.headers() };
    if (this.lastEventId) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    let response;
    try {
      response = await fetch(this.url, { headers, cache: 'no-store', signal: abort.signal });
    } catch {
      this.dropped();
      return;
    }
    if (this.closed) {
      return;
    }
    const type = response.headers.get('Content-Type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/event-stream')) {
      await this.refused(response);
      return;
    }

    this.failures = 0;
    this.onOpen();
    const parser = new SseParser({
      onEvent: event => {
        this.lastEventId = event.lastEventId;
        if (!this.closed) {
          this.onEvent(event);
        }
      },
      onRetry: ms => {
        this.retryMs = ms;
      },
      lastEventId: this.lastEventId,
    });
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.closed) {
          break;
        }
        parser.push(value);
      }
    } catch {
      // A reset connection, an aborted read: both end this connection like the end of the body.
    }
    // An id: without data still counts, as in EventSource.
    this.lastEventId = parser.lastEventId;
    this.dropped();
  }

  async refused(response) {
    const text = await response.text().catch(() => '');
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (this.closed) {
      return;
    }
    if (response.status === 503) {
      const after = Number(response.headers.get('Retry-After'));
      this.onRefused(response.status, json, true);
      this.schedule(Number.isFinite(after) && after > 0 ? after * 1000 : this.retryMs);
      return;
    }
    this.closed = true;
    this.onRefused(response.status, json, false);
  }

  dropped() {
    if (this.closed) {
      return;
    }
    // The node's retry: on the first attempt, then doubling while attempts keep failing.
    const delay = Math.min(MAX_BACKOFF_MS, this.retryMs * 2 ** Math.min(this.failures, 5));
    this.failures++;
    this.onDrop(delay);
    this.schedule(delay);
  }

  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
