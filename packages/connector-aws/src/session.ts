import type {
  CallOptions,
  DescribeQuery,
  Image,
  LaunchRequest,
  Session,
  Size,
  Vm,
  Zone,
} from '@slipstream/connector-core';
import { listImages, listSizes, listZones } from './catalog.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import { describeByIds, describeInstances } from './vm.js';

/**
 * One user's session in the instance's region: the adapter from the connector contract to EC2.
 * Core's guard has already validated ids and launch requests, refused an aborted signal and
 * scrubs secrets from errors; each method passes its signal down to the SDK and the transport.
 */
export class AwsSession implements Session {
  readonly #context: SessionContext;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  /** DescribeAvailabilityZones needs valid credentials and no permission most users lack. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await listZones(this.#context, options?.signal);
  }

  listImages(options?: CallOptions): Promise<readonly Image[]> {
    return listImages(this.#context, options?.signal);
  }

  listSizes(options?: CallOptions): Promise<readonly Size[]> {
    return listSizes(this.#context, options?.signal);
  }

  listZones(options?: CallOptions): Promise<readonly Zone[]> {
    return listZones(this.#context, options?.signal);
  }

  launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    return launch(this.#context, request, options?.signal);
  }

  describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    return query?.ids === undefined
      ? describeInstances(this.#context, [], options?.signal)
      : describeByIds(this.#context, query.ids, options?.signal);
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

  async close(): Promise<void> {
    this.#context.client.close();
  }
}
