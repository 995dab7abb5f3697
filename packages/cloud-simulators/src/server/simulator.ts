import { randomBytes } from 'node:crypto';
import type { Clock } from '../model/clock.js';
import { SimCloud } from '../model/cloud.js';
import type { SimAccountSpec, SimImage, SimSize, SimZone } from '../model/types.js';
import type { FrontEnd } from './frontend.js';
import { type ListenOptions, listen, type RunningServer } from './http-server.js';

/** What every `startXxx` function accepts. */
export interface SimulatorOptions extends ListenOptions {
  /** Accounts the simulator knows; default one with a random key and secret. */
  readonly accounts?: readonly SimAccountSpec[] | undefined;
  /** Replaces the front-end's default catalog. */
  readonly zones?: readonly SimZone[] | undefined;
  readonly images?: readonly SimImage[] | undefined;
  readonly sizes?: readonly SimSize[] | undefined;
  /** How long a VM starts before it runs; default 1000 ms. */
  readonly bootDelayMs?: number | undefined;
  /** How long a VM takes to stop or to be expunged; default 500 ms. */
  readonly haltDelayMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

/** A running simulator: its URL, the first account's credentials, and the control handle. */
export interface RunningSimulator extends RunningServer {
  /** Credentials of the first account. */
  readonly credentials: { readonly key: string; readonly secret: string };
}

export interface Catalog {
  readonly zones: readonly SimZone[];
  readonly images: readonly SimImage[];
  readonly sizes: readonly SimSize[];
}

/** Builds the model from the options and a front-end's default catalog, then serves it. */
export async function startSimulator(
  options: SimulatorOptions,
  defaults: Catalog,
  createFrontEnd: (cloud: SimCloud) => FrontEnd,
): Promise<RunningSimulator> {
  const accounts = options.accounts?.length ? options.accounts : [randomAccount()];
  const cloud = new SimCloud({
    zones: options.zones ?? defaults.zones,
    images: options.images ?? defaults.images,
    sizes: options.sizes ?? defaults.sizes,
    accounts,
    bootDelayMs: options.bootDelayMs,
    haltDelayMs: options.haltDelayMs,
    clock: options.clock,
  });
  const server = await listen(createFrontEnd(cloud), cloud, options);
  const [first] = accounts as [SimAccountSpec];
  return { ...server, credentials: { key: first.key, secret: first.secret } };
}

/** A fresh key pair of URL-safe random strings, the length real clouds issue. */
export function randomAccount(): SimAccountSpec {
  return {
    key: randomBytes(32).toString('base64url'),
    secret: randomBytes(32).toString('base64url'),
    name: 'simulated',
  };
}
