import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.js';
import { OPENSTACK_IMAGES } from '../catalog.js';
import { type RunningOpenStack, startOpenStack } from '../index.js';
import { PRIVATE_NETWORK, PUBLIC_NETWORK } from '../network/networks.js';
import { TestSession } from '../test-client.js';

const CIRROS = OPENSTACK_IMAGES[0]?.id as string;
const UBUNTU = OPENSTACK_IMAGES[1]?.id as string;
const PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHx1cqsYRjHvFa8mZ7q7t9kS2Y8S3aVj1Yp1Bk0v9vbq test@example';

// Nova's servers API over HTTP, on a manual clock: boots and halts happen when the test says so.
describe('Nova servers', () => {
  let sim: RunningOpenStack;
  let os: TestSession;
  const clock = new ManualClock(Date.UTC(2026, 1, 1));
  const boot = (server: Record<string, unknown> = {}, version = '2.47') =>
    os.compute('/servers', {
      method: 'POST',
      version,
      body: { server: { name: 'web', imageRef: CIRROS, flavorRef: '1', networks: 'auto', ...server } },
    });
  const show = async (id: string, version = '2.47') =>
    (await os.compute(`/servers/${id}`, { version })).body.server;

  beforeAll(async () => {
    sim = await startOpenStack({
      clock,
      bootDelayMs: 1000,
      haltDelayMs: 500,
      accounts: [{ key: 'demo', secret: 'demo-password', name: 'demo', vmLimit: 6 }],
    });
    os = await new TestSession(sim).login();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.control.clearFaults();
    // Each test starts from an empty project.
    for (const vm of sim.control.cloud.vms(sim.control.cloud.accountByKey('demo')?.id ?? '')) {
      if (vm.phase !== 'expunging') await os.compute(`/servers/${vm.id}`, { method: 'DELETE' });
    }
    clock.advance(1000);
  });

  it('creates a server: 202 with Location, links and an admin password, then BUILD → ACTIVE', async () => {
    const created = await boot({
      metadata: { role: 'web' },
      user_data: Buffer.from('#!/bin/sh\n').toString('base64'),
    });
    expect(created.status).toBe(202);
    const { server } = created.body;
    expect(server).toMatchObject({
      'OS-DCF:diskConfig': 'MANUAL',
      security_groups: [{ name: 'default' }],
      links: [
        { rel: 'self', href: `${sim.computeUrl}/servers/${server.id}` },
        { rel: 'bookmark', href: `${sim.url}/compute/servers/${server.id}` },
      ],
    });
    expect(server.adminPass).toMatch(/^\S{12}$/);
    expect(created.headers.get('location')).toBe(`${sim.computeUrl}/servers/${server.id}`);
    expect(created.headers.get('openstack-api-version')).toBe('compute 2.47');
    expect(created.headers.get('x-compute-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);

    const building = await show(server.id);
    expect(building).toMatchObject({
      status: 'BUILD',
      'OS-EXT-STS:vm_state': 'building',
      'OS-EXT-STS:task_state': 'spawning',
      'OS-EXT-STS:power_state': 0,
      'OS-SRV-USG:launched_at': null,
      addresses: {},
      metadata: { role: 'web' },
      tenant_id: sim.user.projectId,
      'OS-EXT-AZ:availability_zone': 'nova',
      flavor: {
        vcpus: 1,
        ram: 512,
        disk: 1,
        ephemeral: 0,
        swap: 0,
        original_name: 'm1.tiny',
        extra_specs: {},
      },
      image: { id: CIRROS },
    });
    clock.advance(1000);
    const active = await show(server.id);
    expect(active).toMatchObject({
      status: 'ACTIVE',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      'OS-SRV-USG:launched_at': '2026-02-01T00:00:02',
      updated: '2026-02-01T00:00:02Z',
      created: '2026-02-01T00:00:01Z',
    });
    expect(active.addresses.private).toEqual([
      expect.objectContaining({
        version: 4,
        'OS-EXT-IPS:type': 'fixed',
        addr: expect.stringMatching(/^10\./),
      }),
    ]);
    expect(active.addresses.private[0]['OS-EXT-IPS-MAC:mac_addr']).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect((await os.compute(`/servers/${server.id}/metadata`)).body).toEqual({ metadata: { role: 'web' } });
  });

  it('stops and starts through powering-off and powering-on, refusing actions in the wrong state with 409', async () => {
    const { id } = (await boot()).body.server;
    const action = (body: unknown) => os.compute(`/servers/${id}/action`, { method: 'POST', body });
    const refused = await action({ 'os-stop': null });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      conflictingRequest: {
        code: 409,
        message: `Cannot 'stop' instance ${id} while it is in vm_state building`,
      },
    });
    clock.advance(1000);
    expect((await action({ 'os-stop': null })).status).toBe(202);
    expect(await show(id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'powering-off' });
    expect((await action({ 'os-stop': null })).body.conflictingRequest.message).toBe(
      `Cannot 'stop' instance ${id} while it is in task_state powering-off`,
    );
    clock.advance(500);
    expect(await show(id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:power_state': 4 });
    expect((await action({ 'os-start': null })).status).toBe(202);
    expect(await show(id)).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:task_state': 'powering-on' });
    clock.advance(1000);
    expect((await show(id)).status).toBe('ACTIVE');
    expect((await action({ reboot: { type: 'SOFT' } })).body.badRequest.message).toBe(
      'There is no such action: reboot',
    );
    expect((await action({ 'os-stop': {} })).status).toBe(400);
    expect((await action('{"os-stop": null, "os-start": null}')).body.badRequest.message).toBe(
      'Malformed request body',
    );
  });

  it('deletes: 204, task_state deleting, then 404; deleted servers show only to changes-since', async () => {
    const { id } = (await boot()).body.server;
    clock.advance(1000);
    const since = new Date(clock.now()).toISOString();
    expect((await os.compute(`/servers/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await show(id)).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting' });
    // A second delete while the first is under way is accepted too.
    expect((await os.compute(`/servers/${id}`, { method: 'DELETE' })).status).toBe(204);
    clock.advance(500);
    const gone = await os.compute(`/servers/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
    expect((await os.compute('/servers/detail')).body.servers).toEqual([]);
    const changed = await os.compute(`/servers/detail?changes-since=${encodeURIComponent(since)}`);
    expect(changed.body.servers).toEqual([
      expect.objectContaining({ id, status: 'DELETED', 'OS-EXT-STS:vm_state': 'deleted', addresses: {} }),
    ]);
    expect(changed.body.servers[0]['OS-SRV-USG:terminated_at']).not.toBeNull();
  });

  it('puts a server whose boot fails in ERROR with a fault', async () => {
    sim.control.failJobs(1);
    const { id } = (await boot()).body.server;
    clock.advance(1000);
    const failed = await show(id);
    expect(failed).toMatchObject({ status: 'ERROR', 'OS-EXT-STS:vm_state': 'error', fault: { code: 500 } });
    expect((await os.compute(`/servers/${id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('refuses bad create requests the way Nova words them', async () => {
    sim.control.cloud.registerKeyPair(sim.control.cloud.accountByKey('demo')?.id ?? '', 'mine', PUBLIC_KEY);
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ flavorRef: '999' }, 400, 'Flavor 999 could not be found.'],
      [{ imageRef: '00000000-0000-4000-8000-000000000000' }, 400, 'Can not find requested image'],
      [
        { imageRef: 'not-a-uuid' },
        400,
        "Invalid input for field/attribute imageRef. Value: 'not-a-uuid'. 'not-a-uuid' is not valid under any of the given schemas",
      ],
      [{ key_name: 'missing' }, 400, 'Invalid key_name provided.'],
      [{ availability_zone: 'mars' }, 400, 'The requested availability zone is not available'],
      [
        { networks: [{ uuid: '00000000-0000-4000-8000-000000000000' }] },
        400,
        'Network 00000000-0000-4000-8000-000000000000 could not be found.',
      ],
      [
        { networks: [{ uuid: PUBLIC_NETWORK.id }] },
        403,
        `It is not allowed to create an interface on external network ${PUBLIC_NETWORK.id}`,
      ],
      [
        { user_data: 'not base64!' },
        400,
        "Invalid input for field/attribute user_data. Value: 'not base64!'. 'not base64!' is not a 'base64'",
      ],
      [
        { metadata: { 'bad/key': 'x' } },
        400,
        'Invalid input for field/attribute metadata. Value: {"bad/key":"x"}. Additional properties are not allowed (\'bad/key\' was unexpected)',
      ],
      [{ color: 'blue' }, 400, "Additional properties are not allowed ('color' was unexpected)"],
      [
        { name: ' padded' },
        400,
        "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
      ],
      [
        { imageRef: UBUNTU },
        400,
        "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is 1073741824 bytes, minimum size is 3221225472 bytes.",
      ],
      [{ min_count: 3, max_count: 2 }, 400, 'min_count must be <= max_count'],
    ];
    for (const [server, status, message] of cases) {
      const answer = await boot(server);
      expect(answer.status, JSON.stringify(server)).toBe(status);
      expect(Object.values(answer.body)[0], JSON.stringify(server)).toEqual({ code: status, message });
    }
    const noNetworks = await os.compute('/servers', {
      method: 'POST',
      version: '2.37',
      body: { server: { name: 'x', imageRef: CIRROS, flavorRef: '1' } },
    });
    expect(noNetworks.body.badRequest.message).toBe("'networks' is a required property");
    // Before 2.37, networks may be left out.
    expect((await boot({ networks: undefined }, '2.1')).status).toBe(202);
    expect(
      (await os.compute('/servers', { method: 'POST', body: '{"server":' })).body.badRequest.message,
    ).toBe('Malformed request body');
    expect((await boot({ key_name: 'mine', networks: [{ uuid: PRIVATE_NETWORK.id }] })).status).toBe(202);
  });

  it('answers quota exhaustion with 403 forbidden and the numbers, and creates max_count servers when they fit', async () => {
    const many = await boot({ name: 'batch', min_count: 2, max_count: 4 });
    expect(many.status).toBe(202);
    const names = (await os.compute('/servers')).body.servers.map((server: { name: string }) => server.name);
    expect(names.sort()).toEqual(['batch-1', 'batch-2', 'batch-3', 'batch-4']);
    // Two more fit of the six; asking for 3..5 gets the two.
    expect((await boot({ name: 'more', min_count: 1, max_count: 5 })).status).toBe(202);
    const refused = await boot();
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      forbidden: {
        code: 403,
        message: 'Quota exceeded for instances: Requested 1, but already used 6 of 6 instances',
      },
    });
    const limits = (await os.compute('/limits')).body.limits;
    expect(limits.absolute).toMatchObject({ maxTotalInstances: 6, totalInstancesUsed: 6, totalCoresUsed: 6 });
    expect(limits.absolute.maxTotalFloatingIps).toBe(10);
    expect((await os.compute('/limits', { version: '2.57' })).body.limits.absolute).not.toHaveProperty(
      'maxPersonality',
    );
  });

  it('answers unknown servers, foreign project URLs and unknown paths as Nova does', async () => {
    const missing = await os.compute('/servers/8d6e0d1e-0000-4000-8000-000000000000');
    expect(missing.body.itemNotFound.message).toBe(
      'Instance 8d6e0d1e-0000-4000-8000-000000000000 could not be found.',
    );
    const { id } = (await boot()).body.server;
    const withProject = await os.compute(`/${sim.user.projectId}/servers/${id}`);
    expect(withProject.status).toBe(200);
    expect(withProject.body.server.links[0].href).toBe(
      `${sim.computeUrl}/${sim.user.projectId}/servers/${id}`,
    );
    const foreign = await os.compute(`/0123456789abcdef0123456789abcdef/servers/${id}`);
    expect(foreign.body.badRequest.message).toBe(
      `Malformed request URL: URL's project_id '0123456789abcdef0123456789abcdef' doesn't match Context's project_id '${sim.user.projectId}'`,
    );
    const unknown = await os.compute('/os-hypervisors', { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      message: 'The resource could not be found.<br /><br />\n\n\n',
      code: '404 Not Found',
      title: 'Not Found',
    });
  });
});
