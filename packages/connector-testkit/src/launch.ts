import { randomBytes, randomUUID } from 'node:crypto';
import type { LaunchRequest, Session } from '@slipstream/connector-core';
import { explain } from './run.js';
import { conformanceSshPublicKey } from './ssh.js';
import type { ResolvedTarget } from './target.js';

/**
 * A launch request for the target: what it names in `launch`, else the first image (available in
 * the zone), size and zone the cloud lists; a fresh name and idempotency key; tags, an SSH key and
 * user-data when the connector declares it honours them.
 */
export async function launchRequest(t: ResolvedTarget, session: Session): Promise<LaunchRequest> {
  const { capabilities } = t.definition;
  let { image, size, zone } = t.launch;
  if (image === undefined || size === undefined || (zone === undefined && capabilities.zones)) {
    let listed: [
      Awaited<ReturnType<Session['listImages']>>,
      Awaited<ReturnType<Session['listSizes']>>,
      Awaited<ReturnType<Session['listZones']>>,
    ];
    try {
      listed = await Promise.all([session.listImages(), session.listSizes(), session.listZones()]);
    } catch (error) {
      throw new Error(
        `Could not choose what to launch: listing images, sizes or zones failed: ${explain(error)}`,
        { cause: error },
      );
    }
    const [images, sizes, zones] = listed;
    if (capabilities.zones) zone ??= zones[0]?.id;
    image ??= (images.find((i) => i.zone === undefined || i.zone === zone) ?? images[0])?.id;
    size ??= sizes[0]?.id;
    if (image === undefined || size === undefined || (capabilities.zones && zone === undefined)) {
      throw new Error(
        'Could not choose what to launch: the test cloud lists no image, size or zone. Make it offer one, or set target.launch.',
      );
    }
  }
  const suffix = randomBytes(4).toString('hex');
  return {
    name: `conformance-${suffix}`,
    image,
    size,
    ...(zone === undefined ? {} : { zone }),
    idempotencyKey: randomUUID(),
    ...(capabilities.tags ? { tags: { conformance: 'true', 'conformance-run': suffix } } : {}),
    ...(capabilities.sshKeys ? { sshPublicKey: conformanceSshPublicKey() } : {}),
    ...(capabilities.userData ? { userData: '#!/bin/sh\necho "slipstream connector conformance"\n' } : {}),
  };
}

/** Placeholder ids for calls that must fail: if the connector ignored that, nothing real is made. */
export function placeholderLaunch(what: string): LaunchRequest {
  return {
    name: `conformance-${what}-${randomBytes(4).toString('hex')}`,
    image: 'conformance-no-such-image',
    size: 'conformance-no-such-size',
    idempotencyKey: randomUUID(),
  };
}
