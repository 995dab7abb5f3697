import type {
  Credentials,
  DescribeQuery,
  Image,
  LaunchRequest,
  Logger,
  Session,
  Size,
  Vm,
  Zone,
} from '@slipstream/connector-core';
import { LOCAL_IMAGES, LOCAL_SIZES, LOCAL_ZONES } from './catalog.js';
import type { LocalCloud } from './cloud.js';
import { toVm } from './vm.js';

/**
 * One user's session: the adapter between the connector contract and the local cloud. A real
 * connector's session has the same shape, with HTTP calls where this one calls the model.
 *
 * What it does not do, because core's guard already has when a call gets here: validate ids and
 * launch requests, refuse an already aborted signal, turn unexpected errors into ConnectorErrors
 * and scrub secrets from them. The methods take no `CallOptions`: the model answers synchronously,
 * so a signal has no moment to fire during a call. A connector that waits on I/O passes
 * `options.signal` down to its transport.
 */
export class LocalSession implements Session {
  readonly #cloud: LocalCloud;
  readonly #key: string;
  readonly #secret: string;
  readonly #logger: Logger;

  constructor(cloud: LocalCloud, credentials: Credentials, logger: Logger) {
    this.#cloud = cloud;
    this.#key = credentials.key ?? '';
    this.#secret = credentials.secret ?? '';
    this.#logger = logger;
  }

  async checkCredentials(): Promise<void> {
    this.#account();
  }

  async listImages(): Promise<readonly Image[]> {
    this.#account();
    return LOCAL_IMAGES;
  }

  async listSizes(): Promise<readonly Size[]> {
    this.#account();
    return LOCAL_SIZES;
  }

  async listZones(): Promise<readonly Zone[]> {
    this.#account();
    return LOCAL_ZONES;
  }

  async launch(request: LaunchRequest): Promise<readonly Vm[]> {
    const vms = this.#cloud.launch(this.#account(), request);
    this.#logger.debug({ vms: vms.map((vm) => vm.id), idempotencyKey: request.idempotencyKey }, 'launch');
    return vms.map(toVm);
  }

  async describe(query?: DescribeQuery): Promise<readonly Vm[]> {
    return this.#cloud.describe(this.#account(), query?.ids).map(toVm);
  }

  async terminate(ids: readonly string[]): Promise<void> {
    this.#cloud.terminate(this.#account(), ids);
    this.#logger.debug({ vms: ids }, 'terminate');
  }

  async stop(ids: readonly string[]): Promise<void> {
    this.#cloud.stop(this.#account(), ids);
    this.#logger.debug({ vms: ids }, 'stop');
  }

  async start(ids: readonly string[]): Promise<void> {
    this.#cloud.start(this.#account(), ids);
    this.#logger.debug({ vms: ids }, 'start');
  }

  /**
   * Every call authenticates, as every signed request to a real cloud is checked: opening a
   * session only holds the credentials, and `checkCredentials` is how a caller tests them.
   */
  #account(): string {
    return this.#cloud.authenticate(this.#key, this.#secret);
  }
}
