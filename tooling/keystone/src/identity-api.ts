/**
 * The few Keystone v3 identity API calls the harness needs, over fetch. Field names and statuses
 * follow the Identity API v3 reference (docs.openstack.org/api-ref/identity/v3/).
 */

/** Password credentials scoped to a project; user and project live in the same domain (by name). */
export interface KeystoneCredentials {
  readonly username: string;
  readonly password: string;
  readonly project: string;
  readonly domain: string;
}

export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: string;
  readonly region_id: string | null;
  readonly url: string;
}

export interface CatalogService {
  readonly id: string;
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

export interface IssuedToken {
  /** The X-Subject-Token header: a secret. */
  readonly token: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly userId: string;
  readonly projectId: string;
  readonly catalog: readonly CatalogService[];
}

/** A Keystone answer other than the expected one: status and Keystone's own error message, no secrets. */
export class KeystoneApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`Keystone answered ${method} ${path} with HTTP ${status}: ${detail}`);
    this.name = 'KeystoneApiError';
  }
}

const TIMEOUT_MS = 30_000;

/** POST /v3/auth/tokens with the password method and a project scope. */
export async function requestToken(url: string, credentials: KeystoneCredentials): Promise<IssuedToken> {
  const body = {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: credentials.username,
            domain: { name: credentials.domain },
            password: credentials.password,
          },
        },
      },
      scope: { project: { name: credentials.project, domain: { name: credentials.domain } } },
    },
  };
  const response = await send(url, 'POST', '/auth/tokens', undefined, body);
  const json = await expectStatus(response, 'POST', '/auth/tokens', [201]);
  const token = response.headers.get('x-subject-token');
  const issued = (json as { token?: Record<string, unknown> }).token;
  if (!token || !issued) throw new Error('Keystone issued no X-Subject-Token or no token body.');
  return {
    token,
    issuedAt: String(issued.issued_at),
    expiresAt: String(issued.expires_at),
    userId: String((issued.user as { id?: unknown } | undefined)?.id),
    projectId: String((issued.project as { id?: unknown } | undefined)?.id),
    catalog: (issued.catalog as CatalogService[] | undefined) ?? [],
  };
}

/** One authenticated call; resolves with the parsed body (undefined for 204). */
export async function call(
  url: string,
  token: string,
  method: string,
  path: string,
  expected: readonly number[],
  body?: unknown,
): Promise<unknown> {
  return expectStatus(await send(url, method, path, token, body), method, path, expected);
}

function send(
  url: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['x-auth-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

async function expectStatus(
  response: Response,
  method: string,
  path: string,
  expected: readonly number[],
): Promise<unknown> {
  const text = await response.text();
  if (!expected.includes(response.status)) {
    throw new KeystoneApiError(method, path, response.status, errorDetail(text));
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new KeystoneApiError(
      method,
      path,
      response.status,
      `a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}`,
    );
  }
}

/** Keystone's error body is {"error": {"code", "title", "message"}}; anything else is quoted briefly. */
function errorDetail(text: string): string {
  try {
    const error = (JSON.parse(text) as { error?: { title?: unknown; message?: unknown } }).error;
    if (error && typeof error.message === 'string')
      return `${String(error.title ?? 'Error')}: ${error.message}`;
  } catch {
    // not JSON: fall through
  }
  return JSON.stringify(text.slice(0, 200));
}
