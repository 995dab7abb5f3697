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
import { instanceTypeName, preferredFirst, toImage, toSize } from './catalog.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import { describeInstances } from './vm.js';
import { type ExoscaleZone, entriesOf } from './wire.js';
import { toZone } from './zones.js';

/**
 * One user's session in the instance's zone: the adapter from the connector contract to the
 * Exoscale API v2. Core's guard has already validated ids and launch requests, refused an aborted
 * signal and scrubs secrets from errors; each method passes its signal down to the transport.
 */
export class ExoscaleSession implements Session {
  readonly #context: SessionContext;

  constructor(context: SessionContext) {
    this.#context = context;
  }

  /** A cheap signed call: listing the organization's SSH keys needs valid credentials. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#context.client.json<unknown>({
      operation: 'list-ssh-keys',
      method: 'GET',
      path: '/ssh-key',
      signal: options?.signal,
    });
  }

  async listImages(): Promise<readonly Image[]> {
    const { catalog, settings } = this.#context;
    const templates = preferredFirst(
      await catalog.templates(),
      settings.template,
      (template, ref) => template.id === ref || template.name === ref,
    );
    return templates.map((template) => toImage(template, settings.zone));
  }

  async listSizes(): Promise<readonly Size[]> {
    const { catalog, settings } = this.#context;
    const types = preferredFirst(
      await catalog.instanceTypes(),
      settings.instanceType,
      (type, ref) => type.id === ref || instanceTypeName(type).toLowerCase() === ref.toLowerCase(),
    );
    return types.map(toSize);
  }

  /** The instance's zone, as Exoscale lists it: one instance works in one zone. */
  async listZones(options?: CallOptions): Promise<readonly Zone[]> {
    const { client, settings } = this.#context;
    const data = await client.json<unknown>({
      operation: 'list-zones',
      method: 'GET',
      path: '/zone',
      signal: options?.signal,
    });
    const listed = entriesOf<ExoscaleZone>(data, 'zones', 'list-zones').some(
      (zone) => zone.name === settings.zone,
    );
    return [toZone(settings.zone, listed)];
  }

  launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    return launch(this.#context, request, options?.signal);
  }

  describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    return describeInstances(this.#context, query?.ids, options?.signal);
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
