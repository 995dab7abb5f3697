import { createHash } from 'node:crypto';
import type { SimImage } from '../../model/types.js';
import type { Caller } from '../caller.js';
import { isoSeconds } from '../dates.js';
import { hexId } from '../identity/directory.js';

/**
 * An image as Glance v2 shows it. The model's featured images are public and owned by the
 * operator's admin project; the others are private, shown as owned by the caller's project (the
 * model has no per-project images). Sizes and checksums are derived from the image, so they are
 * stable; os_distro/os_version come from the model's "<distro> <version>".
 */

const GIB = 1024 ** 3;

/** The project that owns the operator's public images. */
export const ADMIN_PROJECT_ID = hexId('project:admin');

export function imageVisibility(image: SimImage): 'public' | 'private' {
  return image.featured ? 'public' : 'private';
}

export function renderImage(image: SimImage, caller: Caller): Record<string, unknown> {
  const [distro = '', version] = image.os.split(/\s+/);
  return {
    // Extra properties first, as Glance builds the view from them.
    os_distro: distro.toLowerCase(),
    ...(version === undefined ? {} : { os_version: version }),
    description: image.description,
    hw_disk_bus: 'virtio',
    name: image.name,
    disk_format: 'qcow2',
    container_format: 'bare',
    visibility: imageVisibility(image),
    // A compressed cloud image is a fraction of the disk it expands to.
    size: Math.round((image.sizeGb * GIB) / 8),
    virtual_size: image.sizeGb * GIB,
    status: 'active',
    checksum: createHash('md5').update(image.id).digest('hex'),
    protected: false,
    min_ram: 0,
    min_disk: image.sizeGb,
    owner: image.featured ? ADMIN_PROJECT_ID : caller.projectId,
    os_hidden: false,
    os_hash_algo: 'sha512',
    os_hash_value: createHash('sha512').update(image.id).digest('hex'),
    id: image.id,
    created_at: isoSeconds(image.createdAt),
    updated_at: isoSeconds(image.createdAt),
    tags: [],
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}
