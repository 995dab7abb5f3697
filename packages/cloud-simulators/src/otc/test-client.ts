import { expectedSignature, formatSdkDate, SDK_HMAC_SHA256 } from './signature.js';

/**
 * A bare client for the OTC simulator's own tests: AK/SK-signed and token requests with fetch.
 * It signs host, X-Sdk-Date, X-Project-Id and Content-Type, as the Huawei SDKs sign their
 * requests. Not exported from the package.
 */

export interface AkSk {
  readonly accessKey: string;
  readonly secretKey: string;
}

export interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly projectId?: string | undefined;
  /** Epoch milliseconds the X-Sdk-Date says; default now. */
  readonly signedAt?: number;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
}

/** The headers of a signed request (lowercase names). */
export function signedHeaders(url: URL, keys: AkSk, options: CallOptions = {}): Record<string, string> {
  const method = options.method ?? 'GET';
  const body = bodyOf(options.body);
  const headers: Record<string, string> = {
    host: url.host,
    'x-sdk-date': formatSdkDate(options.signedAt ?? Date.now()),
    ...(body === '' ? {} : { 'content-type': 'application/json' }),
    ...(options.projectId === undefined ? {} : { 'x-project-id': options.projectId }),
  };
  const names = Object.keys(headers).sort();
  const signature = expectedSignature(
    { method, url, headers, body },
    names,
    headers['x-sdk-date'] as string,
    keys.secretKey,
  );
  return {
    ...headers,
    authorization: `${SDK_HMAC_SHA256} Access=${keys.accessKey}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

export async function signedCall(url: string, keys: AkSk, options: CallOptions = {}): Promise<Answer> {
  const target = new URL(url);
  const { host: _host, ...headers } = signedHeaders(target, keys, options);
  return answer(
    await fetch(target, { method: options.method ?? 'GET', headers, body: bodyOrUndefined(options.body) }),
  );
}

export async function tokenCall(url: string, token: string, options: CallOptions = {}): Promise<Answer> {
  const body = bodyOrUndefined(options.body);
  return answer(
    await fetch(url, {
      method: options.method ?? 'GET',
      headers: {
        'x-auth-token': token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    }),
  );
}

/** POST /v3/auth/tokens with a password, scoped to a project by name in the user's domain. */
export async function issueToken(
  authUrl: string,
  user: { username: string; password: string; domain: string; project: string },
): Promise<{ token: string | null; answer: Answer }> {
  const response = await fetch(`${authUrl}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: user.username, password: user.password, domain: { name: user.domain } },
          },
        },
        scope: { project: { name: user.project, domain: { name: user.domain } } },
      },
    }),
  });
  return { token: response.headers.get('x-subject-token'), answer: await answer(response) };
}

function bodyOf(body: unknown): string {
  return body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
}

function bodyOrUndefined(body: unknown): string | undefined {
  return body === undefined ? undefined : bodyOf(body);
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}
