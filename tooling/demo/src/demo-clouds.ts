import { CLOUDSTACK_CATALOG, startCloudStack } from '@slipstream/cloud-simulators/cloudstack';
import { startEc2 } from '@slipstream/cloud-simulators/ec2';
import { startExoscale } from '@slipstream/cloud-simulators/exoscale';
import { startOpenNebula } from '@slipstream/cloud-simulators/opennebula';
import { startOpenStack } from '@slipstream/cloud-simulators/openstack';
import { startOtc } from '@slipstream/cloud-simulators/otc';
import { startVcloud } from '@slipstream/cloud-simulators/vcloud';
import { inspectConnectorList } from '@slipstream/connector-core';

/**
 * The clouds the demo talks to. The local connector needs none; Amazon EC2, CloudStack, Exoscale,
 * OpenNebula, a NuvlaBox (an OpenNebula at the box's one-proxy path), OpenStack, Open Telekom
 * Cloud and VMware Cloud Director get a simulator each on 127.0.0.1, so that the demo shows their real wire protocols
 * (signed requests, tokens, XML-RPC, async jobs, operations) without an account anywhere.
 */
export interface DemoClouds {
  /** Instance parameters for every instance of the list, by instance name. */
  readonly parameters: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly credentials: (instance: string) => Readonly<Record<string, string>>;
  /** One line per simulator started: which cloud, where. */
  readonly started: readonly string[];
  close(): Promise<void>;
}

export interface DemoCloudOptions {
  /** How long a simulated VM boots; the simulators' default is 1 s. */
  readonly bootDelayMs?: number;
  readonly haltDelayMs?: number;
  /** How often connectors poll the simulators' jobs and operations. */
  readonly pollIntervalMs?: number;
}

const LOCAL_CREDENTIALS = Object.freeze({ key: 'demo', secret: 'demo-secret' });

export async function startDemoClouds(
  connectors: string,
  options: DemoCloudOptions = {},
): Promise<DemoClouds> {
  // Entries with problems are left to the loader, which reports them with their positions.
  const { entries } = inspectConnectorList(connectors);
  const uses = (name: string): boolean => entries.some((entry) => entry.connector === name);
  const delays = { bootDelayMs: options.bootDelayMs, haltDelayMs: options.haltDelayMs };
  const poll = options.pollIntervalMs ?? 250;
  const ec2 = uses('aws') ? await startEc2(delays) : undefined;
  const cloudstack = uses('cloudstack') ? await startCloudStack(delays) : undefined;
  const exoscale = uses('exoscale') ? await startExoscale(delays) : undefined;
  const opennebula = uses('opennebula') ? await startOpenNebula(delays) : undefined;
  const box = uses('nuvlabox') ? await startOpenNebula({ ...delays, path: '/one-proxy/xmlrpc' }) : undefined;
  const openstack = uses('openstack') ? await startOpenStack(delays) : undefined;
  const otc = uses('otc') ? await startOtc(delays) : undefined;
  const vcloud = uses('vcloud') ? await startVcloud(delays) : undefined;

  const parameters: Record<string, Record<string, unknown>> = {};
  const credentials: Record<string, Readonly<Record<string, string>>> = {};
  for (const { instance, connector } of entries) {
    if (connector === 'aws' && ec2) {
      parameters[instance] = { region: ec2.region, endpoint: ec2.url, 'image.owners': 'self,amazon' };
      credentials[instance] = { key: ec2.credentials.key, secret: ec2.credentials.secret };
    } else if (connector === 'cloudstack' && cloudstack) {
      parameters[instance] = {
        endpoint: `${cloudstack.url}/client/api`,
        // The simulated cloud has two zones; a CloudStack instance with several needs a default.
        zone: CLOUDSTACK_CATALOG.zones[0]?.name,
        'async.poll.interval.ms': poll,
      };
      credentials[instance] = cloudstack.credentials;
    } else if (connector === 'exoscale' && exoscale) {
      parameters[instance] = { zone: 'ch-gva-2', endpoint: `${exoscale.url}/v2`, 'poll.interval.ms': poll };
      credentials[instance] = exoscale.credentials;
    } else if (connector === 'opennebula' && opennebula) {
      parameters[instance] = {
        endpoint: opennebula.rpcUrl,
        'network.public': 'public',
        'network.private': 'private',
        'poll.interval.ms': poll,
      };
      credentials[instance] = {
        username: opennebula.credentials.key,
        password: opennebula.credentials.secret,
      };
    } else if (connector === 'nuvlabox' && box) {
      // The box's one-proxy over plain HTTP on loopback; its networks and sizes are the defaults.
      parameters[instance] = { box: 'nuvlabox-demo.local', endpoint: box.rpcUrl, 'poll.interval.ms': poll };
      credentials[instance] = { username: box.credentials.key, password: box.credentials.secret };
    } else if (connector === 'openstack' && openstack) {
      parameters[instance] = { endpoint: openstack.authUrl };
      const { username, password, project, domain } = openstack.user;
      credentials[instance] = { username, password, project, domain };
    } else if (connector === 'otc' && otc) {
      // AK/SK: every request signed with SDK-HMAC-SHA256, no token.
      parameters[instance] = {
        region: 'eu-de',
        'endpoint.iam': otc.authUrl,
        'endpoint.ecs': otc.url,
        'endpoint.ims': otc.imageUrl,
        'endpoint.vpc': otc.url,
      };
      credentials[instance] = { 'access.key': otc.accessKey, 'secret.key': otc.secretKey };
    } else if (connector === 'vcloud' && vcloud) {
      const { endpoint, org, vdc, catalog, network } = vcloud;
      parameters[instance] = { endpoint, org, vdc, catalog, network, 'poll.interval.ms': poll };
      credentials[instance] = { username: vcloud.credentials.key, password: vcloud.credentials.secret };
    }
  }
  const started: string[] = [];
  if (ec2) started.push(`Amazon EC2 simulator at ${ec2.url}`);
  if (cloudstack) started.push(`CloudStack API simulator at ${cloudstack.url}/client/api`);
  if (exoscale) started.push(`Exoscale API v2 simulator at ${exoscale.url}/v2`);
  if (opennebula) started.push(`OpenNebula XML-RPC simulator at ${opennebula.rpcUrl}`);
  if (box) started.push(`NuvlaBox (OpenNebula) simulator at ${box.rpcUrl}`);
  if (openstack) started.push(`OpenStack simulator, Keystone at ${openstack.authUrl}`);
  if (otc) started.push(`Open Telekom Cloud simulator, IAM at ${otc.authUrl}`);
  if (vcloud) started.push(`VMware Cloud Director simulator at ${vcloud.endpoint}`);
  return {
    parameters,
    started,
    credentials: (instance) => credentials[instance] ?? LOCAL_CREDENTIALS,
    async close() {
      await Promise.all([
        ec2?.close(),
        cloudstack?.close(),
        exoscale?.close(),
        opennebula?.close(),
        box?.close(),
        openstack?.close(),
        otc?.close(),
        vcloud?.close(),
      ]);
    },
  };
}
