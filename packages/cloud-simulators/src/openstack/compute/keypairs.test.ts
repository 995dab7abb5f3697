import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { TestSession } from '../test-client.js';

const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

/** What Nova computes for an SSH key: the MD5 of the key blob, colon-separated. */
function md5Fingerprint(line: string): string {
  const blob = Buffer.from(line.split(' ')[1] ?? '', 'base64');
  return (createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':');
}

describe('Nova os-keypairs', () => {
  let sim: RunningOpenStack;
  let os: TestSession;

  beforeAll(async () => {
    sim = await startOpenStack({ maxLimit: 2 });
    os = await new TestSession(sim).login();
  });
  afterAll(() => sim.close());

  it('imports a public key: 201 from 2.2 with its type, its fingerprint and the user', async () => {
    const answer = await os.compute('/os-keypairs', {
      method: 'POST',
      version: '2.2',
      body: { keypair: { name: 'laptop', public_key: PUBLIC_KEY } },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.keypair).toEqual({
      name: 'laptop',
      public_key: PUBLIC_KEY,
      fingerprint: md5Fingerprint(PUBLIC_KEY),
      type: 'ssh',
      user_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const show = await os.compute('/os-keypairs/laptop', { version: '2.2' });
    expect(show.body.keypair).toMatchObject({
      name: 'laptop',
      deleted: false,
      type: 'ssh',
      id: expect.any(Number),
    });
    const again = await os.compute('/os-keypairs', {
      method: 'POST',
      body: { keypair: { name: 'laptop', public_key: PUBLIC_KEY } },
    });
    expect(again.body).toEqual({
      conflictingRequest: { code: 409, message: "Key pair 'laptop' already exists." },
    });
  });

  it('answers 200 at 2.1, and generates a key pair when no public key is given before 2.92', async () => {
    const generated = await os.compute('/os-keypairs', {
      method: 'POST',
      body: { keypair: { name: 'made' } },
    });
    expect(generated.status).toBe(200);
    expect(generated.body.keypair.public_key).toMatch(/^ssh-rsa AAAAB3NzaC1yc2E\S+ Generated-by-Nova$/);
    expect(generated.body.keypair.private_key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(generated.body.keypair).not.toHaveProperty('type');
    const required = await os.compute('/os-keypairs', {
      method: 'POST',
      version: '2.92',
      body: { keypair: { name: 'x' } },
    });
    expect(required.body.badRequest.message).toBe("'public_key' is a required property");
  });

  it('refuses junk keys and names Nova would refuse', async () => {
    const junk = await os.compute('/os-keypairs', {
      method: 'POST',
      body: { keypair: { name: 'junk', public_key: 'ssh-rsa nope' } },
    });
    expect(junk.body.badRequest.message).toBe('Keypair data is invalid: failed to generate fingerprint');
    const name = await os.compute('/os-keypairs', {
      method: 'POST',
      body: { keypair: { name: 'a/b', public_key: PUBLIC_KEY } },
    });
    expect(name.status).toBe(400);
    // 2.92 allows @ and dots in names.
    const dotted = await os.compute('/os-keypairs', {
      method: 'POST',
      version: '2.92',
      body: { keypair: { name: 'me@host.example', public_key: PUBLIC_KEY } },
    });
    expect(dotted.status).toBe(201);
  });

  it('lists key pairs, paginated from 2.35, and deletes them', async () => {
    const all = await os.compute('/os-keypairs');
    expect(all.body.keypairs.map((entry: { keypair: { name: string } }) => entry.keypair.name)).toEqual([
      'laptop',
      'made',
      'me@host.example',
    ]);
    expect(all.body).not.toHaveProperty('keypairs_links');
    const paged = await os.compute('/os-keypairs', { version: '2.35' });
    expect(paged.body.keypairs).toHaveLength(2);
    expect(paged.body.keypairs_links[0].href).toBe(`${sim.computeUrl}/os-keypairs?marker=made`);
    expect((await os.compute('/os-keypairs/made', { method: 'DELETE', version: '2.2' })).status).toBe(204);
    const missing = await os.compute('/os-keypairs/made');
    expect(missing.body.itemNotFound.message).toMatch(/^Keypair made not found for user [0-9a-f]{32}$/);
  });
});
