import {
  type CallOptions,
  type DescribeQuery,
  type Image,
  instanceTypeSize,
  type LaunchRequest,
  type Session,
  type Size,
  type Vm,
  type Zone,
} from '@slipstream/connector-core';
import { listTemplates, listZones, toImage } from './catalog.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import { describeVms } from './vm.js';

/**
 * One user's session on one oned: the adapter from the connector contract to OpenNebula's
 * XML-RPC API. Core's guard has already validated ids and launch requests, refused an aborted
 * signal and scrubs secrets from errors; each method passes its signal down to the transport.
 */
export class OpenNebulaSession implements Session {
  readonly #context: SessionContext;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  /** `one.user.info` of the caller (-1): oned authenticates the session string first. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#context.client.document('one.user.info', [-1], { signal: options?.signal });
  }

  async listImages(options?: CallOptions): Promise<readonly Image[]> {
    return (await listTemplates(this.#context, options?.signal)).map(toImage);
  }

  async listSizes(): Promise<readonly Size[]> {
    return this.#context.settings.instanceTypes.map(instanceTypeSize);
  }

  async listZones(): Promise<readonly Zone[]> {
    return listZones(this.#context);
  }

  launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    return launch(this.#context, request, options?.signal);
  }

  describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    return describeVms(this.#context, query?.ids, options?.signal);
  }

  terminate(ids: readonly string[], options?: CallOptions): Promise<void> {
    return terminate(this.#context, ids, options?.signal);
  }

  stop(ids: readonly string[], options?: CallOptions): Promise<void> {
    return stop(this.#context, ids, options?.signal);
  }

  start(ids: readonly string[], options?: CallOptions): Promise<void> {
    return start(this.#context, ids, options?.signal);
  }
}
