import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeyPair, keyPairName } from './keypairs.js';
import { itemNotFound, type Stub, type StubRequest, startStub, stubClient } from './testing/stub.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNsaXBzdHJlYW0tY29ubmVjdG9yLXRlc3Qta2V5LTAx tester@example';
const OTHER =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG90aGVyLWtleS1vdGhlci1rZXktb3RoZXIta2V5LTAy other@example';

let stub: Stub;
let stored: Map<string, string>;

function nova(request: StubRequest) {
  const name = decodeURIComponent(request.path.split('/').pop() ?? '');
  if (request.method === 'GET') {
    const key = stored.get(name);
    return key === undefined
      ? itemNotFound(`Keypair ${name}`)
      : { body: { keypair: { name, public_key: key, fingerprint: 'aa:bb', type: 'ssh' } } };
  }
  const { keypair } = request.json as { keypair: { name: string; public_key: string } };
  if (stored.has(keypair.name)) {
    return {
      status: 409,
      body: { conflictingRequest: { code: 409, message: `Key pair '${keypair.name}' already exists.` } },
    };
  }
  stored.set(keypair.name, keypair.public_key);
  return { status: 201, body: { keypair: { ...keypair, fingerprint: 'aa:bb', type: 'ssh', user_id: 'u' } } };
}

beforeAll(async () => {
  stub = await startStub(nova);
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  stored = new Map();
  stub.handle(nova);
});

describe('key pairs', () => {
  it('names a key pair after the key, not its comment, in Nova key pair name characters', () => {
    const name = keyPairName(KEY);
    expect(name).toMatch(/^slipstream-[0-9a-f]{16}$/);
    expect(keyPairName(KEY.replace('tester@example', 'someone else'))).toBe(name);
    expect(keyPairName(OTHER)).not.toBe(name);
  });

  it('imports the key once and reuses it afterwards', async () => {
    const client = stubClient(stub);
    const name = await ensureKeyPair(client, KEY);
    expect(stored.get(name)).toBe(KEY);
    const post = stub.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/compute/v2.1/os-keypairs');
    expect(post?.json).toEqual({ keypair: { name, public_key: KEY, type: 'ssh' } });
    expect(await ensureKeyPair(client, `${KEY}\n`)).toBe(name);
    expect(stub.count('POST', '/compute/v2.1/os-keypairs')).toBe(1);
  });

  it('accepts a key imported concurrently (409), and refuses a name holding another key', async () => {
    const name = keyPairName(KEY);
    stub.handle((request) => {
      if (request.method === 'GET' && !stored.has(name)) {
        // Another launch imports it between our lookup and our import.
        stored.set(name, KEY);
        return itemNotFound(`Keypair ${name}`);
      }
      return nova(request);
    });
    expect(await ensureKeyPair(stubClient(stub), KEY)).toBe(name);
    stored.set(name, OTHER);
    stub.handle(nova);
    await expect(ensureKeyPair(stubClient(stub), KEY)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining(`Key pair "${name}" exists with another public key`),
    });
  });
});
