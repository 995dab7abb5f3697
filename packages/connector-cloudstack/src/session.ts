import type {
  CallOptions,
  Credentials,
  DescribeQuery,
  HttpTransport,
  Image,
  KeyedLock,
  LaunchRequest,
  Logger,
  Session,
  Size,
  Vm,
  Zone,
} from '@slipstream/connector-core';
import { listOfferings, listTemplates, listZones, toImage, toSize } from './catalog.js';
import { CloudStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { launch } from './launch.js';
import { start, stop, terminate } from './lifecycle.js';
import type { CloudStackSettings } from './parameters.js';
import { describeVms } from './vm.js';
import { JobPoller } from './waits.js';

/**
 * One user's session: the contract's calls as CloudStack API commands, signed with the user's API
 * key and secret key. Core's guard has validated ids and launch requests, refused already aborted
 * signals and scrubbed secrets from errors before and after each call gets here.
 */
export class CloudStackSession implements Session {
  readonly #context: SessionContext;
  readonly #locks: KeyedLock;
  readonly #apiKey: string;

  constructor(options: {
    readonly http: HttpTransport;
    readonly settings: CloudStackSettings;
    readonly credentials: Credentials;
    readonly logger: Logger;
    readonly locks: KeyedLock;
  }) {
    const { http, settings, credentials, logger } = options;
    this.#apiKey = credentials.key ?? '';
    const client = new CloudStackClient({
      http,
      endpoint: settings.endpoint,
      apiKey: this.#apiKey,
      secretKey: credentials.secret ?? '',
      signatureExpiryMs: settings.signatureExpiryMs,
      pageSize: settings.pageSize,
      pageWorkers: settings.pageWorkers,
    });
    const jobs = new JobPoller(client, {
      intervalMs: settings.pollIntervalMs,
      timeoutMs: settings.jobTimeoutMs,
      logger,
    });
    this.#context = { client, jobs, settings, logger, expungeRefused: { value: false } };
    this.#locks = options.locks;
  }

  /** listCapabilities: the cheapest signed call, refused with 401 for bad credentials. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#context.client.request('listCapabilities', {}, { signal: options?.signal });
  }

  async listImages(options?: CallOptions): Promise<readonly Image[]> {
    return (await listTemplates(this.#context.client, options?.signal)).map(toImage);
  }

  async listSizes(options?: CallOptions): Promise<readonly Size[]> {
    return (await listOfferings(this.#context.client, options?.signal)).map(toSize);
  }

  async listZones(options?: CallOptions): Promise<readonly Zone[]> {
    return listZones(this.#context.client, options?.signal);
  }

  async launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    // Launches with the same key run one after the other, so that the second sees the first's VMs.
    return this.#locks.run(`${this.#apiKey}\u0000${request.idempotencyKey}`, () =>
      launch(this.#context, request, options?.signal),
    );
  }

  async describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    const { client, logger } = this.#context;
    return describeVms(client, query?.ids, logger, { signal: options?.signal });
  }

  async terminate(ids: readonly string[], options?: CallOptions): Promise<void> {
    await terminate(this.#context, ids, options?.signal);
  }

  async stop(ids: readonly string[], options?: CallOptions): Promise<void> {
    await stop(this.#context, ids, options?.signal);
  }

  async start(ids: readonly string[], options?: CallOptions): Promise<void> {
    await start(this.#context, ids, options?.signal);
  }
}
