import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ConnectorDefinition, InstanceContext, LaunchRequest, Session, Vm } from './contract.js';
import { ConnectorError } from './errors.js';
import { createInstance } from './instance.js';
import { checkLaunchRequest } from './launch-request.js';

const SECRET = 'sk-very-secret-value-42';

/** A fake connector whose session methods are supplied per test, recording what it receives. */
function fakeDefinition(session: Partial<Session> = {}, overrides: Partial<ConnectorDefinition> = {}) {
  const received: {
    context?: InstanceContext;
    credentials?: unknown;
    launches: LaunchRequest[];
    calls: string[];
  } = {
    launches: [],
    calls: [],
  };
  const definition: ConnectorDefinition = {
    name: 'fake',
    cloud: 'Fake Cloud',
    contract: 1,
    parameters: [
      { key: 'endpoint', label: 'Endpoint', description: 'API URL.', type: 'url', required: true },
      { key: 'api.secret', label: 'Secret', description: 'Shared secret.', type: 'secret' },
    ],
    credentials: [
      { key: 'key', label: 'Key', description: 'API key.', type: 'string', required: true },
      { key: 'secret', label: 'Secret', description: 'API secret.', type: 'secret', required: true },
    ],
    capabilities: { stopStart: false, zones: true, sshKeys: false, userData: true, tags: true },
    states: { UP: 'running' },
    create(context) {
      received.context = context;
      return {
        session(credentials) {
          received.credentials = credentials;
          return {
            checkCredentials: async () => {},
            listImages: async () => [],
            listSizes: async () => [],
            listZones: async () => [],
            launch: async (request) => {
              received.launches.push(request);
              return [];
            },
            describe: async () => {
              received.calls.push('describe');
              return [];
            },
            terminate: async () => {},
            ...session,
          };
        },
      };
    },
    ...overrides,
  };
  return { definition, received };
}

const parameters = { endpoint: 'https://fake.example.org/api' };
const credentials = { key: 'AKID', secret: SECRET };
const launch: LaunchRequest = { name: 'web', image: 'img', size: 'small', idempotencyKey: 'k-1' };

function expectNoSecret(error: unknown): void {
  for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })])
    expect(text).not.toContain(SECRET);
}

describe('createInstance', () => {
  it('hands create validated parameters with the common ones and defaults', async () => {
    const { definition, received } = fakeDefinition();
    const instance = await createInstance(definition, {
      instance: 'cloud2',
      parameters: { ...parameters, 'max.iaas.workers': '3' },
    });
    expect(instance.name).toBe('cloud2');
    expect(received.context?.instance).toBe('cloud2');
    expect(received.context?.parameters).toEqual({ ...parameters, 'quota.vm': 20, 'max.iaas.workers': 3 });
    await instance.close();
  });

  it('refuses invalid parameters with CONFIG_INVALID listing each problem, without calling create', async () => {
    const { definition, received } = fakeDefinition();
    const error = await createInstance(definition, { parameters: { 'quota.vm': -1, endpont: 'x' } }).catch(
      (e: unknown) => e,
    );
    expect(ConnectorError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as ConnectorError).problems.map((p) => p.key).sort()).toEqual([
      'endpoint',
      'endpont',
      'quota.vm',
    ]);
    expect(received.context).toBeUndefined();
  });

  it('keeps CONFIG_INVALID from create a configuration problem, scrubbed of secret parameters', async () => {
    const { definition } = fakeDefinition(
      {},
      {
        create: () => {
          throw new ConnectorError('CONFIG_INVALID', `api.secret ${SECRET} is malformed`);
        },
      },
    );
    const error = await createInstance(definition, {
      instance: 'lab',
      parameters: { ...parameters, 'api.secret': SECRET },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', connector: 'fake', instance: 'lab' });
    expectNoSecret(error);
  });

  it('refuses a create that returns no session factory, and an invalid instance name', async () => {
    const { definition } = fakeDefinition({}, { create: () => null as never });
    await expect(createInstance(definition, { parameters })).rejects.toMatchObject({
      code: 'CONNECTOR_LOAD_FAILED',
    });
    await expect(
      createInstance(fakeDefinition().definition, { instance: 'Bad Name!', parameters }),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('turns a throwing create into CONNECTOR_LOAD_FAILED without leaking secret parameters', async () => {
    const { definition } = fakeDefinition(
      {},
      {
        create: () => {
          throw new Error(`cannot use secret ${SECRET}`);
        },
      },
    );
    const error = await createInstance(definition, {
      parameters: { ...parameters, 'api.secret': SECRET },
    }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CONNECTOR_LOAD_FAILED')).toBe(true);
    expectNoSecret(error);
  });
});

describe('sessions', () => {
  it('validates credentials against the specs and lists every problem', async () => {
    const { definition } = fakeDefinition();
    const instance = await createInstance(definition, { parameters });
    const error = await instance.session({ secret: 42 }).catch((e: unknown) => e);
    expect(ConnectorError.hasCode(error, 'CREDENTIALS_INVALID')).toBe(true);
    expect((error as ConnectorError).problems.map((p) => p.key)).toEqual(['key', 'secret']);
  });

  it('wraps unexpected errors as CLOUD_ERROR naming connector and instance, secrets scrubbed everywhere', async () => {
    const cause = new Error(`upstream said: bad signature for ${SECRET}`);
    const { definition } = fakeDefinition({
      listImages: async () => {
        throw new TypeError(`oops ${SECRET}`, { cause });
      },
    });
    const instance = await createInstance(definition, { instance: 'lab', parameters });
    const session = await instance.session(credentials);
    const error = await session.listImages().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLOUD_ERROR', connector: 'fake', instance: 'lab' });
    expect((error as Error).message).toContain('oops [REDACTED]');
    expectNoSecret(error);
  });

  it('adds connector and instance to a ConnectorError the connector threw, keeping its code', async () => {
    const { definition } = fakeDefinition({
      terminate: async () => {
        throw new ConnectorError('NOT_FOUND', `no VM i-1 for key ${SECRET}`);
      },
    });
    const session = await (await createInstance(definition, { instance: 'lab', parameters })).session(
      credentials,
    );
    const error = await session.terminate(['i-1']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND', connector: 'fake', instance: 'lab', retryable: false });
    expectNoSecret(error);
  });

  it('answers UNSUPPORTED for stop/start when the capability is off', async () => {
    const { definition } = fakeDefinition();
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    await expect(session.stop?.(['i-1'])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('refuses an already aborted signal before reaching the connector', async () => {
    const { definition, received } = fakeDefinition();
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    await expect(session.describe({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(received.calls).toEqual([]);
  });

  it('reports ABORTED when the connector rethrows a custom abort reason', async () => {
    const controller = new AbortController();
    const { definition } = fakeDefinition({
      listSizes: async () => {
        controller.abort({ why: 'user left' });
        throw controller.signal.reason;
      },
    });
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    await expect(session.listSizes({ signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('answers ABORTED as soon as the signal fires, even when the connector ignores it', async () => {
    const controller = new AbortController();
    let finish: (() => void) | undefined;
    const { definition } = fakeDefinition({
      describe: () =>
        new Promise((resolve) => {
          finish = () => resolve([]);
        }),
    });
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    const pending = session.describe({}, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED', connector: 'fake' });
    finish?.();
  });

  it('answers describe of no ids without asking the cloud', async () => {
    const { definition, received } = fakeDefinition();
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    expect(await session.describe({ ids: [] })).toEqual([]);
    expect(received.calls).toEqual([]);
  });

  it('normalizes VMs: string ids, unknown states, arrays and tags present', async () => {
    const weird = { id: 42, name: 'a', state: 'melting', rawState: 'MELT' } as unknown as Vm;
    const { definition } = fakeDefinition({ describe: async () => [weird] });
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    expect(await session.describe()).toEqual([
      { id: '42', name: 'a', state: 'unknown', rawState: 'MELT', publicIps: [], privateIps: [], tags: {} },
    ]);
  });

  it('passes well-formed VMs on as the connector made them, without copying', async () => {
    const vm: Vm = {
      id: 'a',
      name: 'a',
      state: 'running',
      rawState: 'UP',
      publicIps: [],
      privateIps: [],
      tags: {},
    };
    const { definition } = fakeDefinition({ describe: async () => [vm] });
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    const [described] = await session.describe();
    expect(described).toBe(vm);
  });

  it('validates the launch request once and passes the defaults on', async () => {
    const { definition, received } = fakeDefinition();
    const session = await (await createInstance(definition, { parameters })).session(credentials);
    await session.launch(launch);
    expect(received.launches).toEqual([{ ...launch, count: 1 }]);
  });
});

describe('checkLaunchRequest', () => {
  const capabilities = { stopStart: true, zones: false, sshKeys: false, userData: false, tags: false };

  it('reports every problem together', () => {
    const bad = {
      name: '',
      image: 3,
      count: 0,
      idempotencyKey: 'has spaces',
      tags: { a: 1 },
    } as unknown as LaunchRequest;
    try {
      checkLaunchRequest(bad, { name: 'x', capabilities: { ...capabilities, tags: true } });
      expect.unreachable();
    } catch (error) {
      expect(ConnectorError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
      const messages = (error as ConnectorError).problems.map((p) => p.message);
      expect(messages).toHaveLength(6);
      expect(messages.join('\n')).toMatch(
        /"name".*\n.*"image".*\n.*"size".*\n.*"idempotencyKey".*\n.*"count".*\n.*"tags"/,
      );
    }
  });

  it('refuses options the connector cannot honour instead of dropping them', () => {
    const request: LaunchRequest = {
      ...launch,
      zone: 'z1',
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMm2 me@host',
      userData: '#cloud-config',
      tags: { team: 'a' },
    };
    const error = (() => {
      try {
        return checkLaunchRequest(request, { name: 'x', capabilities });
      } catch (e) {
        return e as ConnectorError;
      }
    })() as ConnectorError;
    expect(error.problems.map((p) => p.message.split(' ')[0])).toEqual([
      '"sshPublicKey"',
      '"userData"',
      '"zone"',
      '"tags"',
    ]);
  });

  it('rejects a malformed SSH public key', () => {
    expect(() =>
      checkLaunchRequest(
        { ...launch, sshPublicKey: 'not a key' },
        { name: 'x', capabilities: { ...capabilities, sshKeys: true } },
      ),
    ).toThrow(/OpenSSH public key/);
  });
});
