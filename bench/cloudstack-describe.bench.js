// describe() of every VM of 10 CloudStack instances × 1,000 VMs each, all instances at once, through
// the connector, against the raw floor: the same HTTP requests (same signed listVirtualMachines
// pages, one after another per cloud) made directly with undici, bodies JSON.parsed, nothing
// mapped. Both run in this process, interleaved round by round; the simulators run in a child
// process so that their work is not charged to either side.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'undici';
import { compare, startFleet } from './describe-harness.js';

const CLOUDS = 10;
const VMS = 1000;
const PAGE_SIZE = 500; // the connector's default `page.size`

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const cloudstack = (
  await import(new URL('../packages/connector-cloudstack/dist/index.js', import.meta.url).href)
).default;

const encode = (value) =>
  encodeURIComponent(value).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function signedQuery(cloud, params) {
  const all = { ...params, response: 'json', apikey: cloud.key, signatureversion: '3' };
  all.expires = `${new Date(Date.now() + 600_000).toISOString().slice(0, 19)}+0000`;
  const pairs = Object.keys(all)
    .sort()
    .map((name) => `${name}=${encode(all[name])}`);
  const signature = createHmac('sha1', cloud.secret).update(pairs.join('&').toLowerCase()).digest('base64');
  return `${pairs.join('&')}&signature=${encode(signature)}`;
}

/** The floor: sign, send, parse, page after page until `count` VMs came. */
export async function floorDescribe(agent, cloud, pageSize = PAGE_SIZE) {
  const vms = [];
  for (let page = 1; ; page += 1) {
    const query = signedQuery(cloud, {
      command: 'listVirtualMachines',
      page: String(page),
      pagesize: String(pageSize),
    });
    const { statusCode, body } = await request(`${cloud.url}/client/api?${query}`, { dispatcher: agent });
    const parsed = JSON.parse(await body.text());
    if (statusCode !== 200) throw new Error(`floor: ${statusCode} ${JSON.stringify(parsed)}`);
    const { count = 0, virtualmachine = [] } = parsed.listvirtualmachinesresponse;
    vms.push(...virtualmachine);
    if (virtualmachine.length === 0 || vms.length >= count) return vms;
  }
}

export async function run() {
  const { fleet, stop } = await startFleet('cloudstack', CLOUDS, VMS);
  const agent = new Agent();
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(cloudstack, {
        instance: `cs${index}`,
        parameters: { endpoint: `${cloud.url}/client/api` },
      }),
    ),
  );
  try {
    const sessions = await Promise.all(
      instances.map((instance, index) =>
        instance.session({ key: fleet[index].key, secret: fleet[index].secret }),
      ),
    );
    await compare({
      file: import.meta.url,
      name: 'cloudstack-describe',
      title: `describe() of ${CLOUDS} CloudStack instances × ${VMS} VMs, concurrently`,
      expected: CLOUDS * VMS,
      floor: () => Promise.all(fleet.map((cloud) => floorDescribe(agent, cloud))),
      connector: () => Promise.all(sessions.map((session) => session.describe())),
    });
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    stop();
  }
}
