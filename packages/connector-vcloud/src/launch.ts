import {
  ConnectorError,
  findInstanceType,
  type InstanceTypeSpec,
  type LaunchRequest,
  launchIdempotently,
  launchIndexOf,
  launchNames,
  launchTags,
  type Vm,
} from '@slipstream/connector-core';
import { listTemplates, resolveTemplate } from './catalog.js';
import type { SessionContext } from './context.js';
import { computerName, customizationScript } from './customization.js';
import { authorizedKeys } from './keypairs.js';
import { getVApp, readVApp, vdcHref, vmRecords } from './vm.js';
import { awaitTask } from './waits.js';
import {
  buildXml,
  children,
  documentOf,
  idOfHref,
  OVF_NAMESPACE,
  tasksOf,
  text,
  VCLOUD_NAMESPACE,
  type XmlElement,
} from './wire.js';

/**
 * Launching, through core's idempotent launch: each VM is the one VM of a vApp instantiated from a
 * vApp template, whose Description carries the launch's idempotency key and index (set in the
 * same request that makes the vApp, so that a vApp whose answer was lost is found by its key).
 * vApp names are unique in a VDC: an earlier try's vApps are looked for among the launch's names.
 */

interface Plan {
  readonly vdc: string;
  readonly template: string;
  /** The template's one VM, the SourcedItem the VM's settings apply to. */
  readonly templateVm: string;
  readonly size: InstanceTypeSpec;
  readonly network: { readonly name: string; readonly href: string } | undefined;
  readonly script: string | undefined;
}

/** The Description of a launched vApp: one `name=value` line per launch tag. */
export function launchDescription(tags: Readonly<Record<string, string>>): string {
  return ['Launched by SlipStream.', ...Object.entries(tags).map(([name, value]) => `${name}=${value}`)].join(
    '\n',
  );
}

/** The launch tags a vApp's Description records. */
export function tagsOfDescription(description: string | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const line of (description ?? '').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) tags[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return tags;
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  if (request.zone !== undefined) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `This connector instance launches in VDC ${context.settings.vdc} and has no zones; leave "zone" out (got "${request.zone}").`,
    );
  }
  const size = findInstanceType(context.settings.instanceTypes, request.size);
  const script = customizationScript({
    keys: authorizedKeys(request.sshPublicKey),
    userData: request.userData,
  });
  const vapps = await launchIdempotently<XmlElement, Plan>(request, {
    find: () => findLaunched(context, request, signal),
    prepare: () => prepare(context, request, size, script, signal),
    create: (index, name, plan) =>
      createOne(
        context,
        plan,
        name,
        launchDescription(launchTags(request.idempotencyKey, index, undefined)),
        signal,
      ),
    identify: (vapp) => ({ id: idOfHref(text(vapp, 'href')) ?? '', name: text(vapp, 'name') }),
    noun: 'vApp',
    logger: context.logger,
  });
  const vms = vapps.map((vapp) => readVApp(vapp, context.settings.instanceTypes));
  context.logger.debug({ vms: vms.map((vm) => vm.id), idempotencyKey: request.idempotencyKey }, 'launch');
  return vms;
}

/** The vApps of earlier tries of this launch, by launch index: the VDC's vApps with its names and key. */
async function findLaunched(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Map<number, XmlElement>> {
  const names = new Set(launchNames(request));
  const containers = new Set(
    (await vmRecords(context, signal))
      .filter((record) => names.has(text(record, 'containerName') ?? ''))
      .map((record) => idOfHref(text(record, 'container')))
      .filter((id): id is string => id !== undefined),
  );
  const found = new Map<number, XmlElement>();
  for (const vapp of await Promise.all([...containers].map((id) => getVApp(context, id, signal)))) {
    if (vapp === undefined) continue;
    const index = launchIndexOf(tagsOfDescription(text(vapp, 'Description')), request.idempotencyKey);
    if (index !== undefined && !found.has(index)) found.set(index, vapp);
  }
  return found;
}

async function prepare(
  context: SessionContext,
  request: LaunchRequest,
  size: InstanceTypeSpec,
  script: string | undefined,
  signal: AbortSignal | undefined,
): Promise<Plan> {
  const [vdc, templates] = await Promise.all([vdcHref(context, signal), listTemplates(context, signal)]);
  const template = resolveTemplate(templates, request.image);
  const [templateDocument, network] = await Promise.all([
    context.client.call({ operation: 'get vApp template', method: 'GET', url: template.href, signal }),
    resolveNetwork(context, vdc, signal),
  ]);
  const vm = children(
    children(documentOf(templateDocument.body, 'VAppTemplate', 'get vApp template'), 'Children')[0],
    'Vm',
  )[0];
  const templateVm = text(vm, 'href');
  if (templateVm === undefined) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `vApp template "${template.name}" holds no VM; choose a template with one VM.`,
    );
  }
  return { vdc, template: template.href, templateVm, size, network, script };
}

/** The org VDC network of `network`, from the VDC's AvailableNetworks; CONFIG_INVALID names the ones there are. */
async function resolveNetwork(
  context: SessionContext,
  vdc: string,
  signal: AbortSignal | undefined,
): Promise<Plan['network']> {
  const wanted = context.settings.network;
  if (wanted === undefined) return undefined;
  const response = await context.client.call({ operation: 'get VDC', method: 'GET', url: vdc, signal });
  const networks = children(
    children(documentOf(response.body, 'Vdc', 'get VDC'), 'AvailableNetworks')[0],
    'Network',
  );
  const network = networks.find((candidate) => candidate.name === wanted);
  const href = text(network, 'href');
  if (href === undefined) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      `Parameter "network" is "${wanted}", which is not a network of VDC ${context.settings.vdc}; use one of: ${networks.map((n) => String(n.name)).join(', ') || 'none'}.`,
    );
  }
  return { name: wanted, href };
}

const INFO = { 'ovf:Info': 'Specified by SlipStream' };

/** The InstantiateVAppTemplateParams of one vApp, every value escaped by the XML builder. */
export function instantiateParams(plan: Plan, name: string, description: string): string {
  const networkConfig =
    plan.network === undefined
      ? {}
      : {
          InstantiationParams: {
            NetworkConfigSection: {
              ...INFO,
              NetworkConfig: {
                '@_networkName': plan.network.name,
                Configuration: { ParentNetwork: { '@_href': plan.network.href }, FenceMode: 'bridged' },
              },
            },
          },
        };
  const nic =
    plan.network === undefined
      ? {}
      : {
          NetworkConnectionSection: {
            ...INFO,
            PrimaryNetworkConnectionIndex: 0,
            NetworkConnection: {
              '@_network': plan.network.name,
              NetworkConnectionIndex: 0,
              IsConnected: true,
              IpAddressAllocationMode: 'POOL',
            },
          },
        };
  return buildXml({
    InstantiateVAppTemplateParams: {
      '@_xmlns': VCLOUD_NAMESPACE,
      '@_xmlns:ovf': OVF_NAMESPACE,
      '@_name': name,
      '@_deploy': 'true',
      '@_powerOn': 'true',
      Description: description,
      ...networkConfig,
      Source: { '@_href': plan.template },
      SourcedItem: {
        Source: { '@_href': plan.templateVm },
        VmGeneralParams: { Name: name },
        InstantiationParams: {
          ...nic,
          GuestCustomizationSection: {
            ...INFO,
            Enabled: true,
            ComputerName: computerName(name),
            ...(plan.script === undefined ? {} : { CustomizationScript: plan.script }),
          },
          VmSpecSection: {
            '@_Modified': 'true',
            ...INFO,
            NumCpus: plan.size.cpus,
            NumCoresPerSocket: 1,
            MemoryResourceMb: { Configured: plan.size.memoryMb },
          },
        },
      },
      AllEULAsAccepted: true,
    },
  });
}

async function createOne(
  context: SessionContext,
  plan: Plan,
  name: string,
  description: string,
  signal: AbortSignal | undefined,
): Promise<XmlElement> {
  const response = await context.client.call({
    operation: 'instantiateVAppTemplate',
    method: 'POST',
    url: `${plan.vdc}/action/instantiateVAppTemplate`,
    body: {
      xml: instantiateParams(plan, name, description),
      type: 'application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml',
    },
    // Not retried by the transport: a lost answer is core's to look for, by the launch's key.
    idempotent: false,
    signal,
  });
  const created = documentOf(response.body, 'VApp', 'instantiateVAppTemplate');
  const id = idOfHref(text(created, 'href'));
  try {
    // Every task of the answer, ended ones too: on a busy cell the instantiate task may have
    // failed before the answer was written, and an ended task in error is still this launch's.
    for (const task of tasksOf(created)) await awaitTask(context, task, 'instantiateVAppTemplate', signal);
  } catch (error) {
    if (ConnectorError.is(error) && id !== undefined && error.code !== 'ABORTED') {
      throw new ConnectorError(error.code, `${error.message} vApp ${id} may remain; terminate it if so.`, {
        cause: error,
        status: error.status,
        retryable: error.retryable,
      });
    }
    throw error;
  }
  return (id === undefined ? undefined : await getVApp(context, id, signal)) ?? created;
}
