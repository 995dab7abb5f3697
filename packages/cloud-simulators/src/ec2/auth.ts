import type { IncomingHttpHeaders } from 'node:http';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import type { SimRequest } from '../server/frontend.js';
import { AUTH_FAILURE_MESSAGE, authFailure, Ec2Error, SIGNATURE_MISMATCH_MESSAGE } from './errors.js';
import {
  expectedSignature,
  formatAmzDate,
  IncompleteSignature,
  parseAmzDate,
  parseAuthorizationHeader,
  parsePresignedQuery,
  type SignableRequest,
  type SignatureParts,
  sameSignature,
} from './signature.js';

/**
 * Who signed an EC2 request, checked in the order AWS checks: the signature's form
 * (IncompleteSignature, 400), the access key (AuthFailure, 401), the credential scope and the
 * signature itself (SignatureDoesNotMatch, 403), the request time (RequestExpired, 400), then the
 * session token and the key's state (AuthFailure, 401).
 */

/** How far a request's time may be from the server's, either way (EC2's RequestExpired window). */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

export interface AuthOptions {
  readonly cloud: SimCloud;
  readonly region: string;
  readonly service: string;
  /** Session tokens by access key: a key listed here must present its token, others none. */
  readonly sessionTokens: ReadonlyMap<string, string>;
}

/** The request as SigV4 covers it: raw path and query, headers in the order received. */
export function signableOf(request: SimRequest): SignableRequest {
  const raw = request.url.href.slice(request.url.origin.length);
  const question = raw.indexOf('?');
  const hash = raw.indexOf('#');
  const end = hash < 0 ? raw.length : hash;
  return {
    method: request.method,
    path: question < 0 ? raw.slice(0, end) : raw.slice(0, question),
    query: question < 0 ? '' : raw.slice(question + 1, end),
    headers: request.rawHeaders ? pairs(request.rawHeaders) : fromHeaders(request.headers),
    body: request.body,
  };
}

function pairs(raw: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2)
    result.push([raw[index] as string, raw[index + 1] as string]);
  return result;
}

function fromHeaders(headers: IncomingHttpHeaders): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) result.push([name, item]);
  }
  return result;
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The account that signed the request, or an Ec2Error as EC2 refuses it. */
export function authenticate(request: SimRequest, options: AuthOptions): SimAccount {
  const parts = signatureParts(request);
  const account = options.cloud.accountByKey(parts.accessKey);
  if (!account) throw authFailure();

  // The time the request claims, and the scope it was signed for.
  const amzDate =
    (parts.source === 'query' ? request.url.searchParams.get('X-Amz-Date') : header(request, 'x-amz-date')) ??
    dateHeader(request);
  if (amzDate === undefined) {
    throw new Ec2Error(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) {
    throw new Ec2Error('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }
  if (!parts.signedHeaders.includes('host')) {
    throw new Ec2Error(
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  if (parts.scopeDate !== amzDate.slice(0, 8)) {
    throw new Ec2Error(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      403,
    );
  }
  if (parts.region !== options.region) {
    throw new Ec2Error(
      'SignatureDoesNotMatch',
      `Credential should be scoped to a valid region, not '${parts.region}'.`,
      403,
    );
  }
  if (parts.service !== options.service) {
    throw new Ec2Error(
      'SignatureDoesNotMatch',
      `Credential should be scoped to correct service: '${options.service}'.`,
      403,
    );
  }
  if (parts.terminator !== 'aws4_request') {
    throw new Ec2Error(
      'SignatureDoesNotMatch',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${parts.terminator}'.`,
      403,
    );
  }

  const expected = expectedSignature(signableOf(request), parts, account.secret, amzDate);
  if (!sameSignature(expected.signature, parts.signature.toLowerCase())) {
    throw new Ec2Error('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, 403);
  }

  const now = options.cloud.clock.now();
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_MS) {
    throw new Ec2Error('RequestExpired', `Request has expired. Timestamp date is ${amzDate}.`, 400);
  }
  if (parts.source === 'query' && parts.expiresSeconds !== undefined) {
    if (
      !Number.isFinite(parts.expiresSeconds) ||
      parts.expiresSeconds < 1 ||
      parts.expiresSeconds > 604_800
    ) {
      throw new Ec2Error('AuthFailure', 'X-Amz-Expires must be between 1 and 604800 seconds.', 401);
    }
    if (now > signedAt + parts.expiresSeconds * 1000) {
      throw new Ec2Error('RequestExpired', `Request has expired. Timestamp date is ${amzDate}.`, 400);
    }
  }

  const presented =
    parts.source === 'query'
      ? (request.url.searchParams.get('X-Amz-Security-Token') ?? undefined)
      : header(request, 'x-amz-security-token');
  const required = options.sessionTokens.get(account.key);
  if (presented !== required) throw authFailure();
  if (account.status !== 'active') throw new Ec2Error('AuthFailure', AUTH_FAILURE_MESSAGE, 401);
  return account;
}

function signatureParts(request: SimRequest): SignatureParts {
  try {
    const authorization = header(request, 'authorization');
    if (authorization !== undefined) return parseAuthorizationHeader(authorization);
    const presigned = parsePresignedQuery(request.url.searchParams);
    if (presigned) return presigned;
  } catch (error) {
    if (error instanceof IncompleteSignature) throw new Ec2Error('IncompleteSignature', error.message, 400);
    throw error;
  }
  // What EC2 answers a request that carries no credentials at all.
  throw new Ec2Error('MissingParameter', 'The request must contain the parameter AWSAccessKeyId', 400);
}

/** An RFC 1123 `Date` header in the basic ISO-8601 form, for clients that sign with it. */
function dateHeader(request: SimRequest): string | undefined {
  const value = header(request, 'date');
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : formatAmzDate(time);
}
