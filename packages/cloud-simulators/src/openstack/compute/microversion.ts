import type { IncomingHttpHeaders } from 'node:http';
import { header } from '../http.js';

/**
 * Nova API microversions: the client asks with `OpenStack-API-Version: compute 2.x` (or the legacy
 * `X-OpenStack-Nova-API-Version: 2.x`); no header means 2.1, `latest` the maximum. The simulator
 * is a Nova of the Zed release: 2.1 to 2.93.
 */

export const MIN_MICROVERSION = '2.1';
export const MAX_MICROVERSION = '2.93';

export class Microversion {
  readonly major: number;
  readonly minor: number;

  constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
  }

  /** Parses `2.47`; undefined when the string is not MajorNum.MinorNum as Nova defines it. */
  static parse(text: string): Microversion | undefined {
    const match = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text);
    return match ? new Microversion(Number(match[1]), Number(match[2])) : undefined;
  }

  /** Whether this version is at least `version` (e.g. `atLeast('2.47')`). */
  atLeast(version: string): boolean {
    const other = parsedOnce(version);
    return this.major > other.major || (this.major === other.major && this.minor >= other.minor);
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/** Views ask atLeast('2.x') per field and per server: each constant is parsed once. */
const PARSED = new Map<string, Microversion>();

function parsedOnce(version: string): Microversion {
  let parsed = PARSED.get(version);
  if (!parsed) {
    parsed = Microversion.parse(version);
    if (!parsed) throw new RangeError(`${version} is not a microversion`);
    PARSED.set(version, parsed);
  }
  return parsed;
}

const MIN = Microversion.parse(MIN_MICROVERSION) as Microversion;
const MAX = Microversion.parse(MAX_MICROVERSION) as Microversion;

export type Negotiated =
  | { readonly kind: 'ok'; readonly version: Microversion }
  /** 400 InvalidAPIVersionString. */
  | { readonly kind: 'malformed'; readonly message: string }
  /** 406 InvalidGlobalAPIVersion. */
  | { readonly kind: 'unsupported'; readonly message: string };

export function negotiate(headers: IncomingHttpHeaders): Negotiated {
  const requested = requestedVersion(headers);
  if (requested === undefined) return { kind: 'ok', version: MIN };
  if (requested.toLowerCase() === 'latest') return { kind: 'ok', version: MAX };
  const version = Microversion.parse(requested);
  if (!version) {
    return {
      kind: 'malformed',
      message: `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
    };
  }
  if (!version.atLeast(MIN_MICROVERSION) || !MAX.atLeast(version.toString())) {
    return {
      kind: 'unsupported',
      message: `Version ${version} is not supported by the API. Minimum is ${MIN} and maximum is ${MAX}.`,
    };
  }
  return { kind: 'ok', version };
}

/**
 * What microversion_parse reads: the compute entry of OpenStack-API-Version (a comma-separated
 * list of `<service> <version>`), else the legacy header.
 */
function requestedVersion(headers: IncomingHttpHeaders): string | undefined {
  const standard = header(headers, 'openstack-api-version');
  if (standard !== undefined) {
    for (const entry of standard.split(',')) {
      const [service, version] = entry.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && version !== undefined) return version;
    }
  }
  return header(headers, 'x-openstack-nova-api-version')?.trim() || undefined;
}

/** The headers Nova adds to every answer of a versioned request. */
export function versionHeaders(version: Microversion): Record<string, string> {
  return {
    'openstack-api-version': `compute ${version}`,
    'x-openstack-nova-api-version': version.toString(),
    vary: 'OpenStack-API-Version, X-OpenStack-Nova-API-Version',
  };
}
