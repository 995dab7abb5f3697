import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningOtc, startOtc } from './index.js';
import { issueToken, signedCall, tokenCall } from './test-client.js';

interface CatalogEntry {
  type: string;
  name: string;
  endpoints: Array<{ interface: string; region_id: string; url: string }>;
}

let sim: RunningOtc;

beforeAll(async () => {
  sim = await startOtc({
    bootDelayMs: 50,
    haltDelayMs: 50,
    accounts: [
      { key: 'alice', secret: 'alice-password', name: 'eu-de' },
      { key: 'bob', secret: 'bob-password', name: 'eu-de_team' },
    ],
  });
});

afterAll(() => sim.close());

const alice = () => ({ accessKey: sim.accessKey, secretKey: sim.secretKey });

describe('OTC simulator: IAM tokens', () => {
  it('issues a token for a tenant user scoped to the region project, with the catalog IAM renders', async () => {
    const { token, answer } = await issueToken(sim.authUrl, {
      username: 'alice',
      password: 'alice-password',
      domain: sim.user.domain,
      project: 'eu-de',
    });
    expect(answer.status).toBe(201);
    expect(token).toBeTruthy();
    const body = answer.json.token as {
      project: { id: string };
      catalog: CatalogEntry[];
      issued_at: string;
      expires_at: string;
    };
    // IAM tokens are valid for 24 hours.
    expect(Date.parse(body.expires_at) - Date.parse(body.issued_at)).toBe(86_400_000);
    expect(body.project).toMatchObject({ name: 'eu-de', domain: { name: 'OTC00000000001000000001' } });
    const catalog = body.catalog;
    expect(catalog.map((entry) => `${entry.type}:${entry.name}`)).toEqual([
      'identity:keystone',
      'compute:nova',
      'image:glance',
      'network:neutron',
    ]);
    for (const entry of catalog) {
      expect(entry.endpoints.map((endpoint) => endpoint.interface)).toEqual(['public']);
      expect(entry.endpoints[0]?.region_id).toBe('eu-de');
    }
    const compute = catalog.find((entry) => entry.type === 'compute')?.endpoints[0]?.url;
    expect(compute).toBe(`${sim.url}/v2.1/${body.project.id}`);
    expect(compute).toBe(sim.computeUrl);
  });

  it('refuses a user of another domain and a wrong password alike', async () => {
    for (const user of [
      { username: 'alice', password: 'alice-password', domain: 'OTC-other', project: 'eu-de' },
      { username: 'alice', password: 'nope', domain: sim.user.domain, project: 'eu-de' },
    ]) {
      const { answer } = await issueToken(sim.authUrl, user);
      expect(answer.status).toBe(401);
      expect(answer.json.error).toMatchObject({ code: 401, title: 'Unauthorized' });
    }
  });

  it('serves ECS with the token at /v2.1/{project_id} and IMS images with OTC attributes', async () => {
    const { token } = await issueToken(sim.authUrl, { ...sim.user, project: 'eu-de' });
    const flavors = await tokenCall(`${sim.computeUrl}/flavors/detail`, token as string);
    expect(flavors.status).toBe(200);
    expect((flavors.json.flavors as Array<{ id: string }>).map((flavor) => flavor.id)).toContain(
      's3.medium.1',
    );
    const zones = await tokenCall(`${sim.computeUrl}/os-availability-zone`, token as string);
    expect(
      (zones.json.availabilityZoneInfo as Array<{ zoneName: string }>).map((zone) => zone.zoneName),
    ).toEqual(['eu-de-01', 'eu-de-02', 'eu-de-03']);
    const images = await tokenCall(`${sim.imageUrl}/v2/images`, token as string);
    expect(images.status).toBe(200);
    const ubuntu = (images.json.images as Array<Record<string, unknown>>).find(
      (image) => image.name === 'Standard_Ubuntu_22.04_latest',
    );
    expect(ubuntu).toMatchObject({
      __imagetype: 'gold',
      __platform: 'Ubuntu',
      __os_type: 'Linux',
      __os_bit: '64',
      __os_version: 'Ubuntu 22.04 64bit',
      __isregistered: 'true',
      visibility: 'public',
    });
  });

  it("answers a project id in the URL that is not the token's with Nova's 400", async () => {
    const { token } = await issueToken(sim.authUrl, { ...sim.user, project: 'eu-de' });
    const bob = sim.frontEnd.openstack.directory.userOf(
      sim.control.cloud.accountByKey('bob') as NonNullable<ReturnType<typeof sim.control.cloud.accountByKey>>,
    );
    const answer = await tokenCall(`${sim.url}/v2.1/${bob.project.id}/servers`, token as string);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toContain("doesn't match Context's project_id");
  });
});

describe('OTC simulator: regions', () => {
  it("serves another region's zones and names the default user's project after it", async () => {
    const swiss = await startOtc({ region: 'eu-ch2', bootDelayMs: 50, haltDelayMs: 50 });
    try {
      expect(swiss.user.project).toBe('eu-ch2');
      expect(swiss.region).toBe('eu-ch2');
      expect(swiss.control.cloud.zones.map((zone) => zone.name)).toEqual(['eu-ch2a', 'eu-ch2b']);
      const { answer } = await issueToken(swiss.authUrl, swiss.user);
      const catalog = (answer.json.token as { catalog: CatalogEntry[] }).catalog;
      expect(catalog[0]?.endpoints[0]?.region_id).toBe('eu-ch2');
    } finally {
      await swiss.close();
    }
  });
});

describe('OTC simulator: accounts', () => {
  it("puts an account without a name in the region's project", async () => {
    const named = await startOtc({ region: 'eu-nl', accounts: [{ key: 'carol', secret: 'carol-password' }] });
    try {
      expect(named.user).toMatchObject({ username: 'carol', project: 'eu-nl' });
      const { answer } = await issueToken(named.authUrl, named.user);
      expect(answer.status).toBe(201);
    } finally {
      await named.close();
    }
  });
});

describe('OTC simulator: AK/SK through the API gateway', () => {
  it('accepts a signed ECS call with X-Project-Id, and a signed launch with a body', async () => {
    const flavors = await signedCall(`${sim.computeUrl}/flavors`, alice(), { projectId: sim.user.projectId });
    expect(flavors.status).toBe(200);
    const created = await signedCall(`${sim.computeUrl}/servers`, alice(), {
      method: 'POST',
      projectId: sim.user.projectId,
      body: {
        server: {
          name: 'signed',
          imageRef: '9f2f1bd4-6d0c-4b91-8b1e-0c6e5a3d7a21',
          flavorRef: 's3.medium.1',
          availability_zone: 'eu-de-02',
        },
      },
    });
    expect(created.status).toBe(202);
    const id = (created.json.server as { id: string }).id;
    const shown = await signedCall(`${sim.computeUrl}/servers/${id}`, alice(), {
      projectId: sim.user.projectId,
    });
    expect((shown.json.server as Record<string, unknown>)['OS-EXT-AZ:availability_zone']).toBe('eu-de-02');
  });

  it('signs IMS calls too', async () => {
    const images = await signedCall(`${sim.imageUrl}/v2/images?limit=2`, alice(), {
      projectId: sim.user.projectId,
    });
    expect(images.status).toBe(200);
    expect(images.json.images).toHaveLength(2);
    expect(String(images.json.next)).toContain('marker=');
  });

  it('refuses a wrong secret key with APIGW.0301, without echoing the secret', async () => {
    const answer = await signedCall(
      `${sim.computeUrl}/servers`,
      { ...alice(), secretKey: 'x'.repeat(40) },
      {
        projectId: sim.user.projectId,
      },
    );
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
    });
    expect(answer.json.request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(answer.json)).not.toContain(sim.secretKey);
  });

  it('refuses an unknown access key and an X-Sdk-Date outside the 15-minute window', async () => {
    const unknown = await signedCall(
      `${sim.computeUrl}/servers`,
      { ...alice(), accessKey: 'UNKNOWNKEY0000000000' },
      {
        projectId: sim.user.projectId,
      },
    );
    expect(unknown.status).toBe(401);
    expect(String(unknown.json.error_msg)).toContain('ak not exist');
    for (const skew of [-16, 16]) {
      const stale = await signedCall(`${sim.computeUrl}/servers`, alice(), {
        projectId: sim.user.projectId,
        signedAt: Date.now() + skew * 60_000,
      });
      expect(stale.status).toBe(401);
      expect(String(stale.json.error_msg)).toContain('signature expired');
    }
    const fresh = await signedCall(`${sim.computeUrl}/servers`, alice(), {
      projectId: sim.user.projectId,
      signedAt: Date.now() - 10 * 60_000,
    });
    expect(fresh.status).toBe(200);
  });

  it('needs X-Project-Id for project services and refuses a project the user has no role on', async () => {
    const missing = await signedCall(`${sim.computeUrl}/servers`, alice());
    expect(missing.status).toBe(401);
    expect(String(missing.json.error_msg)).toContain('X-Project-Id');
    const bobProject = sim.frontEnd.openstack.directory.findProject(
      { name: 'eu-de_team' },
      { name: sim.user.domain },
    )?.id as string;
    const other = await signedCall(`${sim.url}/v2.1/${bobProject}/servers`, alice(), {
      projectId: bobProject,
    });
    expect(other.status).toBe(403);
    expect(other.json.error_code).toBe('APIGW.0302');
  });

  it('disables the access key of a revoked user', async () => {
    const bob = sim.accessKeys[1] as (typeof sim.accessKeys)[number];
    const project = sim.frontEnd.openstack.directory.findProject(
      { name: 'eu-de_team' },
      { name: sim.user.domain },
    );
    sim.control.revokeKey('bob');
    try {
      const answer = await signedCall(`${sim.url}/v2.1/${project?.id}/servers`, bob, {
        projectId: project?.id,
      });
      expect(answer.status).toBe(401);
      expect(answer.json.error_code).toBe('APIGW.0301');
    } finally {
      sim.control.restoreKey('bob');
    }
  });
});

describe('OTC simulator: IAM project query', () => {
  it('finds a project by name, with an access key or a token', async () => {
    const signed = await signedCall(`${sim.authUrl}/projects?name=eu-de`, alice());
    expect(signed.status).toBe(200);
    const projects = signed.json.projects as Array<Record<string, unknown>>;
    expect(projects).toHaveLength(1);
    expect(projects[0]).toMatchObject({
      id: sim.user.projectId,
      name: 'eu-de',
      enabled: true,
      is_domain: false,
    });
    expect(signed.json.links).toMatchObject({ previous: null, next: null });

    const { token } = await issueToken(sim.authUrl, { ...sim.user, project: 'eu-de' });
    const all = await tokenCall(`${sim.authUrl}/projects`, token as string);
    const names = (all.json.projects as Array<{ name: string; parent_id: string }>).map((p) => p.name);
    expect(names).toEqual(['eu-de', 'eu-de_team']);
    const sub = (all.json.projects as Array<{ name: string; parent_id: string }>)[1];
    expect(sub?.parent_id).toBe(sim.user.projectId);
  });

  it("refuses the project query without valid credentials, in IAM's error format", async () => {
    const anonymous = await fetch(`${sim.authUrl}/projects`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 401 } });
    const bad = await signedCall(`${sim.authUrl}/projects`, { ...alice(), secretKey: 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.json.error_code).toBe('APIGW.0301');
  });

  it('names its operations for fault rules and answers injected faults as IAM does', async () => {
    sim.control.failWithStatus(503, { match: 'list-projects' });
    const answer = await signedCall(`${sim.authUrl}/projects`, alice());
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: { code: 503 } });
    expect(sim.control.count('list-projects')).toBeGreaterThan(0);
  });
});
