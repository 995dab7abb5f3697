import { SimError } from '../model/errors.js';
import { type Caller, canUse, checkFilter, listedBy, pageOf } from './access.js';
import { OPENNEBULA_VERSION } from './catalog.js';
import { apiError, internalError, noSuchObject, notAuthorized, vmQuotaExceeded } from './errors.js';
import type { Params } from './params.js';
import { type OneRegistry, passwordDigest } from './registry.js';
import {
  poolXml,
  templateDocumentXml,
  userXml,
  type VmView,
  viewOf,
  viewWithState,
  vmPoolValue,
  vmShortXml,
  vmXml,
  vnetXml,
} from './render.js';
import { MAX_VM_STATE, newLife, VM_STATE } from './states.js';
import {
  mergeTemplates,
  parseTemplate,
  single,
  singleValue,
  type Template,
  TemplateSyntaxError,
  vectors,
} from './template.js';
import { type ActionDelays, performAction } from './vm-actions.js';
import { bootImage, planVm } from './vm-template.js';
import { rpc, type XmlRpcValue } from './xmlrpc.js';

/**
 * The XML-RPC methods the simulator serves, each reading its arguments as oned does (after the
 * session, which the front-end has checked) and answering the value oned puts second in a
 * successful answer: a document or an id.
 */

export interface MethodContext {
  readonly registry: OneRegistry;
  readonly caller: Caller;
  readonly params: Params;
  readonly delays: ActionDelays;
}

export type Method = (context: MethodContext) => XmlRpcValue;

/** oned's vmpool state filter values besides a STATE: any state, any but DONE. */
const ANY_STATE = -2;
const NOT_DONE = -1;

const systemVersion: Method = () => rpc.string(OPENNEBULA_VERSION);

const userInfo: Method = ({ registry, caller, params }) => {
  const requested = params.int(1);
  const uid = requested === -1 ? caller.uid : requested;
  if (!registry.userExists(uid)) throw noSuchObject('user', uid);
  // A user may only see itself: other users' records are not shared with it.
  if (uid !== caller.uid) throw notAuthorized(caller.uid, 'USE', 'USER', uid);
  const usage = { vms: 0, runningVms: 0, cpu: 0, memory: 0 };
  for (const record of registry.vms()) {
    if (record.account !== caller.account.id) continue;
    const state = registry.stateOf(record);
    if (state.state === VM_STATE.DONE) continue;
    usage.vms += 1;
    const cpu = numericAttribute(record.template, 'CPU');
    const memory = numericAttribute(record.template, 'MEMORY');
    if (
      state.state === VM_STATE.ACTIVE ||
      state.state === VM_STATE.PENDING ||
      state.state === VM_STATE.HOLD
    ) {
      usage.runningVms += 1;
    }
    usage.cpu += cpu;
    usage.memory += memory;
  }
  return rpc.string(
    userXml(caller, passwordDigest(caller.account.secret), caller.account.vmLimit, {
      ...usage,
      cpu: Math.round(usage.cpu * 100) / 100,
    }),
  );
};

function numericAttribute(template: Template, name: string): number {
  return Number(singleValue(template, name) ?? 0) || 0;
}

const templatePoolInfo: Method = ({ registry, caller, params }) => {
  const filter = params.int(1);
  const start = params.int(2);
  const end = params.int(3);
  checkFilter(filter);
  const listed = registry.templates().filter((template) => listedBy(filter, template, caller));
  return rpc.string(poolXml('VMTEMPLATE_POOL', pageOf(listed, start, end).map(templateDocumentXml)));
};

const templateInfo: Method = ({ registry, caller, params }) => {
  const id = params.int(1);
  if (params.size > 2) params.boolean(2);
  const template = registry.template(id);
  if (!template) throw noSuchObject('virtual machine template', id);
  if (!canUse(template, caller)) throw notAuthorized(caller.uid, 'USE', 'TEMPLATE', id);
  return rpc.string(templateDocumentXml(template));
};

const vnPoolInfo: Method = ({ registry, caller, params }) => {
  const filter = params.int(1);
  const start = params.int(2);
  const end = params.int(3);
  checkFilter(filter);
  const leases = new Map<number, number>();
  for (const record of registry.vms()) {
    if (registry.stateOf(record).state === VM_STATE.DONE) continue;
    for (const nic of vectors(record.template, 'NIC')) {
      const network = Number(nic.vector.get('NETWORK_ID'));
      if (Number.isInteger(network)) leases.set(network, (leases.get(network) ?? 0) + 1);
    }
  }
  const listed = registry.networks.filter((network) => listedBy(filter, network, caller));
  return rpc.string(
    poolXml(
      'VNET_POOL',
      pageOf(listed, start, end).map((network) => vnetXml(network, leases.get(network.id) ?? 0)),
    ),
  );
};

/** one.vmpool.info and one.vmpool.infoextended: the same selection, short or full documents. */
function vmPool(kind: 'short' | 'full', render: (view: VmView) => string): Method {
  return ({ registry, caller, params }) => {
    const filter = params.int(1);
    const start = params.int(2);
    const end = params.int(3);
    const state = params.int(4);
    if (params.size > 5 && params.string(5) !== '') {
      // oned's default back-end, SQLite, cannot search the VMs' JSON bodies.
      throw internalError('JSON query search is not supported by the SQL backend');
    }
    if (state < ANY_STATE || state > MAX_VM_STATE) throw apiError('Incorrect filter_flag, state');
    checkFilter(filter);
    // Each VM's state once (cheap, and what its view would hold), the pool filtered by it; the
    // views, and the documents rendered from them, only for the VMs of the page.
    const selected = registry
      .vms()
      .filter((record) => listedBy(filter, record, caller))
      .map((record) => ({ id: record.id, record, state: registry.stateOf(record) }))
      .filter(({ state: vmState }) =>
        state === ANY_STATE
          ? true
          : state === NOT_DONE
            ? vmState.state !== VM_STATE.DONE
            : vmState.state === state,
      );
    const page = pageOf(selected, start, end);
    return vmPoolValue(
      kind,
      page.map(({ record, state: vmState }) => ({
        record,
        document: render(viewWithState(registry, record, vmState)),
      })),
    );
  };
}

const vmInfo: Method = ({ registry, caller, params }) => {
  const id = params.int(1);
  const record = registry.vm(id);
  if (!record) throw noSuchObject('virtual machine', id);
  if (!canUse(record, caller)) throw notAuthorized(caller.uid, 'USE', 'VM', id);
  return rpc.string(vmXml(viewOf(registry, record)));
};

const vmAction: Method = (context) => {
  const action = context.params.string(1);
  const id = context.params.int(2);
  performAction(context, action, id);
  return rpc.int(id);
};

/**
 * one.template.instantiate(session, template id, name, on hold, extra template, persistent):
 * oned's steps in order — the template, the extra template parsed and merged (whole attributes
 * replaced), USE of the template, the VMS quota, then the allocation checks — and the VM.
 */
const templateInstantiate: Method = ({ registry, caller, params }) => {
  const templateId = params.int(1);
  const name = params.string(2);
  let onHold = false;
  let extra = '';
  let persistent = false;
  if (params.size > 3) {
    onHold = params.boolean(3);
    extra = params.string(4);
  }
  if (params.size > 5) persistent = params.boolean(5);

  let template = registry.template(templateId);
  if (!template) throw noSuchObject('virtual machine template', templateId);
  let extraAttributes: ReturnType<typeof parseTemplate>;
  try {
    extraAttributes = parseTemplate(extra);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw internalError(error.message);
    throw error;
  }
  if (!canUse(template, caller)) throw notAuthorized(caller.uid, 'USE', 'TEMPLATE', templateId);
  let merged = mergeTemplates(template.attributes, extraAttributes);
  if (persistent) {
    // A private copy of the template, with the extra attributes; the VM comes from the copy.
    const original = template;
    template = registry.cloneTemplate(original, name === '' ? `${original.name}-copy` : name, merged, caller);
    merged = mergeTemplates(template.attributes, [single('CLONING_TEMPLATE_ID', String(original.id))]);
  }

  const limit = caller.account.vmLimit;
  if (registry.heldBy(caller.account.id) >= limit) throw vmQuotaExceeded(caller.uid, limit);

  const nextId = registry.nextVmId;
  const plan = planVm(merged, name, `${template.name}-${nextId}`, registry.allocationContext(caller));
  const { cloud } = registry;
  const image = bootImage(plan)?.image ?? registry.images[template.id]?.image ?? cloud.images[0];
  const zone = cloud.zones[0];
  const size = cloud.sizes[0];
  if (!image || !zone || !size)
    throw internalError('The simulated cloud has no image, zone or size to run a VM on.');
  let created: ReturnType<typeof cloud.createVm>;
  try {
    created = cloud.createVm(
      caller.account.id,
      { name: plan.name, zone: zone.id, image: image.id, size: size.id },
      'one.template.instantiate',
    );
  } catch (error) {
    if (error instanceof SimError && error.kind === 'quota') throw vmQuotaExceeded(caller.uid, limit);
    if (error instanceof SimError) throw internalError(error.message);
    throw error;
  }
  const { vm, operation } = created;
  const record = registry.addVm({
    vm,
    owner: caller,
    plan,
    templateId: template.id,
    life: newLife({ from: operation.createdAt, until: operation.completesAt }, onHold),
  });
  return rpc.int(record.id);
};

/** Every method by its XML-RPC name: what `operationOf` reports and fault rules match. */
export const OPENNEBULA_METHODS: Readonly<Record<string, Method>> = Object.freeze({
  'one.system.version': systemVersion,
  'one.user.info': userInfo,
  'one.templatepool.info': templatePoolInfo,
  'one.template.info': templateInfo,
  'one.template.instantiate': templateInstantiate,
  'one.vnpool.info': vnPoolInfo,
  'one.vmpool.info': vmPool('short', vmShortXml),
  'one.vmpool.infoextended': vmPool('full', vmXml),
  'one.vm.info': vmInfo,
  'one.vm.action': vmAction,
});
