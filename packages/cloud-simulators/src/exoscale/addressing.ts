/**
 * Which zone a request talks to. The real API serves each zone on its own host,
 * `https://api-<zone>.exoscale.com/v2`; the simulator serves every zone on one port, so a client
 * picks the zone in one of three ways:
 *
 * - a zone prefix in the path: `<url>/<zone>/v2/...` (what `GET /zone` answers as `api-endpoint`,
 *   and what a client with a configurable base URL, such as the connector's `endpoint`, uses);
 * - the Host header the real API would get, `api-<zone>.exoscale.com` (a client behind a proxy);
 * - neither: `<url>/v2/...` is the catalog's first zone (`ch-gva-2` by default).
 */

export type Addressed =
  | { readonly kind: 'api'; readonly zone: string; readonly path: string }
  | { readonly kind: 'unknown-zone'; readonly zone: string }
  | { readonly kind: 'outside' };

const ZONE_PREFIX = /^\/([a-z]{2}-[a-z]+-\d+)(\/v2(?:\/.*)?)$/;
const API_HOST = /^api-([a-z]{2}-[a-z]+-\d+)\.exoscale\.com(?::\d+)?$/i;

/** `pathname` percent-decoded; `zones` in catalog order, the first being the default. */
export function addressOf(pathname: string, host: string | undefined, zones: readonly string[]): Addressed {
  let zone: string | undefined;
  let path = pathname;
  const prefixed = ZONE_PREFIX.exec(pathname);
  if (prefixed) {
    zone = prefixed[1] as string;
    path = prefixed[2] as string;
  }
  if (path !== '/v2' && !path.startsWith('/v2/')) return { kind: 'outside' };
  zone ??= API_HOST.exec(host ?? '')?.[1]?.toLowerCase() ?? zones[0];
  if (zone === undefined || !zones.includes(zone)) return { kind: 'unknown-zone', zone: zone ?? '' };
  return { kind: 'api', zone, path: path.slice('/v2'.length) || '/' };
}
