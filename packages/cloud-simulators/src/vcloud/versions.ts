import { VCLOUD_API_VERSIONS } from './catalog.js';
import { notAcceptable } from './errors.js';

/**
 * API version negotiation as vCD does it: every call but `GET /api/versions` names its version in
 * the Accept header's `version` parameter (`application/*+xml;version=38.0`,
 * `application/json;version=38.0`, `application/*;version=38.0`). A version vCD does not serve, or
 * none at all, is 406 with the list of those it serves. The answer's Content-Type carries the
 * version back.
 */

export interface MediaRange {
  readonly type: string;
  readonly version: string | undefined;
}

export function mediaRanges(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((piece) => piece.trim());
      let version: string | undefined;
      for (const param of params) {
        const [name, value] = param.split('=').map((piece) => piece.trim());
        if (name?.toLowerCase() === 'version' && value) version = value.replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), version };
    })
    .filter((range) => range.type !== '');
}

/** The version the Accept header asks for (the first range that names one), undefined when none does. */
export function requestedVersion(accept: string | undefined): string | undefined {
  return mediaRanges(accept).find((range) => range.version !== undefined)?.version;
}

/** The version to answer with, or vCD's 406 when the header names none or one not served. */
export function negotiateVersion(accept: string | undefined): string {
  const version = requestedVersion(accept);
  if (version === undefined || !(VCLOUD_API_VERSIONS as readonly string[]).includes(version)) {
    throw notAcceptable(VCLOUD_API_VERSIONS);
  }
  return version;
}

/** Whether the client would rather read JSON than XML (for error bodies). */
export function prefersJson(accept: string | undefined): boolean {
  const [first] = mediaRanges(accept);
  return first?.type.includes('json') ?? false;
}

export function xmlType(mediaType: string, version: string): string {
  return `${mediaType};version=${version}`;
}
