import { MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';

/**
 * Nova's version documents (nova/api/openstack/compute/versions.py): the list at the compute root
 * and the v2.1 document, which advertises the microversion range. The legacy v2.0 API is not
 * simulated, so it is not listed.
 */

const V21 = {
  id: 'v2.1',
  status: 'CURRENT',
  version: MAX_MICROVERSION,
  min_version: MIN_MICROVERSION,
  updated: '2013-07-23T11:33:21Z',
};

/** GET {compute root}/ */
export function versionList(root: string): Record<string, unknown> {
  return { versions: [{ ...V21, links: [{ rel: 'self', href: `${root}/v2.1/` }] }] };
}

/** GET {compute root}/v2.1 */
export function versionDocument(root: string): Record<string, unknown> {
  return {
    version: {
      ...V21,
      links: [
        { rel: 'self', href: `${root}/v2.1/` },
        { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' },
      ],
      'media-types': [
        { base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' },
      ],
    },
  };
}
