import {
  type CallOptions,
  type Capabilities,
  type ConnectorDefinition,
  ConnectorError,
  type ConnectorInstance,
  type Credentials,
  type DescribeQuery,
  type Image,
  type InstanceContext,
  type LaunchRequest,
  mapState,
  type ParameterSpec,
  type Session,
  type Size,
  type StateTable,
  type Vm,
  type Zone,
} from '@slipstream/connector-core';

/**
 * A tiny in-memory connector that follows the contract, for the testkit's own tests. Each quirk
 * breaks one rule, so that the tests can show the suite catches it.
 */
export const QUIRKS = [
  'plainPasswordCredential',
  'functionInSpec',
  'badStateTable',
  'wrongContract',
  'acceptAnyCredentials',
  'noAddresses',
  'ignoreTags',
  'sharedTags',
  'ignoreIdempotency',
  'describeUnknownThrows',
  'terminateUnknownSucceeds',
  'terminateTwiceFails',
  'leakExpectedSecret',
  'logSecret',
  'launchFails',
  'neverRuns',
] as const;
export type Quirk = (typeof QUIRKS)[number];

export interface FakeOptions {
  readonly capabilities?: Partial<Capabilities>;
  readonly quirks?: readonly Quirk[];
}

/** The one user the fake cloud knows. */
export const FAKE_USER = { key: 'alice', secret: 'alice-secret-value' } as const;
export const FAKE_ADMIN_SECRET = 'fake-admin-secret';

const STATES: StateTable = {
  BOOTING: 'pending',
  UP: 'running',
  HALTING: 'stopping',
  HALTED: 'stopped',
  DELETING: 'terminating',
  DELETED: 'terminated',
  BROKEN: 'error',
};

const IMAGES: Image[] = [{ id: 'img-debian-12', name: 'Debian 12', os: 'linux' }];
const SIZES: Size[] = [
  { id: 'small', name: 'Small', cpus: 1, memoryMb: 1024, diskGb: 10 },
  { id: 'large', name: 'Large', cpus: 4, memoryMb: 8192, diskGb: 80 },
];
const ZONES: Zone[] = [
  { id: 'zone-a', name: 'Zone A' },
  { id: 'zone-b', name: 'Zone B' },
];

interface FakeVm {
  readonly id: string;
  readonly owner: string;
  readonly name: string;
  readonly image: string;
  readonly size: string;
  readonly zone: string | undefined;
  readonly tags: Record<string, string>;
  readonly createdAt: string;
  readonly n: number;
  raw: string;
  /** The raw state the VM moves to once `at` has passed. */
  next: { readonly raw: string; readonly at: number } | undefined;
}

export function fakeConnector(options: FakeOptions = {}): ConnectorDefinition {
  const quirks = new Set(options.quirks ?? []);
  const capabilities: Capabilities = {
    stopStart: true,
    zones: true,
    sshKeys: true,
    userData: true,
    tags: true,
    ...options.capabilities,
  };
  const definition: ConnectorDefinition = {
    name: 'fake',
    cloud: 'Fake Cloud',
    contract: quirks.has('wrongContract') ? 2 : 1,
    parameters: [
      {
        key: 'endpoint',
        label: 'Endpoint',
        description: 'The fake cloud API URL.',
        type: 'url',
        required: true,
      },
      {
        key: 'region',
        label: 'Region',
        description: 'Region.',
        type: 'enum',
        values: ['eu', 'us'],
        default: 'eu',
      },
      { key: 'admin.secret', label: 'Admin secret', description: 'An operator secret.', type: 'secret' },
      {
        key: 'boot.ms',
        label: 'Boot time',
        description: 'Milliseconds per transition.',
        type: 'integer',
        default: 20,
      },
      ...(quirks.has('functionInSpec')
        ? [
            {
              key: 'extra',
              label: 'Extra',
              description: 'x',
              type: 'string',
              validate: () => true,
            } as ParameterSpec,
          ]
        : []),
    ],
    credentials: [
      { key: 'key', label: 'Access key', description: 'Your access key.', type: 'string', required: true },
      { key: 'secret', label: 'Secret key', description: 'Your secret key.', type: 'secret', required: true },
      ...(quirks.has('plainPasswordCredential')
        ? [{ key: 'password', label: 'Password', description: 'x', type: 'string' as const }]
        : []),
    ],
    capabilities,
    states: quirks.has('badStateTable') ? { ...STATES, REBOOTING: 'rebooting' as never } : STATES,
    create: (context) => createFakeInstance(context, capabilities, quirks),
  };
  return definition;
}

function createFakeInstance(
  context: InstanceContext,
  capabilities: Capabilities,
  quirks: ReadonlySet<Quirk>,
): ConnectorInstance {
  const vms = new Map<string, FakeVm>();
  const launches = new Map<string, string[]>();
  const bootMs = Number(context.parameters['boot.ms']);
  let counter = 0;

  const after = (raw: string, next: string): Pick<FakeVm, 'raw' | 'next'> => ({
    raw,
    next: quirks.has('neverRuns') && next === 'UP' ? undefined : { raw: next, at: Date.now() + bootMs },
  });
  const settle = (vm: FakeVm): FakeVm => {
    if (vm.next && Date.now() >= vm.next.at) {
      vm.raw = vm.next.raw;
      vm.next = undefined;
    }
    return vm;
  };
  const toVm = (vm: FakeVm): Vm => ({
    id: vm.id,
    name: vm.name,
    state: mapState(STATES, vm.raw),
    rawState: vm.raw,
    publicIps: quirks.has('noAddresses') ? [] : [`203.0.113.${vm.n}`],
    privateIps: quirks.has('noAddresses') ? [] : [`10.0.0.${vm.n}`],
    image: vm.image,
    size: vm.size,
    zone: vm.zone,
    createdAt: vm.createdAt,
    tags: quirks.has('ignoreTags') ? {} : quirks.has('sharedTags') ? vm.tags : { ...vm.tags },
  });

  return {
    session(credentials: Credentials): Session {
      const owner = credentials.key ?? '';
      if (quirks.has('logSecret')) context.logger.debug({ credentials }, 'session opened');
      // Every call authenticates, as a signed API does, and yields so that signals are observed.
      const api = async (options: CallOptions | undefined): Promise<void> => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        options?.signal?.throwIfAborted();
        const ok = owner === FAKE_USER.key && credentials.secret === FAKE_USER.secret;
        if (!ok && !quirks.has('acceptAnyCredentials')) {
          const detail = quirks.has('leakExpectedSecret') ? ` (expected ${FAKE_USER.secret})` : '';
          throw new ConnectorError('AUTH_FAILED', `The fake cloud rejected access key "${owner}"${detail}.`, {
            status: 401,
          });
        }
      };
      const mine = (id: string): FakeVm | undefined => {
        const vm = vms.get(id);
        return vm && vm.owner === owner ? settle(vm) : undefined;
      };
      const transition = (ids: readonly string[], from: string, raw: string, next: string): void => {
        const found = ids.map((id) => mine(id));
        const missing = ids.filter((_, i) => !found[i]);
        if (missing.length > 0) throw new ConnectorError('NOT_FOUND', `No VM ${missing.join(', ')}.`);
        for (const vm of found as FakeVm[]) {
          if (vm.raw !== from)
            throw new ConnectorError('INVALID_REQUEST', `VM ${vm.id} is ${vm.raw}, not ${from}.`);
          Object.assign(vm, after(raw, next));
        }
      };
      const session: Session = {
        checkCredentials: (options) => api(options),
        async listImages(options) {
          await api(options);
          return IMAGES;
        },
        async listSizes(options) {
          await api(options);
          return SIZES;
        },
        async listZones(options) {
          await api(options);
          return capabilities.zones ? ZONES : [];
        },
        async launch(request: LaunchRequest, options) {
          await api(options);
          if (quirks.has('launchFails'))
            throw new ConnectorError('QUOTA_EXCEEDED', 'The fake cloud is full.');
          const key = `${owner}/${request.idempotencyKey}`;
          const earlier = launches.get(key);
          if (earlier && !quirks.has('ignoreIdempotency'))
            return earlier.map((id) => toVm(settle(vms.get(id) as FakeVm)));
          if (!IMAGES.some((i) => i.id === request.image))
            throw new ConnectorError('NOT_FOUND', `No image ${request.image}.`);
          if (!SIZES.some((s) => s.id === request.size))
            throw new ConnectorError('NOT_FOUND', `No size ${request.size}.`);
          const count = request.count ?? 1;
          const created: FakeVm[] = [];
          for (let i = 1; i <= count; i++) {
            counter += 1;
            const vm: FakeVm = {
              id: `vm-${counter}`,
              owner,
              name: count > 1 ? `${request.name}-${i}` : request.name,
              image: request.image,
              size: request.size,
              zone: request.zone,
              tags: { ...request.tags },
              createdAt: new Date().toISOString(),
              n: counter,
              ...after('BOOTING', 'UP'),
            };
            vms.set(vm.id, vm);
            created.push(vm);
          }
          launches.set(
            key,
            created.map((vm) => vm.id),
          );
          return created.map(toVm);
        },
        async describe(query: DescribeQuery = {}, options?: CallOptions) {
          await api(options);
          if (quirks.has('describeUnknownThrows') && query.ids?.some((id) => !vms.has(id))) {
            throw new ConnectorError('NOT_FOUND', 'No such VM.');
          }
          const ids = query.ids ?? [...vms.keys()];
          return ids.flatMap((id) => {
            const vm = mine(id);
            return vm ? [toVm(vm)] : [];
          });
        },
        async terminate(ids, options) {
          await api(options);
          const found = ids.map((id) => mine(id));
          const missing = ids.filter((_, i) => !found[i]);
          if (missing.length > 0 && !quirks.has('terminateUnknownSucceeds')) {
            throw new ConnectorError('NOT_FOUND', `No VM ${missing.join(', ')}.`);
          }
          for (const vm of found) {
            if (!vm) continue;
            if (vm.raw === 'DELETED' || vm.raw === 'DELETING') {
              if (quirks.has('terminateTwiceFails'))
                throw new ConnectorError('CLOUD_ERROR', `VM ${vm.id} is gone.`);
              continue;
            }
            Object.assign(vm, after('DELETING', 'DELETED'));
          }
        },
        ...(capabilities.stopStart
          ? {
              async stop(ids: readonly string[], options?: CallOptions) {
                await api(options);
                transition(ids, 'UP', 'HALTING', 'HALTED');
              },
              async start(ids: readonly string[], options?: CallOptions) {
                await api(options);
                transition(ids, 'HALTED', 'BOOTING', 'UP');
              },
            }
          : {}),
      };
      return session;
    },
  };
}
