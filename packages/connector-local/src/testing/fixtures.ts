import {
  createInstance,
  type LaunchRequest,
  type LoadedInstance,
  type Session,
} from '@slipstream/connector-core';
import { ManualClock } from '../clock.js';
import { createLocalConnector } from '../connector.js';

/**
 * Shared set-up for this package's tests (not part of the build: only `index.ts` is bundled).
 * Instances are created through core's `createInstance`, the way the server creates them, so the
 * tests see the connector behind core's guard.
 */

export const ALICE = { key: 'alice', secret: 'alice-secret-4242' } as const;
export const BOB = { key: 'bob', secret: 'bob-secret-7373' } as const;

export const BOOT_MS = 1000;
export const HALT_MS = 400;

export interface LocalFixture {
  readonly clock: ManualClock;
  readonly instance: LoadedInstance;
  readonly alice: Session;
  readonly bob: Session;
}

export async function openLocal(parameters: Readonly<Record<string, unknown>> = {}): Promise<LocalFixture> {
  const clock = new ManualClock();
  const instance = await createInstance(createLocalConnector({ clock }), {
    parameters: {
      accounts: `${ALICE.key}:${ALICE.secret},${BOB.key}:${BOB.secret}`,
      'boot.delay.ms': BOOT_MS,
      'halt.delay.ms': HALT_MS,
      ...parameters,
    },
  });
  return { clock, instance, alice: await instance.session(ALICE), bob: await instance.session(BOB) };
}

let launches = 0;

/** A valid launch request with a fresh idempotency key. */
export function launchRequest(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
  launches += 1;
  return {
    name: 'web',
    image: 'ubuntu-24.04',
    size: 'small',
    idempotencyKey: `test-launch-${launches}`,
    ...overrides,
  };
}
