// describe() of every instance of 10 aws instances × 1,000 EC2 instances each, all at once,
// through the connector (the AWS SDK over core's transport), against the raw floor: the same
// DescribeInstances requests (MaxResults 1000, following NextToken to the end), signed with
// Signature Version 4 by @smithy/signature-v4 and sent with undici, bodies parsed with the SDK's
// own XML parser (@aws-sdk/xml-builder: fast-xml-parser with default options took longer than the
// whole connector path), nothing mapped. A third side, the AWS SDK alone, is what the project's rule
// to use the official SDK costs: its EC2Client as a program would make it (default HTTP handler),
// paging DescribeInstances the same way, nothing mapped; the connector's own work is its ratio to
// that side. Every side has its session open before the rounds start.
import { createRequire } from 'node:module';
import { parseXML } from '@aws-sdk/xml-builder';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, request } from 'undici';
import { compare, startFleet } from './describe-harness.js';

const CLOUDS = 10;
const VMS = 1000;
const PAGE_SIZE = 1000; // the connector's page size: EC2's largest MaxResults

const core = await import(new URL('../packages/connector-core/dist/index.js', import.meta.url).href);
const aws = (await import(new URL('../packages/connector-aws/dist/index.js', import.meta.url).href)).default;
// The SDK the connector uses: a dependency of the aws package only.
const sdk = createRequire(new URL('../packages/connector-aws/package.json', import.meta.url))(
  '@aws-sdk/client-ec2',
);

const items = (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]);

/** The floor: sign, send, parse, follow NextToken. */
export async function floorDescribe(agent, cloud) {
  const signer = new SignatureV4({
    service: 'ec2',
    region: cloud.region,
    credentials: { accessKeyId: cloud.key, secretAccessKey: cloud.secret },
    sha256: Hash.bind(null, 'sha256'),
  });
  const url = new URL(cloud.url);
  const instances = [];
  let token;
  do {
    const body = new URLSearchParams({
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      MaxResults: String(PAGE_SIZE),
      ...(token ? { NextToken: token } : {}),
    }).toString();
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    const { statusCode, body: answer } = await request(cloud.url, {
      dispatcher: agent,
      method: 'POST',
      headers: signed.headers,
      body,
    });
    const parsed = parseXML(await answer.text());
    if (statusCode !== 200) throw new Error(`floor: EC2 answered ${statusCode}`);
    const response = parsed.DescribeInstancesResponse;
    for (const reservation of items(response.reservationSet?.item)) {
      instances.push(...items(reservation.instancesSet?.item));
    }
    token = response.nextToken || undefined;
  } while (token);
  return instances;
}

/** The SDK alone: its client and its paginator, every instance of every page, nothing mapped. */
export async function sdkDescribe(client) {
  const instances = [];
  for await (const page of sdk.paginateDescribeInstances({ client, pageSize: PAGE_SIZE }, {})) {
    for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
  }
  return instances;
}

export async function run() {
  const { fleet, stop } = await startFleet('ec2', CLOUDS, VMS);
  const agent = new Agent();
  const clients = fleet.map(
    (cloud) =>
      new sdk.EC2Client({
        region: cloud.region,
        endpoint: cloud.url,
        credentials: { accessKeyId: cloud.key, secretAccessKey: cloud.secret },
      }),
  );
  const instances = await Promise.all(
    fleet.map((cloud, index) =>
      core.createInstance(aws, {
        instance: `aws${index}`,
        parameters: { region: cloud.region, endpoint: cloud.url },
      }),
    ),
  );
  try {
    const sessions = await Promise.all(
      instances.map(({ session }, index) => session({ key: fleet[index].key, secret: fleet[index].secret })),
    );
    await compare({
      file: import.meta.url,
      name: 'aws-describe',
      title: `describe() of ${CLOUDS} aws instances × ${VMS} EC2 instances, concurrently`,
      expected: CLOUDS * VMS,
      floorLabel: 'raw floor (SigV4 + undici + XML parsed)',
      floor: () => Promise.all(fleet.map((cloud) => floorDescribe(agent, cloud))),
      references: [
        {
          side: 'sdk',
          label: 'AWS SDK alone',
          run: () => Promise.all(clients.map((client) => sdkDescribe(client))),
        },
      ],
      connector: () => Promise.all(sessions.map((session) => session.describe())),
    });
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await agent.close();
    for (const client of clients) client.destroy();
    stop();
  }
}
