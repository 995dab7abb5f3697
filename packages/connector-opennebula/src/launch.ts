import {
  ConnectorError,
  findInstanceType,
  type InstanceTypeSpec,
  LAUNCH_TAGS,
  type LaunchRequest,
  launchIdempotently,
  launchIndexOf,
  type Vm,
  WireReader,
} from '@slipstream/connector-core';
import { XMLBuilder } from 'fast-xml-parser';
import { listTemplates, resolveTemplate } from './catalog.js';
import type { SessionContext } from './context.js';
import { contextSshKey } from './keypairs.js';
import { resolveNetworks } from './networks.js';
import type { Contextualization } from './parameters.js';
import { listVmItems, toVms, vmItem } from './vm.js';
import { objectOf } from './wire.js';

/**
 * Launching, through core's idempotent launch: find the VMs an earlier try with the same
 * idempotency key created (their user template carries the key and launch index), resolve the
 * template, size and networks, then instantiate each missing VM with an extra template: CPU, VCPU
 * and MEMORY from the size, a NIC per configured network, the CONTEXT section, and the launch's
 * attributes (which oned keeps in the VM's USER_TEMPLATE).
 */

/** Core's launch tag names as OpenNebula attribute names (upper case, `_` for `-`). */
export const LAUNCH_ATTRIBUTES = Object.freeze({
  idempotencyKey: attributeName(LAUNCH_TAGS.idempotencyKey),
  launchIndex: attributeName(LAUNCH_TAGS.launchIndex),
});

function attributeName(tag: string): string {
  return tag.toUpperCase().replaceAll('-', '_');
}

/** The launch tags a VM's USER_TEMPLATE records, by core's names. */
function launchTagsOf(item: unknown): Record<string, string> {
  const user = new WireReader(item).object('USER_TEMPLATE');
  const key = user?.string(LAUNCH_ATTRIBUTES.idempotencyKey);
  const index = user?.string(LAUNCH_ATTRIBUTES.launchIndex);
  return {
    ...(key === undefined ? {} : { [LAUNCH_TAGS.idempotencyKey]: key }),
    ...(index === undefined ? {} : { [LAUNCH_TAGS.launchIndex]: index }),
  };
}

interface Plan {
  readonly template: number;
  readonly size: InstanceTypeSpec;
  readonly networks: readonly number[];
  /** The template's own CONTEXT, which the extra template's CONTEXT replaces as a whole. */
  readonly context: Readonly<Record<string, string>>;
}

export async function launch(
  context: SessionContext,
  request: LaunchRequest,
  signal: AbortSignal | undefined,
): Promise<Vm[]> {
  if (request.zone !== undefined && request.zone !== context.zone?.id) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      context.zone === undefined
        ? `OpenNebula has no zones to launch in; leave "zone" out (got "${request.zone}").`
        : `This connector instance launches in ${context.zone.id}, not in "${request.zone}": launch there through the instance configured for it.`,
    );
  }
  const size = findInstanceType(context.settings.instanceTypes, request.size);
  const sshKey = contextSshKey(request.sshPublicKey);
  const items = await launchIdempotently<unknown, Plan>(request, {
    find: async () => {
      const found = new Map<number, unknown>();
      for (const item of await listVmItems(context, signal, 'one.vmpool.infoextended')) {
        const index = launchIndexOf(launchTagsOf(item), request.idempotencyKey);
        if (index !== undefined && !found.has(index)) found.set(index, item);
      }
      return found;
    },
    prepare: () => prepare(context, request, size, signal),
    create: async (index, name, plan) => {
      const extra = extraTemplate(plan, {
        sshKey,
        userData: request.userData,
        contextualization: context.settings.contextualization,
        cpuRatio: context.settings.cpuRatio,
        attributes: {
          [LAUNCH_ATTRIBUTES.idempotencyKey]: request.idempotencyKey,
          [LAUNCH_ATTRIBUTES.launchIndex]: String(index),
        },
      });
      // Not retried by the transport: a lost answer is core's to look for, by the launch's key.
      const id = await context.client.id(
        'one.template.instantiate',
        [plan.template, name, false, extra, false],
        {
          signal,
          idempotent: false,
        },
      );
      return (await vmItem(context, id, signal)) ?? { ID: String(id), NAME: name };
    },
    identify: (item) => {
      const wire = new WireReader(item);
      return { id: wire.id('ID') ?? '', name: wire.string('NAME') };
    },
    noun: 'VM',
    logger: context.logger,
  });
  const vms = toVms(context, items, 'launch');
  context.logger.debug({ vms: vms.map((vm) => vm.id), idempotencyKey: request.idempotencyKey }, 'launch');
  return vms;
}

async function prepare(
  context: SessionContext,
  request: LaunchRequest,
  size: InstanceTypeSpec,
  signal: AbortSignal | undefined,
): Promise<Plan> {
  const [templates, networks] = await Promise.all([
    listTemplates(context, signal),
    resolveNetworks(context, signal),
  ]);
  const template = resolveTemplate(templates, request.image);
  const document = await context.client.document('one.template.info', [template.id], { signal });
  const templateContext = new WireReader(objectOf(document, 'VMTEMPLATE', 'one.template.info'))
    .object('TEMPLATE')
    ?.strings('CONTEXT');
  return { template: template.id, size, networks: networks.ids, context: templateContext ?? {} };
}

export interface ExtraTemplateOptions {
  readonly sshKey: string;
  readonly userData: string | undefined;
  readonly contextualization: Contextualization;
  readonly cpuRatio: number;
  /** Attributes of the VM's user template. */
  readonly attributes: Readonly<Record<string, string>>;
}

const builder = new XMLBuilder({ ignoreAttributes: true });

/**
 * The extra template given to `one.template.instantiate`, in oned's XML form (no quoting rules to
 * get wrong). oned replaces whole attributes with it: the template's CONTEXT is sent again with
 * ours laid over it, or NETWORK="YES" and the template's other context would be lost; NICs are
 * sent only when networks are configured, keeping the template's own otherwise.
 */
export function extraTemplate(plan: Plan, options: ExtraTemplateOptions): string {
  const userData =
    options.userData === undefined || options.userData === ''
      ? {}
      : options.contextualization === 'cloud-init'
        ? // cloud-init's OpenNebula datasource reads USER_DATA, decoded as USERDATA_ENCODING says.
          { USER_DATA: base64(options.userData), USERDATA_ENCODING: 'base64' }
        : // The context packages run START_SCRIPT_BASE64 once the VM has booted.
          { START_SCRIPT_BASE64: base64(options.userData) };
  const cpu = Math.max(0.01, Math.round(plan.size.cpus * options.cpuRatio * 100) / 100);
  return builder.build({
    TEMPLATE: {
      CPU: String(cpu),
      VCPU: String(plan.size.cpus),
      MEMORY: String(plan.size.memoryMb),
      ...(plan.networks.length === 0 ? {} : { NIC: plan.networks.map((id) => ({ NETWORK_ID: String(id) })) }),
      CONTEXT: {
        ...plan.context,
        NETWORK: 'YES',
        SSH_PUBLIC_KEY: options.sshKey,
        SET_HOSTNAME: '$NAME',
        ...userData,
      },
      ...options.attributes,
    },
  }) as string;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
