// describe() of every VM of 10 opennebula instances × 1,000 VMs each, all at once, through the
// connector (XML-RPC over core's transport), against the raw floor: the same one.vmpool.info
// requests (filter -3, offset paging 500 VMs a page, state -1) POSTed with undici, each answer's
// methodResponse and the VM_POOL document inside it parsed with fast-xml-parser, nothing mapped.
// Both sides have their session open before the rounds start.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import { compare, startFleet } from './describe-harness.js';

const CLOUDS = 10;
const VMS = 1000;
const PAGE_SIZE = 500; // the connector's page size

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const opennebula = (
  await import(new URL('../packages/connector-opennebula/dist/index.js', import.meta.url).href)
).default;

const builder = new XMLBuilder();
const envelope = new XMLParser({ parseTagValue: false, htmlEntities: true });
const pool = new XMLParser({
  parseTagValue: false,
  isArray: (name, path) => name === 'VM' && path === 'VM_POOL.VM',
});

// A socket the server closed while this process was starved of CPU (idle past the server's
// keep-alive) fails the next POST sent on it; undici does not retry a POST. The connector's
// transport retries such a read, so the floor does too, at most twice.
const SOCKET_ERRORS = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

async function post(agent, url, body) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { statusCode, body: answer } = await request(url, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body,
      });
      return { statusCode, text: await answer.text() };
    } catch (error) {
      if (attempt >= 2 || !SOCKET_ERRORS.has(error?.code)) throw error;
    }
  }
}

/** The floor: build the call, send it, parse both documents, until a short page. */
export async function floorDescribe(agent, cloud, pageSize = PAGE_SIZE) {
  const session = `${cloud.key}:${cloud.secret}`;
  const vms = [];
  for (let offset = 0; ; offset += pageSize) {
    const body = builder.build({
      methodCall: {
        methodName: 'one.vmpool.info',
        params: {
          param: [session, -3, offset, -pageSize, -1].map((v) => ({
            value: typeof v === 'string' ? { string: v } : { int: v },
          })),
        },
      },
    });
    const { statusCode, text } = await post(agent, cloud.rpcUrl, body);
    if (statusCode !== 200) throw new Error(`floor: oned answered ${statusCode}`);
    const values = envelope.parse(text).methodResponse.params.param.value.array.data.value;
    if (values[0].boolean !== '1') throw new Error(`floor: oned refused: ${values[1].string}`);
    const page = pool.parse(values[1].string).VM_POOL.VM ?? [];
    vms.push(...page);
    if (page.length < pageSize) return vms;
  }
}

export async function run() {
  const { fleet, stop } = await startFleet('opennebula', CLOUDS, VMS);
  // Idle sockets are let go after a second, well within the simulators' keep-alive, so that a POST
  // is rarely sent on a socket the server is closing (post() retries one that was).
  const agent = new Agent({ keepAliveTimeout: 1000, keepAliveMaxTimeout: 1000 });
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(opennebula, { instance: `one${index}`, parameters: { endpoint: cloud.rpcUrl } }),
    ),
  );
  try {
    const sessions = await Promise.all(
      instances.map(({ session }, index) =>
        session({ username: fleet[index].key, password: fleet[index].secret }),
      ),
    );
    await compare({
      file: import.meta.url,
      name: 'opennebula-describe',
      title: `describe() of ${CLOUDS} opennebula instances × ${VMS} VMs, concurrently`,
      expected: CLOUDS * VMS,
      floorLabel: 'raw floor (undici + XML-RPC and VM_POOL parsed)',
      floor: () => Promise.all(fleet.map((cloud) => floorDescribe(agent, cloud))),
      connector: () => Promise.all(sessions.map((session) => session.describe())),
    });
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    stop();
  }
}
