import {
  type CallOptions,
  type ConnectorDefinition,
  ConnectorError,
  type Credentials,
  type HttpMethod,
  type HttpResponse,
  type InstanceContext,
  type LaunchRequest,
  launchIdempotently,
  mapState,
  type Session,
  type StateTable,
  type Vm,
} from '@slipstream/connector-core';
import type { FakeCloudVm } from './fake-cloud.js';

/**
 * A connector for the fake HTTP cloud (fake-cloud.ts) that talks to it through core's transport,
 * as a real connector does, for the testkit's tests of describeFaults. Each quirk breaks one rule
 * of behaving under faults, so that the tests can show the fault suite catches it.
 */
export const FAULT_QUIRKS = [
  /** Handles 503 itself and gives up at once instead of letting the transport retry. */
  'noRetryOn503',
  /** Builds its own RATE_LIMITED error and loses the transport's retryAfterMs. */
  'dropRetryAfter',
  /** Marks the create request idempotent and never looks the key up: a lost answer makes two VMs. */
  'retryCreateBlindly',
  /** Reads an unparseable listing as an empty one. */
  'emptyOnMalformed',
  /** Reports a 401 as CLOUD_ERROR. */
  'authAsCloudError',
  /** Logs the credentials when a session opens. */
  'logSecret',
  /** Overrides the transport's request timeout with its own minute. */
  'ignoreTimeout',
] as const;
export type FaultQuirk = (typeof FAULT_QUIRKS)[number];

const STATES: StateTable = { starting: 'pending', running: 'running', deleted: 'terminated' };

export function fakeHttpConnector(
  options: { readonly quirks?: readonly FaultQuirk[] } = {},
): ConnectorDefinition {
  const quirks = new Set(options.quirks ?? []);
  return {
    name: 'fake-http',
    cloud: 'Fake HTTP Cloud',
    contract: 1,
    parameters: [
      { key: 'endpoint', label: 'Endpoint', description: 'The fake cloud URL.', type: 'url', required: true },
    ],
    credentials: [
      { key: 'key', label: 'API key', description: 'Your API key.', type: 'string', required: true },
      { key: 'secret', label: 'API secret', description: 'Your API secret.', type: 'secret', required: true },
    ],
    capabilities: { stopStart: false, zones: false, sshKeys: false, userData: false, tags: false },
    states: STATES,
    create: (context) => ({ session: (credentials) => openSession(context, credentials, quirks) }),
  };
}

function openSession(
  context: InstanceContext,
  credentials: Credentials,
  quirks: ReadonlySet<FaultQuirk>,
): Session {
  if (quirks.has('logSecret')) context.logger.debug({ credentials }, 'session opened');
  const endpoint = String(context.parameters.endpoint).replace(/\/$/, '');
  const secret = credentials.secret ?? '';

  const mapError = (response: HttpResponse): ConnectorError | undefined => {
    if (response.status === 401 && quirks.has('authAsCloudError'))
      return new ConnectorError('CLOUD_ERROR', 'The fake cloud refused the request.', { status: 401 });
    if (response.status === 429 && quirks.has('dropRetryAfter'))
      return new ConnectorError('RATE_LIMITED', 'The fake cloud asks us to slow down.', { status: 429 });
    // The fake cloud's throttling without Retry-After, told apart from other 503s by its body, as
    // EC2's RequestLimitExceeded is.
    if (response.status === 503 && response.body.includes('Request limit exceeded'))
      return new ConnectorError('RATE_LIMITED', 'The fake cloud throttled the request.', { status: 503 });
    return undefined;
  };
  const request = async (
    method: HttpMethod,
    path: string,
    options: CallOptions & { readonly body?: unknown; readonly idempotent?: boolean } = {},
  ): Promise<HttpResponse> => {
    const response = await context.http.request({
      method,
      url: `${endpoint}${path}`,
      headers: {
        'x-api-key': credentials.key ?? '',
        'x-api-secret': secret,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      secrets: [secret],
      mapError,
      ...(options.idempotent === undefined ? {} : { idempotent: options.idempotent }),
      ...(quirks.has('noRetryOn503') ? { acceptStatus: [503] } : {}),
      ...(quirks.has('ignoreTimeout') ? { timeoutMs: 60_000 } : {}),
    });
    if (response.status === 503)
      throw new ConnectorError('CLOUD_UNAVAILABLE', 'The fake cloud is unavailable.', { status: 503 });
    return response;
  };
  const listVms = async (query: string, options: CallOptions = {}): Promise<FakeCloudVm[]> => {
    const response = await request('GET', `/vms${query}`, options);
    if (quirks.has('emptyOnMalformed')) {
      try {
        return (JSON.parse(response.body) as { vms: FakeCloudVm[] }).vms;
      } catch {
        return [];
      }
    }
    return response.json<{ vms: FakeCloudVm[] }>().vms;
  };
  const toVm = (vm: FakeCloudVm): Vm => ({
    id: vm.id,
    name: vm.name,
    state: mapState(STATES, vm.state),
    rawState: vm.state,
    publicIps: [vm.address],
    privateIps: [],
    image: vm.image,
    size: vm.size,
    createdAt: vm.createdAt,
    tags: {},
  });
  const create = async (
    request_: LaunchRequest,
    name: string,
    options: CallOptions,
  ): Promise<FakeCloudVm> => {
    const response = await request('POST', '/vms', {
      ...options,
      body: { name, image: request_.image, size: request_.size, token: request_.idempotencyKey },
      ...(quirks.has('retryCreateBlindly') ? { idempotent: true } : {}),
    });
    return response.json<{ vm: FakeCloudVm }>().vm;
  };

  return {
    async checkCredentials(options) {
      await request('GET', '/account', options);
    },
    async listImages(options) {
      return (await request('GET', '/images', options)).json<{ images: { id: string; name: string }[] }>()
        .images;
    },
    async listSizes(options) {
      return (await request('GET', '/sizes', options)).json<{ sizes: { id: string; name: string }[] }>()
        .sizes;
    },
    async listZones() {
      return [];
    },
    async launch(launch, options = {}) {
      if (quirks.has('retryCreateBlindly')) return [toVm(await create(launch, launch.name, options))];
      const vms = await launchIdempotently(launch, {
        find: async () => {
          const found = await listVms(`?token=${encodeURIComponent(launch.idempotencyKey)}`, options);
          return new Map(found.filter((vm) => vm.state !== 'deleted').map((vm) => [1, vm]));
        },
        prepare: async () => undefined,
        create: (_index, name) => create(launch, name, options),
        identify: (vm) => ({ id: vm.id, name: vm.name }),
        logger: context.logger,
      });
      return vms.map(toVm);
    },
    async describe(query = {}, options = {}) {
      const vms = (await listVms('', options)).map(toVm);
      return query.ids ? vms.filter((vm) => query.ids?.includes(vm.id)) : vms;
    },
    async terminate(ids, options) {
      for (const id of ids) await request('DELETE', `/vms/${encodeURIComponent(id)}`, options);
    },
  };
}
