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
import { findVms, listAllVms } from './directory.js';
import { JobPoller } from './jobs.js';
import { launch } from './launch.js';
import { type LifecycleContext, start, stop, terminate } from './lifecycle.js';
import type { CloudStackSettings } from './parameters.js';
import { toVm } from './vm.js';

/**
 * One user's session: the contract's calls as CloudStack API commands, signed with the user's API
 * key and secret key. Core's guard has validated ids and launch requests, refused already aborted
 * signals and scrubbed secrets from errors before and after each call gets here.
 */
export class CloudStackSession implements Session {
  readonly #client: CloudStackClient;
  readonly #jobs: JobPoller;
  readonly #settings: CloudStackSettings;
  readonly #logger: Logger;
  readonly #locks: KeyedLock;
  readonly #apiKey: string;
  readonly #expungeRefused = { value: false };

  constructor(options: {
    readonly http: HttpTransport;
    readonly settings: CloudStackSettings;
    readonly credentials: Credentials;
    readonly logger: Logger;
    readonly locks: KeyedLock;
  }) {
    const { http, settings, credentials, logger } = options;
    this.#apiKey = credentials.key ?? '';
    this.#client = new CloudStackClient({
      http,
      endpoint: settings.endpoint,
      apiKey: this.#apiKey,
      secretKey: credentials.secret ?? '',
      signatureExpiryMs: settings.signatureExpiryMs,
      pageSize: settings.pageSize,
    });
    this.#jobs = new JobPoller(this.#client, {
      intervalMs: settings.pollIntervalMs,
      timeoutMs: settings.jobTimeoutMs,
      logger,
    });
    this.#settings = settings;
    this.#logger = logger;
    this.#locks = options.locks;
  }

  /** listCapabilities: the cheapest signed call, refused with 401 for bad credentials. */
  async checkCredentials(options?: CallOptions): Promise<void> {
    await this.#client.request('listCapabilities', {}, { signal: options?.signal });
  }

  async listImages(options?: CallOptions): Promise<readonly Image[]> {
    return (await listTemplates(this.#client, options?.signal)).map(toImage);
  }

  async listSizes(options?: CallOptions): Promise<readonly Size[]> {
    return (await listOfferings(this.#client, options?.signal)).map(toSize);
  }

  async listZones(options?: CallOptions): Promise<readonly Zone[]> {
    return listZones(this.#client, options?.signal);
  }

  async launch(request: LaunchRequest, options?: CallOptions): Promise<readonly Vm[]> {
    // Launches with the same key run one after the other, so that the second sees the first's VMs.
    return this.#locks.run(`${this.#apiKey}\u0000${request.idempotencyKey}`, () =>
      launch(
        { client: this.#client, jobs: this.#jobs, settings: this.#settings, logger: this.#logger },
        request,
        options?.signal,
      ),
    );
  }

  async describe(query?: DescribeQuery, options?: CallOptions): Promise<readonly Vm[]> {
    const signal = options?.signal;
    if (query?.ids === undefined) return (await listAllVms(this.#client, { signal })).map(toVm);
    const found = await findVms(this.#client, query.ids, { signal });
    return query.ids.flatMap((id) => {
      const raw = found.get(id);
      return raw ? [toVm(raw)] : [];
    });
  }

  async terminate(ids: readonly string[], options?: CallOptions): Promise<void> {
    await terminate(this.#lifecycle(), ids, options?.signal);
  }

  async stop(ids: readonly string[], options?: CallOptions): Promise<void> {
    await stop(this.#lifecycle(), ids, options?.signal);
  }

  async start(ids: readonly string[], options?: CallOptions): Promise<void> {
    await start(this.#lifecycle(), ids, options?.signal);
  }

  #lifecycle(): LifecycleContext {
    return {
      client: this.#client,
      jobs: this.#jobs,
      logger: this.#logger,
      expunge: this.#settings.expungeOnTerminate,
      expungeRefused: this.#expungeRefused,
    };
  }
}
