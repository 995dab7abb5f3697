import type { RunningOpenStack } from './index.js';

/**
 * A bare OpenStack client for the simulator's own tests: password authentication, then requests
 * with the token, answers parsed when they are JSON. Not exported from the package.
 */

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator answered.
  readonly body: any;
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default the session's token; `null` sends none. */
  readonly token?: string | null;
}

export async function send(url: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.token) headers['x-auth-token'] = options.token;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json') && text !== '';
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : undefined,
    text,
  };
}

export interface PasswordAuth {
  readonly username: string;
  readonly password: string;
  readonly project?: string;
  readonly domain?: string;
}

/** The body keystoneauth's v3 password plugin sends, scoped to a project by name. */
export function passwordAuthBody(auth: PasswordAuth): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: auth.username, domain: { name: auth.domain ?? 'Default' }, password: auth.password },
        },
      },
      ...(auth.project === undefined
        ? {}
        : { scope: { project: { name: auth.project, domain: { name: auth.domain ?? 'Default' } } } }),
    },
  };
}

/** A session on a running simulator: its first user's token and the service roots. */
export class TestSession {
  readonly sim: RunningOpenStack;
  token = '';

  constructor(sim: RunningOpenStack) {
    this.sim = sim;
  }

  async login(): Promise<this> {
    const { user } = this.sim;
    const answer = await send(`${this.sim.authUrl}/auth/tokens`, {
      method: 'POST',
      body: passwordAuthBody({ username: user.username, password: user.password, project: user.project }),
    });
    if (answer.status !== 201) throw new Error(`login failed: ${answer.status} ${answer.text}`);
    this.token = answer.headers.get('x-subject-token') ?? '';
    return this;
  }

  /** A Nova call; `version` is sent as OpenStack-API-Version. */
  compute(path: string, options: RequestOptions & { readonly version?: string } = {}): Promise<Answer> {
    const headers = {
      ...options.headers,
      ...(options.version ? { 'openstack-api-version': `compute ${options.version}` } : {}),
    };
    return send(`${this.sim.computeUrl}${path}`, { token: this.token, ...options, headers });
  }

  image(path: string, options: RequestOptions = {}): Promise<Answer> {
    return send(`${this.sim.imageUrl}${path}`, { token: this.token, ...options });
  }

  network(path: string, options: RequestOptions = {}): Promise<Answer> {
    return send(`${this.sim.url}/networking${path}`, { token: this.token, ...options });
  }
}
