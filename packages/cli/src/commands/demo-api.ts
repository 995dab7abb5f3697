/**
 * The demo's REST client: it sets the demo up through the server's public API, exactly as a user's
 * script would (log in, create a user, save credentials, launch, list), so the demo also proves
 * that path works. Only loopback URLs are ever given to it.
 */

import { CSRF_HEADER } from '@slipstream/server';
import { EXIT, type ExitStatus } from '../command.js';

/** A failure of the demo: what went wrong and what to do, with the exit status it ends with. */
export class DemoFailure extends Error {
  override readonly name = 'DemoFailure';
  constructor(
    message: string,
    /** A stable code for `--json` output. */
    readonly code: string,
    readonly status: ExitStatus = EXIT.EXTERNAL,
  ) {
    super(message);
  }
}

/** One VM as `GET /api/vms` shows it: the server's record and, once the cloud answers, its view. */
export interface ApiVm {
  readonly instance: string;
  readonly name: string;
  readonly recordState: string;
  readonly cloudId?: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly vm?: {
    readonly id: string;
    readonly state: string;
    readonly rawState: string;
    readonly publicIps: readonly string[];
    readonly privateIps: readonly string[];
  };
}

export interface ApiVmList {
  readonly vms: readonly ApiVm[];
  readonly errors: readonly { readonly instance: string; readonly code: string; readonly message: string }[];
}

export interface ApiConnectorInstance {
  readonly name: string;
  readonly connector: string;
  readonly cloud: string;
  readonly package: string;
  readonly version: string;
}

export interface CatalogItem {
  readonly id: string;
  readonly name: string;
}

/** A logged-in user of the server: the session cookie, and the CSRF token state changes carry. */
export class ApiSession {
  private constructor(
    readonly baseUrl: string,
    readonly user: string,
    private readonly cookie: string,
    private readonly csrfToken: string,
    private readonly signal: AbortSignal,
  ) {}

  static async login(
    baseUrl: string,
    user: string,
    password: string,
    signal: AbortSignal,
  ): Promise<ApiSession> {
    const response = await send(baseUrl, 'POST', '/api/login', {
      signal,
      body: { name: user, password },
    });
    const body = (await readAnswer(response, 'POST /api/login', user)) as { csrfToken?: unknown };
    // The session cookie is the first pair of its Set-Cookie header; its attributes are for browsers.
    const cookie = response.headers.get('set-cookie')?.split(';')[0];
    if (cookie === undefined || typeof body.csrfToken !== 'string') {
      throw new DemoFailure(
        `Logging in as "${user}" at ${baseUrl} gave no session cookie or CSRF token; is that a SlipStream server?`,
        'SERVER_ANSWER',
      );
    }
    return new ApiSession(baseUrl, user, cookie, body.csrfToken, signal);
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') headers[CSRF_HEADER] = this.csrfToken;
    const response = await send(this.baseUrl, method, path, { signal: this.signal, body, headers });
    return (await readAnswer(response, `${method} ${path}`, this.user)) as T;
  }
}

/** `GET /api/health`, which anyone may read. */
export async function health(
  baseUrl: string,
  signal: AbortSignal,
): Promise<{ status: string; instances: string[]; problems: { message: string }[] }> {
  const response = await send(baseUrl, 'GET', '/api/health', { signal });
  return (await readAnswer(response, 'GET /api/health', 'anyone')) as {
    status: string;
    instances: string[];
    problems: { message: string }[];
  };
}

async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { signal: AbortSignal; body?: unknown; headers?: Record<string, string> },
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(new URL(path, baseUrl), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      redirect: 'manual',
    });
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw new DemoFailure(
      `The demo's server at ${baseUrl} did not answer ${method} ${path} (${causeOf(error)}).`,
      'SERVER_UNREACHABLE',
    );
  }
}

/**
 * The answer's JSON, or a DemoFailure with the server's own error message (which says what to
 * fix and never carries a secret). Request bodies are never quoted: they hold passwords and keys.
 */
async function readAnswer(response: Response, what: string, user: string): Promise<unknown> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new DemoFailure(
      `${what} answered HTTP ${response.status} with something that is not JSON.`,
      'SERVER_ANSWER',
    );
  }
  if (response.ok) return parsed;
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  const detail =
    typeof error?.message === 'string'
      ? `${String(error.code)}: ${error.message}`
      : `HTTP ${response.status}`;
  throw new DemoFailure(`${what} (as "${user}") failed — ${detail}`, 'SERVER_REFUSED');
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
