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
import { listTemplates, toImage } from './catalog.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import { describeVms } from './vm.js';

/**
 * One user's session in the instance's VDC: the adapter from the connector contract to the vCloud
 * API. Core's guard has already validated ids and launch requests, refused an aborted signal and
 * scrubs secrets from errors; each method passes its signal down to the transport.
 */
export class VcloudSession implements Session {
  readonly #context: SessionContext;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  /** Opens the cloudapi session: vCloud checks the user, the password and the organization. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#context.client.checkCredentials(options?.signal);
  }

  async listImages(options?: CallOptions): Promise<readonly Image[]> {
    return (await listTemplates(this.#context, options?.signal)).map(toImage);
  }

  async listSizes(): Promise<readonly Size[]> {
    return this.#context.settings.instanceTypes.map(instanceTypeSize);
  }

  /** None: an instance works in one VDC, and vCloud has no zones inside it. */
  async listZones(): Promise<readonly Zone[]> {
    return [];
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

  /** Ends the vCloud session (`DELETE /cloudapi/1.0.0/sessions/current`). */
  close(): Promise<void> {
    return this.#context.client.logout();
  }
}
