import {
  type CallOptions,
  type DescribeQuery,
  type HttpTransport,
  type Image,
  KeyedLock,
  type LaunchRequest,
  type Logger,
  RecentlyDeleted,
  type Session,
  type Size,
  type Vm,
  type Zone,
} from '@slipstream/connector-core';
import type { SessionAccess } from './access.js';
import { FlavorCache, listImages, listZones, toImage, toSize } from './catalog.js';
import { OpenStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import { NetworkDirectory } from './networks.js';
import type { OpenStackSettings } from './parameters.js';
import { findServers, listServers, toVms } from './vm.js';

export interface OpenStackSessionOptions {
  readonly http: HttpTransport;
  readonly logger: Logger;
  readonly settings: OpenStackSettings;
  readonly access: SessionAccess;
  /** Shared by an instance's sessions; a session of its own by default. */
  readonly deleted?: RecentlyDeleted | undefined;
  /** Shared by an instance's sessions; a session of its own by default. */
  readonly locks?: KeyedLock | undefined;
}

/**
 * One user's session: the connector contract as Nova, Glance and Neutron calls. Core's guard has
 * validated ids and launch requests, refused already aborted signals and scrubs the credentials
 * from errors; the client scrubs the token and whatever else the authenticator names.
 */
export class OpenStackSession implements Session {
  readonly #context: SessionContext;
  readonly #access: SessionAccess;
  readonly #locks: KeyedLock;

  constructor(options: OpenStackSessionOptions) {
    const { http, logger, settings, access } = options;
    const client = new OpenStackClient({ http, access, microversion: settings.microversion });
    this.#access = access;
    this.#locks = options.locks ?? new KeyedLock();
    this.#context = {
      client,
      settings,
      flavors: new FlavorCache(client),
      networks: new NetworkDirectory(client, settings),
      deleted: (options.deleted ?? new RecentlyDeleted()).of(access.owner),
      logger,
    };
  }

  /**
   * Authenticates (for Keystone: gets a token) and makes the cheapest compute call, so that
   * credentials refused by Keystone or by Nova both fail AUTH_FAILED here.
   */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#context.client.json<unknown>({
      service: 'compute',
      operation: 'list-flavors-detail',
      method: 'GET',
      path: '/flavors/detail',
      query: { limit: 1 },
      signal: options?.signal,
    });
  }

  async listImages(options?: CallOptions): Promise<readonly Image[]> {
    return (await listImages(this.#context.client, options?.signal)).map(toImage);
  }

  async listSizes(options?: CallOptions): Promise<readonly Size[]> {
    return (await this.#context.flavors.fresh(options?.signal)).map(toSize);
  }

  listZones(options?: CallOptions): Promise<readonly Zone[]> {
    return listZones(this.#context.client, options?.signal);
  }

  launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    // Launches with the same key run one after the other, so that the second sees the first's servers.
    return this.#locks.run(`${this.#access.owner}\u0000${request.idempotencyKey}`, () =>
      launch(this.#context, request, options?.signal),
    );
  }

  async describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    const { client } = this.#context;
    const signal = options?.signal;
    const servers =
      query?.ids === undefined
        ? await listServers(client, {}, signal)
        : await findServers(client, query.ids, signal);
    return toVms(this.#context, servers, signal);
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
    this.#access.authenticator.forget?.();
  }
}
