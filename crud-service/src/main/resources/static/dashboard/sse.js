// The event stream (GET /api/v1/events/stream) read with fetch(): EventSource cannot send an Authorization header,
// and the token must never go into an address. SseParser follows the WHATWG "server-sent events" parsing rules;
// EventStream reconnects with backoff and resumes with Last-Event-ID.

/**
 * Turns the text of an event stream, in chunks cut anywhere, into events {id, type, data}. Comment lines
 * (keep-alives) are skipped; an event without data is not dispatched (its id still counts, as in a browser's
 * EventSource); `retry:` is handed to onRetry.
 */
export class SseParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = '';
    this.afterCarriageReturn = false;
    this.lastEventId = '';
    this.reset();
  }

  reset() {
    this.type = '';
    this.data = [];
    this.hasData = false;
  }

  push(text) {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n' && this.afterCarriageReturn && i === start) {
        // the \n of a \r\n whose \r ended the previous line
        this.afterCarriageReturn = false;
        start = i + 1;
        continue;
      }
      this.afterCarriageReturn = false;
      if (c === '\r' || c === '\n') {
        this.line(this.buffer + text.slice(start, i));
        this.buffer = '';
        this.afterCarriageReturn = c === '\r';
        start = i + 1;
      }
    }
    this.buffer += text.slice(start);
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
    if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    }
    else if (field === 'event') {
      this.type = value;
    }
    else if (field === 'id') {
      if (!value.includes('\0')) {
        this.lastEventId = value;
      }
    }
    else if (field === 'retry') {
      if (/^\d+$/.test(value)) {
        this.onRetry(Number(value));
      }
    }
  }

  dispatch() {
    if (this.hasData) {
      this.onEvent({ id: this.lastEventId, type: this.type || 'message', data: this.data.join('\n') });
    }
    this.reset();
  }
}

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;

/**
 * A stream that stays connected: after an error or the end of a response it waits (1 s, doubling up to 30 s, with
 * jitter; back to the first delay once a connection delivered something; at least a 429's Retry-After) and
 * reconnects with the last event id it saw. A 400 for that id makes it start without one, after a 'stream.reset'
 * event of its own. A 401 stops it for good (onUnauthorized). onState gets 'connecting', 'live' or 'retrying' (with
 * the delay).
 */
export class EventStream {
  constructor({ url, token, onEvent, onState = () => {}, onUnauthorized = () => {} }) {
    this.url = url;
    this.token = token;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onUnauthorized = onUnauthorized;
    this.lastEventId = '';
    this.delay = FIRST_DELAY_MS;
    this.serverDelay = null;
    this.controller = null;
    this.closed = false;
  }

  start() {
    this.run();
    return this;
  }

  close() {
    this.closed = true;
    this.controller?.abort();
    clearTimeout(this.timer);
  }

  async run() {
    while (!this.closed) {
      this.onState('connecting');
      let received = false;
      try {
        received = await this.connectOnce();
      }
      catch (error) {
        if (this.closed) {
          return;
        }
        if (error instanceof StreamRefused && error.status === 401) {
          this.closed = true;
          this.onUnauthorized();
          return;
        }
        if (error instanceof StreamRefused && error.status === 400 && this.lastEventId) {
          // an id the server never gave out (its events were reset): start afresh, and say so
          this.lastEventId = '';
          this.onEvent({ id: '', type: 'stream.reset', data: '' });
        }
        if (error instanceof StreamRefused && error.retryAfterSeconds) {
          this.delay = Math.max(this.delay, Math.min(error.retryAfterSeconds * 1000, MAX_DELAY_MS));
        }
        console.warn('event stream:', error.message);
      }
      if (this.closed) {
        return;
      }
      if (received) {
        this.delay = FIRST_DELAY_MS;
      }
      const base = this.serverDelay ?? this.delay;
      const wait = Math.round(base * (0.75 + Math.random() * 0.5));
      this.onState('retrying', wait);
      await new Promise((resolve) => {
        this.timer = setTimeout(resolve, wait);
      });
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    }
  }

  /** One connection, read to its end; whether it delivered anything. */
  async connectOnce() {
    this.controller = new AbortController();
    const headers = { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' };
    if (this.lastEventId) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    const response = await fetch(this.url, { headers, cache: 'no-store', signal: this.controller.signal });
    if (!response.ok || !(response.headers.get('Content-Type') || '').startsWith('text/event-stream')) {
      throw new StreamRefused(response.status, Number(response.headers.get('Retry-After')) || 0);
    }
    this.onState('live');
    let received = false;
    const parser = new SseParser((event) => {
      received = true;
      this.onEvent(event);
    }, (retry) => {
      this.serverDelay = Math.min(Math.max(retry, 500), MAX_DELAY_MS);
    });
    parser.lastEventId = this.lastEventId;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          return received;
        }
        received = received || value.length > 0;
        parser.push(value);
        this.lastEventId = parser.lastEventId;
      }
    }
    finally {
      reader.releaseLock();
    }
  }
}

class StreamRefused extends Error {
  constructor(status, retryAfterSeconds) {
    super(`the event stream answered ${status}`);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
