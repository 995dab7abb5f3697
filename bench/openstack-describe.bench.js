// describe() of every server of 10 OpenStack instances × 1,000 servers each, all instances at once,
// through the connector, against the raw floor: the same Nova requests (GET /servers/detail with
// the connector's page size and microversion, following `servers_links` until Nova gives no next
// link) made directly with undici with a token got beforehand, bodies JSON.parsed, nothing mapped.
// Both sides hold a valid token before the rounds start, as a busy server's sessions do.
import { Agent, request } from 'undici';
import { compare, startFleet } from './describe-harness.js';

const CLOUDS = 10;
const VMS = 1000;
const PAGE_SIZE = 1000; // the connector's page size: Nova's default osapi_max_limit
const MICROVERSION = '2.47'; // the connector's pinned Nova microversion

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const openstack = (
  await import(new URL('../packages/connector-openstack/dist/index.js', import.meta.url).href)
).default;

export async function token(agent, cloud) {
  const { user } = cloud;
  const { statusCode, headers, body } = await request(`${cloud.authUrl}/auth/tokens`, {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user.username, domain: { name: user.domain }, password: user.password } },
        },
        scope: { project: { name: user.project, domain: { name: user.domain } } },
      },
    }),
  });
  const parsed = await body.json();
  if (statusCode !== 201) throw new Error(`floor: Keystone answered ${statusCode}`);
  const compute = parsed.token.catalog
    .find((service) => service.type === 'compute')
    .endpoints.find((endpoint) => endpoint.interface === 'public').url;
  return { token: headers['x-subject-token'], compute };
}

/** The floor: send, parse, follow the next link. */
export async function floorDescribe(agent, access) {
  const servers = [];
  let url = `${access.compute}/servers/detail?limit=${PAGE_SIZE}`;
  for (;;) {
    const { statusCode, body } = await request(url, {
      dispatcher: agent,
      headers: {
        accept: 'application/json',
        'x-auth-token': access.token,
        'x-openstack-nova-api-version': MICROVERSION,
        'openstack-api-version': `compute ${MICROVERSION}`,
      },
    });
    const parsed = JSON.parse(await body.text());
    if (statusCode !== 200) throw new Error(`floor: Nova answered ${statusCode}`);
    servers.push(...parsed.servers);
    const next = parsed.servers_links?.find((link) => link.rel === 'next');
    if (!next) return servers;
    url = next.href;
  }
}

export async function run() {
  const { fleet, stop } = await startFleet('openstack', CLOUDS, VMS);
  const agent = new Agent();
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(openstack, { instance: `os${index}`, parameters: { endpoint: cloud.authUrl } }),
    ),
  );
  try {
    const accesses = await Promise.all(fleet.map((cloud) => token(agent, cloud)));
    const sessions = await Promise.all(
      instances.map(({ session }, index) => {
        const { user } = fleet[index];
        return session({
          username: user.username,
          password: user.password,
          project: user.project,
          domain: user.domain,
        });
      }),
    );
    // Each session logs in on its first call, before the measured rounds.
    await Promise.all(sessions.map((session) => session.checkCredentials()));
    await compare({
      file: import.meta.url,
      name: 'openstack-describe',
      title: `describe() of ${CLOUDS} OpenStack instances × ${VMS} servers, concurrently`,
      expected: CLOUDS * VMS,
      floor: () => Promise.all(accesses.map((access) => floorDescribe(agent, access))),
      connector: () => Promise.all(sessions.map((session) => session.describe())),
    });
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    stop();
  }
}
