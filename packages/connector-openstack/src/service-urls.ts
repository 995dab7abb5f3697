import { ConnectorError } from '@slipstream/connector-core';
import type { ServiceKind } from './access.js';

/**
 * Service roots as the client uses them, from endpoints as catalogs give them. Catalogs differ:
 * Nova is registered with its version (`/v2.1`, often followed by the project id; old clouds
 * still register the legacy `/v2/<project id>`), Glance and Neutron usually without one
 * (devstack: `http://host/image`, `http://host:9696`). Requests then add Glance's `/v2` and
 * Neutron's `/v2.0` themselves.
 */

/** Each service's API version path segment. */
const VERSION: Readonly<Record<ServiceKind, string>> = { compute: 'v2.1', image: 'v2', network: 'v2.0' };

/**
 * The versioned root of a service: compute keeps what follows its version (the project id),
 * image and network end with their version.
 */
export function serviceRoot(service: ServiceKind, endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    // A catalog entry (or an endpoint setting) with a relative or garbled URL: say which one.
    throw new ConnectorError(
      'CLOUD_ERROR',
      `The ${service} endpoint ${JSON.stringify(endpoint)} is not an absolute URL; check the cloud's service catalog or the instance's endpoint settings.`,
    );
  }
  url.search = '';
  url.hash = '';
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const version = VERSION[service];
  if (service === 'compute') {
    // Nova serves 2.1 wherever the legacy v2 API was registered.
    const at = segments.findIndex((segment) => segment === 'v2.1' || segment === 'v2');
    if (at >= 0) segments[at] = version;
    else segments.push(version);
  } else {
    // Glance's `/v2` or `/v2.x` and Neutron's `/v2.0` at the end are dropped, then put back.
    const last = segments.at(-1);
    if (last !== undefined && /^v\d+(\.\d+)?$/.test(last)) segments.pop();
    segments.push(version);
  }
  url.pathname = `/${segments.join('/')}`;
  return url.toString().replace(/\/+$/, '');
}
