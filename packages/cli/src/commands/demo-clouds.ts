/**
 * The clouds of `slipstream demo`: one simulator per implemented cloud on 127.0.0.1 (CloudStack
 * twice, as SEED.md's example connector list configures two instances of one cloud), and for each
 * connector instance the parameters an administrator would set and the credentials a user would
 * save. The local connector needs no simulator: its cloud runs inside the server.
 */

import { randomBytes } from 'node:crypto';
import { DemoFailure } from './demo-api.js';

/** The demo's connector list: every implemented cloud, plus a second CloudStack instance. */
export const DEMO_CONNECTORS =
  'local,aws,cloudstack,cloud2:cloudstack,exoscale,opennebula,nuvlabox,openstack,otc,vcloud';

/** What the demo reads of a running simulator (the shapes @slipstream/cloud-simulators returns). */
interface Simulator {
  readonly url: string;
  readonly credentials: { readonly key: string; readonly secret: string };
  close(): Promise<void>;
}

interface SimulatorDelays {
  readonly bootDelayMs?: number;
  readonly haltDelayMs?: number;
}

/**
 * The part of @slipstream/cloud-simulators the demo uses, typed here so that the CLI's published
 * types do not depend on that package (it is only needed when the demo runs).
 */
export interface SimulatorsModule {
  startEc2(options: SimulatorDelays): Promise<Simulator & { readonly region: string }>;
  startCloudStack(options: SimulatorDelays): Promise<Simulator>;
  startExoscale(options: SimulatorDelays): Promise<Simulator>;
  startOpenNebula(
    options: SimulatorDelays & { readonly path?: string },
  ): Promise<Simulator & { readonly rpcUrl: string }>;
  startOpenStack(options: SimulatorDelays): Promise<
    Simulator & {
      readonly authUrl: string;
      readonly user: {
        readonly username: string;
        readonly password: string;
        readonly project: string;
        readonly domain: string;
      };
    }
  >;
  startOtc(options: SimulatorDelays): Promise<
    Simulator & {
      readonly authUrl: string;
      readonly imageUrl: string;
      readonly accessKey: string;
      readonly secretKey: string;
    }
  >;
  startVcloud(options: SimulatorDelays): Promise<
    Simulator & {
      readonly endpoint: string;
      readonly org: string;
      readonly vdc: string;
      readonly catalog: string;
      readonly network: string;
    }
  >;
  readonly CLOUDSTACK_CATALOG: { readonly zones: readonly { readonly name: string }[] };
}

const SIMULATORS_PACKAGE = '@slipstream/cloud-simulators';

/**
 * Imports the simulators when the demo runs, one subpath per cloud. The specifiers are computed so
 * that the bundler leaves the imports to Node, which resolves them next to the installed CLI; a
 * CLI installed without the package still runs every other command.
 */
export async function importSimulators(): Promise<SimulatorsModule> {
  const load = (cloud: string): Promise<Record<string, unknown>> => import(`${SIMULATORS_PACKAGE}/${cloud}`);
  try {
    const [ec2, cloudstack, exoscale, opennebula, openstack, otc, vcloud] = await Promise.all(
      ['ec2', 'cloudstack', 'exoscale', 'opennebula', 'openstack', 'otc', 'vcloud'].map(load),
    );
    return {
      ...ec2,
      ...cloudstack,
      ...exoscale,
      ...opennebula,
      ...openstack,
      ...otc,
      ...vcloud,
    } as unknown as SimulatorsModule;
  } catch (error) {
    throw new DemoFailure(
      `slipstream demo needs ${SIMULATORS_PACKAGE}, which cannot be loaded (${(error as Error).message}). Install it next to @slipstream/cli (npm install ${SIMULATORS_PACKAGE}) or run the demo from a clone of the repository.`,
      'SIMULATORS_MISSING',
    );
  }
}

export interface DemoTiming {
  /** How long a VM stays pending; long enough to watch it change, short enough not to bore. */
  readonly bootDelayMs: number;
  readonly haltDelayMs: number;
  /** How often the connectors poll the simulators' async jobs and operations. */
  readonly cloudPollMs: number;
}

/** One connector instance of the demo, as configured and as its user's credentials. */
export interface DemoInstance {
  readonly name: string;
  readonly connector: string;
  /** The simulator's API root; undefined for the local cloud, which runs in the server. */
  readonly endpoint: string | undefined;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, string>>;
}

/**
 * Starts the simulators one at a time, handing each to `started` (which stops it at exit) before
 * the next one starts, so a failure leaves nothing running that the caller does not know of.
 */
export async function startDemoClouds(
  simulators: SimulatorsModule,
  timing: DemoTiming,
  started: (name: string, url: string, close: () => Promise<void>) => void,
): Promise<DemoInstance[]> {
  const delays = { bootDelayMs: timing.bootDelayMs, haltDelayMs: timing.haltDelayMs };
  const start = async <T extends Simulator>(what: string, run: () => Promise<T>): Promise<T> => {
    let simulator: T;
    try {
      simulator = await run();
    } catch (error) {
      throw new DemoFailure(
        `The ${what} did not start on 127.0.0.1: ${(error as Error).message}`,
        'SIMULATOR_FAILED',
      );
    }
    started(what, simulator.url, () => simulator.close());
    return simulator;
  };

  const ec2 = await start('Amazon EC2 simulator', () => simulators.startEc2(delays));
  const cloudstack = await start('CloudStack simulator', () => simulators.startCloudStack(delays));
  const cloud2 = await start('second CloudStack simulator', () => simulators.startCloudStack(delays));
  const exoscale = await start('Exoscale simulator', () => simulators.startExoscale(delays));
  const opennebula = await start('OpenNebula simulator', () => simulators.startOpenNebula(delays));
  // A NuvlaBox runs OpenNebula behind its one-proxy: the same simulator at the box's path.
  const box = await start('NuvlaBox simulator', () =>
    simulators.startOpenNebula({ ...delays, path: '/one-proxy/xmlrpc' }),
  );
  const openstack = await start('OpenStack simulator', () => simulators.startOpenStack(delays));
  const otc = await start('Open Telekom Cloud simulator', () => simulators.startOtc(delays));
  const vcloud = await start('VMware Cloud Director simulator', () => simulators.startVcloud(delays));

  // The simulated CloudStack has two zones; an instance of a cloud with several needs a default.
  const zone = simulators.CLOUDSTACK_CATALOG.zones[0]?.name;
  const cloudstackInstance = (name: string, simulator: Simulator): DemoInstance => ({
    name,
    connector: 'cloudstack',
    endpoint: `${simulator.url}/client/api`,
    parameters: {
      endpoint: `${simulator.url}/client/api`,
      ...(zone === undefined ? {} : { zone }),
      'async.poll.interval.ms': timing.cloudPollMs,
    },
    credentials: { key: simulator.credentials.key, secret: simulator.credentials.secret },
  });
  // A fresh secret per run, rather than the documented demo-secret: the server listens on a port.
  const localSecret = randomBytes(18).toString('base64url');
  const { username, password, project, domain } = openstack.user;
  return [
    {
      name: 'local',
      connector: 'local',
      endpoint: undefined,
      parameters: {
        accounts: `demo:${localSecret}`,
        'boot.delay.ms': timing.bootDelayMs,
        'halt.delay.ms': timing.haltDelayMs,
      },
      credentials: { key: 'demo', secret: localSecret },
    },
    {
      name: 'aws',
      connector: 'aws',
      // The Query API answers POST /.
      endpoint: `${ec2.url}/`,
      parameters: { region: ec2.region, endpoint: ec2.url, 'image.owners': 'self,amazon' },
      credentials: { key: ec2.credentials.key, secret: ec2.credentials.secret },
    },
    cloudstackInstance('cloudstack', cloudstack),
    cloudstackInstance('cloud2', cloud2),
    {
      name: 'exoscale',
      connector: 'exoscale',
      endpoint: `${exoscale.url}/v2`,
      parameters: {
        zone: 'ch-gva-2',
        endpoint: `${exoscale.url}/v2`,
        'poll.interval.ms': timing.cloudPollMs,
      },
      credentials: { key: exoscale.credentials.key, secret: exoscale.credentials.secret },
    },
    {
      name: 'opennebula',
      connector: 'opennebula',
      endpoint: opennebula.rpcUrl,
      parameters: {
        endpoint: opennebula.rpcUrl,
        'network.public': 'public',
        'network.private': 'private',
        'poll.interval.ms': timing.cloudPollMs,
      },
      credentials: { username: opennebula.credentials.key, password: opennebula.credentials.secret },
    },
    {
      name: 'nuvlabox',
      connector: 'nuvlabox',
      endpoint: box.rpcUrl,
      // Reached over plain HTTP on loopback; the box's networks and sizes are the connector's defaults.
      parameters: {
        box: 'nuvlabox-demo.local',
        endpoint: box.rpcUrl,
        'poll.interval.ms': timing.cloudPollMs,
      },
      credentials: { username: box.credentials.key, password: box.credentials.secret },
    },
    {
      name: 'openstack',
      connector: 'openstack',
      endpoint: openstack.authUrl,
      parameters: { endpoint: openstack.authUrl },
      credentials: { username, password, project, domain },
    },
    {
      name: 'otc',
      connector: 'otc',
      endpoint: otc.authUrl,
      // AK/SK: every request signed with SDK-HMAC-SHA256; one simulator serves IAM, ECS, IMS and VPC.
      parameters: {
        region: 'eu-de',
        'endpoint.iam': otc.authUrl,
        'endpoint.ecs': otc.url,
        'endpoint.ims': otc.imageUrl,
        'endpoint.vpc': otc.url,
      },
      credentials: { 'access.key': otc.accessKey, 'secret.key': otc.secretKey },
    },
    {
      name: 'vcloud',
      connector: 'vcloud',
      endpoint: `${vcloud.endpoint}/`,
      parameters: {
        endpoint: vcloud.endpoint,
        org: vcloud.org,
        vdc: vcloud.vdc,
        catalog: vcloud.catalog,
        network: vcloud.network,
        'poll.interval.ms': timing.cloudPollMs,
      },
      credentials: { username: vcloud.credentials.key, password: vcloud.credentials.secret },
    },
  ];
}
