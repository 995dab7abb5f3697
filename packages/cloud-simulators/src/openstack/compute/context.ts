import type { SimCloud } from '../../model/cloud.js';
import { SimError } from '../../model/errors.js';
import type { Caller } from '../caller.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import type { NovaLinks } from './links.js';
import type { Microversion } from './microversion.js';
import type { ServerRecords } from './records.js';
import type { NovaApiOperation } from './routes.js';

/** What every Nova handler works with: the model, Nova's own records and settings. */
export interface NovaContext {
  readonly cloud: SimCloud;
  readonly records: ServerRecords;
  /** osapi_max_limit: the most items one page holds. */
  readonly maxLimit: number;
  /** The floating address Neutron has bound to a port, if any. */
  readonly floatingAddress: (portId: string) => string | undefined;
}

/** One authenticated API call, routed and versioned. */
export interface NovaCall {
  readonly operation: NovaApiOperation;
  /** The path parameter (server id, flavor id, key pair name), when the route has one. */
  readonly param: string | undefined;
  readonly subParam: string | undefined;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly caller: Caller;
  readonly version: Microversion;
  readonly links: NovaLinks;
}

export interface NovaResult {
  readonly status: number;
  /** Serialized as JSON; no body when undefined. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Turns the model's refusals into Nova faults; anything else is left to the caller. */
export function fromSimError(error: unknown): never {
  if (!(error instanceof SimError)) throw error;
  switch (error.kind) {
    case 'not-found':
      throw notFound(error.message);
    case 'invalid':
      throw badRequest(error.message);
    case 'quota':
      throw forbidden(error.message);
    case 'conflict':
    case 'state':
      throw conflict(error.message);
  }
}
