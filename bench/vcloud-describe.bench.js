// describe() of every VM of 10 vcloud instances × 1,000 VMs each, all at once, through the
// connector, against the raw floor: the same query requests (type=vm records, isVAppTemplate==false
// and the VDC, pages of the cell's 128 followed by their nextPage links) sent with undici under a
// bearer token, each page parsed with fast-xml-parser, nothing mapped. Both sides have their
// session open (and the VDC found) before the rounds start.
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import { compare, startFleet } from './describe-harness.js';

const CLOUDS = 10;
const VMS = 1000;
const VERSION = '38.0';

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const vcloud = (await import(new URL('../packages/connector-vcloud/dist/index.js', import.meta.url).href))
  .default;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  isArray: (name) => name === 'VMRecord' || name === 'Link' || name === 'OrgVdcRecord',
});

async function get(agent, url, token) {
  const { statusCode, body } = await request(url, {
    dispatcher: agent,
    headers: { authorization: `Bearer ${token}`, accept: `application/*+xml;version=${VERSION}` },
  });
  const text = await body.text();
  if (statusCode !== 200) throw new Error(`floor: vCloud answered ${statusCode}`);
  return parser.parse(text).QueryResultRecords;
}

/** The floor's session: a login and the VDC's href, made once. */
export async function floorSession(agent, cloud) {
  const { headers, body } = await request(`${cloud.endpoint}/cloudapi/1.0.0/sessions`, {
    dispatcher: agent,
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${cloud.key}@${cloud.org}:${cloud.secret}`).toString('base64')}`,
      accept: `application/json;version=${VERSION}`,
    },
  });
  await body.dump();
  const token = headers['x-vmware-vcloud-access-token'];
  const vdcs = await get(agent, `${cloud.endpoint}/api/query?type=orgVdc&format=records`, token);
  const vdc = vdcs.OrgVdcRecord.find((record) => record.name === cloud.vdc).href;
  return { cloud, token, vdc };
}

/** The floor: the VDC's VMs, page by page to the end. */
export async function floorDescribe(agent, { cloud, token, vdc }, pageSize = 1000) {
  const query = new URLSearchParams({
    type: 'vm',
    format: 'records',
    page: '1',
    pageSize: String(pageSize),
    sortAsc: 'name',
    filter: `isVAppTemplate==false;vdc==${vdc}`,
  });
  const vms = [];
  let url = `${cloud.endpoint}/api/query?${query}`;
  while (url) {
    const page = await get(agent, url, token);
    vms.push(...(page.VMRecord ?? []));
    url = page.Link?.find((link) => link.rel === 'nextPage')?.href;
  }
  return vms;
}

export async function run() {
  const { fleet, stop } = await startFleet('vcloud', CLOUDS, VMS);
  // Idle sockets are let go after a second, well within the simulators' keep-alive: a request sent
  // on a socket the server is closing is not retried by undici, and the floor does not retry.
  const agent = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(vcloud, {
        instance: `vcd${index}`,
        parameters: { endpoint: cloud.endpoint, org: cloud.org, vdc: cloud.vdc },
      }),
    ),
  );
  try {
    const floors = await Promise.all(fleet.map((cloud) => floorSession(agent, cloud)));
    const sessions = await Promise.all(
      instances.map(({ session }, index) =>
        session({ username: fleet[index].key, password: fleet[index].secret }),
      ),
    );
    // Each session logs in and finds its VDC before the rounds, as the floor did.
    await Promise.all(sessions.map((session) => session.describe()));
    await compare({
      file: import.meta.url,
      name: 'vcloud-describe',
      title: `describe() of ${CLOUDS} vcloud instances × ${VMS} VMs, concurrently`,
      expected: CLOUDS * VMS,
      floorLabel: 'raw floor (undici + query pages parsed)',
      floor: () => Promise.all(floors.map((session) => floorDescribe(agent, session))),
      connector: () => Promise.all(sessions.map((session) => session.describe())),
    });
    await Promise.all(sessions.map((session) => session.close?.()));
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    stop();
  }
}
