import type { SimImage } from '../model/types.js';
import { isObject, parseJson } from '../openstack/http.js';
import type { SimResponse } from '../server/frontend.js';

/**
 * IMS's Glance-compatible image API ("Querying Images (Native OpenStack API)", GET /v2/images and
 * /v2/images/{id}) answers Glance's image view plus OTC's extension attributes, all strings:
 * `__imagetype` (gold for public images, private for the tenant's), `__platform`, `__os_type`,
 * `__os_bit`, `__os_version`, `__isregistered`, and the image's FusionCompute/zvhd2 format.
 */

/** The distributions IMS names as `__platform`; anything else is `Other`. */
const PLATFORMS = [
  'Ubuntu',
  'Debian',
  'CentOS',
  'EulerOS',
  'SUSE',
  'OpenSUSE',
  'Fedora',
  'CoreOS',
  'Windows',
];

export function imsAttributes(image: SimImage): Record<string, unknown> {
  const distro = image.os.split(/\s+/)[0] ?? '';
  const platform = PLATFORMS.find((name) => name.toLowerCase() === distro.toLowerCase()) ?? 'Other';
  return {
    __image_source_type: 'uds',
    __isregistered: 'true',
    __lazyloading: 'true',
    __os_type: platform === 'Windows' ? 'Windows' : 'Linux',
    __imagetype: image.featured ? 'gold' : 'private',
    __platform: platform,
    __os_bit: '64',
    __os_version: `${image.os} 64bit`,
    __description: image.description,
    virtual_env_type: 'FusionCompute',
    disk_format: 'zvhd2',
    hw_firmware_type: 'bios',
    virtual_size: null,
  };
}

/** A Glance list or show answer with the IMS attributes added to each image. */
export function withImsAttributes(response: SimResponse, images: readonly SimImage[]): SimResponse {
  if (response.status !== 200) return response;
  const parsed = parseJson(response.body);
  if (!parsed || !isObject(parsed.value)) return response;
  const extend = (view: unknown): unknown => {
    if (!isObject(view)) return view;
    const image = images.find((candidate) => candidate.id === view.id);
    return image ? { ...view, ...imsAttributes(image) } : view;
  };
  const body = parsed.value;
  const extended = Array.isArray(body.images) ? { ...body, images: body.images.map(extend) } : extend(body);
  return { ...response, body: JSON.stringify(extended) };
}
