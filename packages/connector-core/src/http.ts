import { STATUS_CODES } from 'node:http';
import type { Agent, Dispatcher } from 'undici';
import { ConnectorError } from './errors.js';
import { errorCodeForStatus, HTTP_STATUS_MEANINGS } from './http-status.js';
import { sleep } from './poll.js';
import { redactHeaders, redactUrl, redactValues } from './redact.js';
import { errorText, sanitizeError } from './sanitize.js';

/**
 * The HTTP transport every connector uses (undici underneath). One transport per connector
 * instance: a keep-alive connection pool, connect and request timeouts on by default, retries with
 * exponential backoff and full jitter, Retry-After honoured, requests in flight capped by the
 * instance's `max.iaas.workers`, and HTTP failures mapped to ConnectorError codes.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Uint8Array | undefined;
  /**
   * Whether repeating the request is harmless. Defaults from the method (GET, HEAD, PUT, DELETE
   * are); set it when the protocol says otherwise, e.g. CloudStack's `deployVirtualMachine` sent
   * as GET is not idempotent, an EC2 `RunInstances` with a ClientToken is.
   */
  readonly idempotent?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Overrides the transport's request timeout for this request. */
  readonly timeoutMs?: number | undefined;
  /** Values scrubbed from debug events and error messages: the session's secrets. */
  readonly secrets?: readonly string[] | undefined;
  /** Statuses the caller interprets itself: they resolve instead of throwing. */
  readonly acceptStatus?: readonly number[] | undefined;
  /**
   * Turns a failed response into the connector's own error (it parses the cloud's error body).
   * Returning undefined falls back to the status-based mapping.
   */
  readonly mapError?: ((response: HttpResponse) => ConnectorError | undefined) | undefined;
  /**
   * Authenticates the request: a signature, a token header. Called before every attempt, so that
   * a retry is signed afresh (signatures carry a time; tokens get renewed), and before the
   * attempt waits for a concurrency slot, so that fetching a token through this same transport
   * cannot wait on itself. Secrets it returns are scrubbed like the request's own.
   */
  readonly sign?:
    | ((request: OutgoingRequest, signal: AbortSignal | undefined) => Signature | Promise<Signature>)
    | undefined;
}

/** A request as it is about to be signed. */
export interface OutgoingRequest {
  readonly method: HttpMethod;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
}

/** What signing changes: a URL or body that now carries the signature, headers to add, and the new secrets. */
export interface Signature {
  readonly url?: URL | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly body?: string | Uint8Array | undefined;
  /** The signature or token values, scrubbed from events and errors. */
  readonly secrets?: readonly string[] | undefined;
}

export interface HttpResponse {
  readonly status: number;
  /** Lowercased header names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  /** The body decoded as UTF-8. */
  readonly body: string;
  /** The URL that answered, secret query parameters and values redacted: safe for messages. */
  readonly url: string;
  /** Parses the body as JSON; a malformed body is CLOUD_ERROR naming the URL, not a SyntaxError. */
  json<T = unknown>(): T;
}

export interface HttpDebugEvent {
  readonly type: 'request' | 'response' | 'retry' | 'failure';
  readonly method: HttpMethod;
  /** Redacted URL. */
  readonly url: string;
  readonly attempt: number;
  readonly status?: number;
  readonly durationMs?: number;
  /** Redacted request headers (on `request`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Delay before the next attempt (on `retry`). */
  readonly delayMs?: number;
  /** Error code (on `failure` and `retry` after a network error). */
  readonly code?: string;
}

export interface HttpTransportOptions {
  readonly connector?: string | undefined;
  readonly instance?: string | undefined;
  /** Requests in flight at once across all origins; the instance's `max.iaas.workers`. Default 5. */
  readonly maxConcurrency?: number | undefined;
  /** Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
  /** Whole request including the body; default 60 s. */
  readonly requestTimeoutMs?: number | undefined;
  /** Retries after the first attempt; default 3. */
  readonly retries?: number | undefined;
  /** First backoff step; default 250 ms, doubling per attempt, full jitter. */
  readonly backoffBaseMs?: number | undefined;
  /** Cap of one backoff step; default 20 s. */
  readonly backoffMaxMs?: number | undefined;
  /** A Retry-After longer than this is not waited for: the call fails RATE_LIMITED. Default 60 s. */
  readonly maxRetryAfterMs?: number | undefined;
  /** Responses larger than this fail CLOUD_ERROR instead of filling memory. Default 64 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Values scrubbed from every request's events and errors, on top of each request's own
   * `secrets`: core passes the instance's secret parameters here.
   */
  readonly secrets?: readonly string[] | undefined;
  /** Receives redacted events; core wires it to the instance logger at debug level. */
  readonly onDebug?: ((event: HttpDebugEvent) => void) | undefined;
  /** Jitter source, for deterministic tests. Default Math.random. */
  readonly random?: (() => number) | undefined;
}

export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Closes the pool's connections, ending requests still in flight; requests after close fail. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

const DEFAULTS = {
  maxConcurrency: 5,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  retries: 3,
  backoffBaseMs: 250,
  backoffMaxMs: 20_000,
  maxRetryAfterMs: 60_000,
  maxResponseBytes: 64 * 1024 * 1024,
} as const;

/** How much of a (redacted) response body an error message quotes. */
const EXCERPT_CHARS = 200;

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * Statuses the transport repeats any request on, and those it repeats only idempotent requests on
 * (a 502/504 gateway may have forwarded the request before failing): core's status table says.
 */
const retriedOn = (kinds: readonly string[]): ReadonlySet<number> =>
  new Set(
    Object.entries(HTTP_STATUS_MEANINGS)
      .filter(([, meaning]) => kinds.includes(meaning.transportRetries))
      .map(([status]) => Number(status)),
  );
const RETRY_STATUSES_IDEMPOTENT = retriedOn(['any', 'idempotent']);
const RETRY_STATUSES_ANY = retriedOn(['any']);
/** Statuses whose Retry-After we wait for instead of our own backoff. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Failures before a single byte of the request left: safe to retry whatever the method. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** Failures that may have happened after the server got the request: retried if idempotent. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'TIMEOUT', // our own whole-request timeout
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Parses a Retry-After header (delta seconds or an HTTP-date) into milliseconds from `now`.
 * Returns undefined when absent or unparseable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with a day name; checking that keeps V8's lenient Date.parse
  // from reading "1.5" as a day in 2001.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Everything one call needs, resolved once so that each attempt and error agrees on it. */
interface Call {
  readonly request: HttpRequest;
  readonly method: HttpMethod;
  readonly url: URL;
  /**
   * Redacted URL: the only form that appears in events and messages. Worked out when first
   * needed: a listing's requests succeed, unlogged, far more often than anything quotes them.
   */
  readonly safeUrl: string;
  /** Grows with each attempt's signature: an earlier signature stays a secret. */
  readonly secrets: string[];
  readonly idempotent: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  attempt: number;
}

/** What one attempt sends: the call's request as signing left it. */
interface Attempt {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly body: string | Uint8Array | undefined;
}

/** One attempt either got a complete response or failed on the network (incl. our timeout). */
type Outcome =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'network'; readonly code: string; readonly error: ConnectorError };

/** A FIFO semaphore. `acquire` resolves to a release function; an abort while queued rejects. */
function createLimiter(max: number) {
  let active = 0;
  const queue: Array<() => void> = [];

  const release = (): void => {
    // Hand the slot straight to the next waiter so a newcomer cannot jump the queue.
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  const releaseOnce = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };

  return {
    acquire(signal: AbortSignal | undefined, onAbort: () => Error): Promise<() => void> {
      if (signal?.aborted) return Promise.reject(onAbort());
      if (active < max) {
        active++;
        return Promise.resolve(releaseOnce());
      }
      return new Promise((resolve, reject) => {
        const grant = (): void => {
          signal?.removeEventListener('abort', abort);
          resolve(releaseOnce());
        };
        const abort = (): void => {
          const index = queue.indexOf(grant);
          if (index >= 0) queue.splice(index, 1);
          reject(onAbort());
        };
        queue.push(grant);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
  };
}

/** The first characters of a body, secrets scrubbed first so a cut never leaves half a secret. */
function excerpt(body: string, secrets: readonly string[]): string {
  const safe = redactValues(body, secrets).trim();
  return safe.length > EXCERPT_CHARS ? `${safe.slice(0, EXCERPT_CHARS)}…` : safe;
}

/** Lowercased header names, repeated headers joined (undici gives arrays for those). */
function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const maxConcurrency = Math.max(1, Math.floor(options.maxConcurrency ?? DEFAULTS.maxConcurrency));
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const retries = Math.max(0, options.retries ?? DEFAULTS.retries);
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULTS.backoffBaseMs;
  const backoffMaxMs = options.backoffMaxMs ?? DEFAULTS.backoffMaxMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULTS.maxResponseBytes;
  const random = options.random ?? Math.random;
  const who = { connector: options.connector, instance: options.instance };

  // undici is imported on the first request, not when the transport is created: a server booting
  // a hundred instances, or a CLI checking a connector list, never pays for it until it talks to
  // a cloud (importing undici costs about as much as starting Node).
  let agent: Promise<Agent> | undefined;
  const getAgent = (): Promise<Agent> =>
    (agent ??= import('undici').then(
      ({ Agent }) =>
        new Agent({
          connect: { timeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs },
          // Our own timer covers headers and body together; undici's separate ones (300 s by
          // default) would only fire after it, or cut a deliberately longer per-request timeout short.
          headersTimeout: 0,
          bodyTimeout: 0,
        }),
    ));
  const limiter = createLimiter(maxConcurrency);
  let closing: Promise<void> | undefined;
  /** The attempts on the wire, so that close() can end them rather than wait for a hung cloud. */
  const attempts = new Set<AbortController>();

  const emit = (
    call: Pick<Call, 'method' | 'safeUrl' | 'attempt'>,
    event: Omit<HttpDebugEvent, 'method' | 'url' | 'attempt'>,
  ): void => {
    if (!options.onDebug) return;
    try {
      options.onDebug({ method: call.method, url: call.safeUrl, attempt: call.attempt, ...event });
    } catch {
      // A failing log sink must not fail the cloud call.
    }
  };

  const aborted = (call: Call) => (): ConnectorError =>
    new ConnectorError('ABORTED', `${call.method} ${call.safeUrl} was aborted by its caller.`, {
      ...who,
      cause: call.signal?.reason,
    });

  const closedError = (call: Call): ConnectorError =>
    new ConnectorError(
      'CLOUD_UNAVAILABLE',
      `${call.method} ${call.safeUrl} was not sent: the HTTP transport${options.instance ? ` of instance ${options.instance}` : ''} is closed.`,
      { ...who, retryable: false },
    );

  /** Full jitter: anywhere between 0 and the exponential step, so retrying clients spread out. */
  const backoff = (retryIndex: number): number =>
    Math.round(random() * Math.min(backoffMaxMs, backoffBaseMs * 2 ** retryIndex));

  function makeResponse(
    call: Call,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): HttpResponse {
    let parsed: { value: unknown } | undefined;
    return {
      status,
      headers,
      body,
      get url(): string {
        return call.safeUrl;
      },
      json<T = unknown>(): T {
        if (!parsed) {
          try {
            parsed = { value: JSON.parse(body) };
          } catch {
            // No cause: V8's SyntaxError message quotes the body, secrets included.
            const quoted = excerpt(body, call.secrets);
            throw new ConnectorError(
              'CLOUD_ERROR',
              `${call.method} ${call.safeUrl} answered ${status} but the body was not valid JSON${quoted ? `: ${quoted}` : ' (empty body)'}`,
              { ...who, status },
            );
          }
        }
        return parsed.value as T;
      },
    };
  }

  function statusError(call: Call, response: HttpResponse, retryAfterMs: number | undefined): ConnectorError {
    const mapped = call.request.mapError?.(response);
    if (ConnectorError.is(mapped)) return mapped;
    const { status } = response;
    const reason = STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : '';
    const quoted = excerpt(response.body, call.secrets);
    return new ConnectorError(
      errorCodeForStatus(status),
      `${call.method} ${call.safeUrl} answered ${status}${reason}${quoted ? `: ${quoted}` : ''}`,
      { ...who, status, retryAfterMs },
    );
  }

  /** Reads the whole body, refusing to buffer more than maxResponseBytes. */
  async function readBody(call: Call, data: Dispatcher.ResponseData): Promise<string> {
    const tooLarge = (): ConnectorError => {
      // Destroying aborts the transfer (the socket is not reused); undici then emits an
      // AbortError on the stream, which must not surface as an uncaught exception.
      data.body.on('error', () => {});
      data.body.destroy();
      return new ConnectorError(
        'CLOUD_ERROR',
        `${call.method} ${call.safeUrl} answered ${data.statusCode} with a body larger than ${maxResponseBytes} bytes.`,
        { ...who, status: data.statusCode },
      );
    };
    if (Number(data.headers['content-length']) > maxResponseBytes) throw tooLarge();
    // Chunks as they arrive ('data' events), joined once: an async iterator would read the stream
    // in paused mode, where every read joins the chunks buffered so far into a new Buffer, copying
    // a large listing's bytes twice and reading the socket in smaller pieces.
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      const { body } = data;
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) reject(tooLarge());
        else chunks.push(chunk);
      });
      body.once('end', resolve);
      body.once('error', reject);
    });
    return (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)).toString('utf8');
  }

  /** One attempt under the whole-request timeout; network failures come back as an Outcome. */
  /** The request of the next attempt, signed when the caller signs. */
  async function prepareAttempt(call: Call): Promise<Attempt> {
    const { request } = call;
    if (!request.sign) return { url: call.url, headers: request.headers, body: request.body };
    const signature = await request.sign(
      { method: call.method, url: new URL(call.url), headers: { ...request.headers }, body: request.body },
      call.signal,
    );
    for (const secret of signature.secrets ?? []) {
      if (secret !== '' && !call.secrets.includes(secret)) call.secrets.push(secret);
    }
    return {
      url: signature.url ?? call.url,
      headers: { ...request.headers, ...signature.headers },
      body: signature.body ?? request.body,
    };
  }

  async function attemptOnce(call: Call, attempt: Attempt): Promise<Outcome> {
    // One controller per attempt, fired by our timer or by the caller's signal. Linked by hand
    // rather than with AbortSignal.any, which on Node 20 can keep combined signals alive for as
    // long as a long-lived caller signal lives.
    const controller = new AbortController();
    attempts.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const onCallerAbort = (): void => controller.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const signal = controller.signal;
    const started = performance.now();
    // Redacting the headers costs a scan per secret: only for someone listening.
    if (options.onDebug) {
      emit(call, { type: 'request', headers: redactHeaders(attempt.headers ?? {}, call.secrets) });
    }
    try {
      const data = await (await getAgent()).request({
        origin: attempt.url.origin,
        path: `${attempt.url.pathname}${attempt.url.search}`,
        method: call.method,
        headers: attempt.headers,
        body: attempt.body,
        signal,
      });
      // The timer keeps running while the body streams in: a server trickling bytes is a timeout too.
      const body = await readBody(call, data);
      emit(call, {
        type: 'response',
        status: data.statusCode,
        durationMs: Math.round(performance.now() - started),
      });
      return {
        kind: 'response',
        response: makeResponse(call, data.statusCode, normaliseHeaders(data.headers), body),
      };
    } catch (error) {
      // Which signal fired tells caller abort (final) from our timeout (retryable) apart.
      if (call.signal?.aborted) throw aborted(call)();
      if (closing) throw closedError(call);
      if (timedOut) {
        const message = `${call.method} ${call.safeUrl} did not complete within ${call.timeoutMs} ms.`;
        return { kind: 'network', code: 'TIMEOUT', error: new ConnectorError('TIMEOUT', message, who) };
      }
      if (ConnectorError.is(error)) throw error;
      const code = errorCodeOf(error);
      const cause = sanitizeError(error, call.secrets);
      const reason = errorText(error, call.secrets);
      if (code === 'UND_ERR_INVALID_ARG') {
        // Our caller built a request undici refuses (bad header, bad body): no network involved.
        const message = `${call.method} ${call.safeUrl} is invalid: ${reason}`;
        throw new ConnectorError('INVALID_REQUEST', message, { ...who, cause });
      }
      const message = `${call.method} ${call.safeUrl} failed: ${reason} (${code})`;
      return {
        kind: 'network',
        code,
        error: new ConnectorError('CLOUD_UNAVAILABLE', message, { ...who, cause }),
      };
    } finally {
      attempts.delete(controller);
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** The retry loop. The concurrency slot is held for one attempt and released before sleeping. */
  async function run(call: Call): Promise<HttpResponse> {
    const onAbort = aborted(call);
    for (call.attempt = 1; ; call.attempt++) {
      if (call.signal?.aborted) throw onAbort();
      const attempt = await prepareAttempt(call);
      const release = await limiter.acquire(call.signal, onAbort);
      let outcome: Outcome;
      try {
        if (closing) throw closedError(call);
        outcome = await attemptOnce(call, attempt);
      } finally {
        release();
      }
      const retriesLeft = call.attempt <= retries;
      let delayMs: number;

      if (outcome.kind === 'network') {
        const retryable =
          NOT_SENT_CODES.has(outcome.code) || (call.idempotent && TRANSIENT_CODES.has(outcome.code));
        if (!retriesLeft || !retryable) throw outcome.error;
        delayMs = backoff(call.attempt - 1);
        emit(call, { type: 'retry', delayMs, code: outcome.code });
      } else {
        const { response } = outcome;
        const { status } = response;
        if (status < 400 || call.request.acceptStatus?.includes(status)) return response;
        const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
        const retryStatuses = call.idempotent ? RETRY_STATUSES_IDEMPOTENT : RETRY_STATUSES_ANY;
        if (!retriesLeft || !retryStatuses.has(status)) throw statusError(call, response, retryAfterMs);
        if (RETRY_AFTER_STATUSES.has(status) && retryAfterMs !== undefined) {
          // The server named its time: wait exactly that, or give up now if it is too long to
          // hold a caller for (the error carries retryAfterMs so the caller can reschedule).
          if (retryAfterMs > maxRetryAfterMs) throw statusError(call, response, retryAfterMs);
          delayMs = retryAfterMs;
        } else {
          delayMs = backoff(call.attempt - 1);
        }
        emit(call, { type: 'retry', delayMs, status });
      }
      await sleep(delayMs, call.signal, onAbort);
    }
  }

  return {
    async request(request: HttpRequest): Promise<HttpResponse> {
      const secrets = [...(options.secrets ?? []), ...(request.secrets ?? [])];
      let safeUrl: string | undefined;
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        safeUrl = redactUrl(request.url, secrets);
        const error = new ConnectorError(
          'INVALID_REQUEST',
          `${request.method} ${safeUrl} is not a valid URL.`,
          who,
        );
        emit({ method: request.method, safeUrl, attempt: 0 }, { type: 'failure', code: error.code });
        throw error;
      }
      const call: Call = {
        request,
        method: request.method,
        url,
        get safeUrl(): string {
          safeUrl ??= redactUrl(request.url, secrets);
          return safeUrl;
        },
        secrets,
        idempotent: request.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
        timeoutMs: request.timeoutMs ?? requestTimeoutMs,
        signal: request.signal,
        attempt: 0,
      };
      try {
        return await run(call);
      } catch (error) {
        const failure = ConnectorError.is(error) ? error : undefined;
        emit(call, { type: 'failure', code: failure?.code ?? errorCodeOf(error), status: failure?.status });
        throw error;
      }
    },

    close(): Promise<void> {
      // Idempotent: undici rejects a second close of the same Agent. Requests still on the wire
      // are ended (their callers get "closed"): a pool waiting for a cloud that never answers
      // would keep whoever closes it waiting as long.
      closing ??= agent ? agent.then((created) => created.close()) : Promise.resolve();
      for (const controller of attempts) controller.abort();
      return closing;
    },
  };
}
