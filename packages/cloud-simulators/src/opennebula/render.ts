import { permissionsXml } from './access.js';
import type { OneRegistry, TemplateRecord, VmRecord, VnetRecord } from './registry.js';
import { LCM_STATE, type OneState, VM_STATE } from './states.js';
import { attributeXml, escapeXml, isVector, templateXml } from './template.js';
import { macOf } from './vm-template.js';
import { escapeText, rpc, type XmlRpcValue } from './xmlrpc.js';

/**
 * oned's XML documents, element for element in oned's order (vm.xsd, vmtemplate.xsd,
 * vnet_pool.xsd, user.xsd): the full VM body (vm.info, vmpool.infoextended), the short one
 * vmpool.info lists (VirtualMachine::to_xml_short: only CPU, MEMORY, VCPU, DISK and NIC
 * summaries and GRAPHICS of the TEMPLATE, only the scheduler's and Sunstone's attributes of the
 * USER_TEMPLATE), templates, networks and users, and the pools around them. Times are seconds.
 */

/** The host every VM is deployed on. */
const HOST = { id: 0, name: 'kvm-node-1', vmMad: 'kvm', tmMad: 'ssh', datastore: 0 } as const;

const seconds = (ms: number): number => Math.floor(ms / 1000);

function element(name: string, value: string | number): string {
  return `<${name}>${typeof value === 'number' ? value : escapeXml(value)}</${name}>`;
}

/** Everything a VM's documents are made from, computed once per VM and call. */
export interface VmView {
  readonly record: VmRecord;
  readonly state: OneState;
  readonly now: number;
}

export function viewOf(registry: OneRegistry, record: VmRecord): VmView {
  return viewWithState(registry, record, registry.stateOf(record));
}

/** The view of a VM whose state was just read with `registry.stateOf` (a pool reads it to filter). */
export function viewWithState(registry: OneRegistry, record: VmRecord, state: OneState): VmView {
  return { record, state, now: registry.cloud.clock.now() };
}

/** When the VM became DONE (ETIME), or 0 while it is not. */
function endTime({ record, state }: VmView): number {
  if (state.state !== VM_STATE.DONE) return 0;
  const terminate = record.life.terminate;
  if (terminate) return terminate.kind === 'immediate' ? terminate.from : terminate.until;
  return record.last.phaseSince;
}

/** A VM has a history record once it has been deployed on a host (left PENDING the first time). */
function deployed({ record, state }: VmView): boolean {
  if (state.state === VM_STATE.PENDING || state.state === VM_STATE.HOLD)
    return record.life.power !== undefined;
  if (state.state === VM_STATE.DONE) return record.life.terminate?.kind !== 'immediate';
  return true;
}

/** The hypervisor's name for the VM once it has booted there. */
function deployId(view: VmView): string {
  const { state } = view;
  if (!deployed(view)) return '';
  if (state.state === VM_STATE.ACTIVE && state.lcm === LCM_STATE.PROLOG) return '';
  return `one-${view.record.id}`;
}

/** Monitored: running on a host, as the monitor probes report it. */
function monitored({ state }: VmView): boolean {
  return state.state === VM_STATE.ACTIVE && state.lcm === LCM_STATE.RUNNING;
}

function lastPoll(view: VmView): number {
  return monitored(view) ? seconds(view.now) : 0;
}

function memoryOf(record: VmRecord): string {
  for (const attribute of record.template) {
    if (attribute.name === 'MEMORY' && !isVector(attribute)) return attribute.value;
  }
  return '';
}

function singleOf(record: VmRecord, name: string): string {
  for (const attribute of record.template)
    if (attribute.name === name && !isVector(attribute)) return attribute.value;
  return '';
}

/** The deploy's steps in time: prolog start, boot start. */
function deploySteps(record: VmRecord): { readonly prolog: number; readonly boot: number } {
  const boot = record.life.boot;
  if (!boot) return { prolog: record.stime, boot: record.stime };
  const third = (boot.until - boot.from) / 3;
  return { prolog: boot.from + third, boot: boot.from + 2 * third };
}

function historyShort(view: VmView): string {
  const { record } = view;
  return (
    `<HISTORY>${element('OID', record.id)}${element('SEQ', 0)}${element('HOSTNAME', HOST.name)}` +
    `${element('HID', HOST.id)}${element('CID', 0)}${element('DS_ID', HOST.datastore)}` +
    `${element('VM_MAD', HOST.vmMad)}${element('TM_MAD', HOST.tmMad)}${element('ACTION', record.lastAction?.action ?? 0)}</HISTORY>`
  );
}

function historyFull(view: VmView): string {
  const { record, now } = view;
  const steps = deploySteps(record);
  const past = (ms: number | undefined): number => (ms !== undefined && ms <= now ? seconds(ms) : 0);
  const end = endTime(view);
  const terminate = record.life.terminate;
  const epilogStart =
    terminate && terminate.kind !== 'immediate'
      ? terminate.kind === 'shutdown'
        ? (terminate.from + terminate.until) / 2
        : terminate.from
      : undefined;
  return (
    `<HISTORY>${element('OID', record.id)}${element('SEQ', 0)}${element('HOSTNAME', HOST.name)}` +
    `${element('HID', HOST.id)}${element('CID', 0)}${element('STIME', past(steps.prolog))}` +
    `${element('ETIME', end ? seconds(end) : 0)}${element('VM_MAD', HOST.vmMad)}${element('TM_MAD', HOST.tmMad)}` +
    `${element('DS_ID', HOST.datastore)}${element('PSTIME', past(steps.prolog))}${element('PETIME', past(steps.boot))}` +
    `${element('RSTIME', past(steps.boot))}${element('RETIME', past(epilogStart))}` +
    `${element('ESTIME', past(epilogStart))}${element('EETIME', end ? seconds(end) : 0)}` +
    `${element('ACTION', record.lastAction?.action ?? 0)}${element('UID', record.lastAction?.uid ?? -1)}` +
    `${element('GID', record.lastAction?.gid ?? -1)}${element('REQUEST_ID', -1)}</HISTORY>`
  );
}

function monitoringFull(view: VmView): string {
  if (!monitored(view)) return '<MONITORING/>';
  const memory = Number(memoryOf(view.record)) * 1024;
  return (
    `<MONITORING>${element('CPU', '0.0')}${element('DISKRDBYTES', 0)}${element('DISKRDIOPS', 0)}` +
    `${element('DISKWRBYTES', 0)}${element('DISKWRIOPS', 0)}${element('ID', view.record.id)}` +
    `${element('MEMORY', Number.isFinite(memory) ? memory : 0)}${element('NETRX', 0)}${element('NETTX', 0)}` +
    `${element('TIMESTAMP', seconds(view.now))}</MONITORING>`
  );
}

function monitoringShort(view: VmView): string {
  if (!monitored(view)) return '<MONITORING/>';
  const memory = Number(memoryOf(view.record)) * 1024;
  return `<MONITORING>${element('CPU', '0.0')}${element('MEMORY', Number.isFinite(memory) ? memory : 0)}</MONITORING>`;
}

function header(view: VmView): string {
  const { record } = view;
  return (
    `${element('ID', record.id)}${element('UID', record.uid)}${element('GID', record.gid)}` +
    `${element('UNAME', record.uname)}${element('GNAME', record.gname)}${element('NAME', record.name)}`
  );
}

function times(view: VmView): string {
  const { record } = view;
  return (
    `${element('RESCHED', record.resched)}${element('STIME', seconds(record.stime))}` +
    `${element('ETIME', seconds(endTime(view)))}${element('DEPLOY_ID', deployId(view))}`
  );
}

/**
 * The parts of a VM's documents that never change once it exists (its templates are fixed at
 * allocation), rendered once: pools of a thousand VMs are listed again and again.
 */
interface FixedParts {
  templates?: string;
  shortTemplate?: string;
  shortUserTemplate?: string;
}

const fixedParts = new WeakMap<VmRecord, FixedParts>();

function fixed(record: VmRecord): FixedParts {
  let parts = fixedParts.get(record);
  if (!parts) {
    parts = {};
    fixedParts.set(record, parts);
  }
  return parts;
}

/** The full VM document (one.vm.info, one.vmpool.infoextended). */
export function vmXml(view: VmView): string {
  const { record, state } = view;
  const previous = record.previous ?? state;
  return (
    `<VM>${header(view)}${permissionsXml(record.permissions)}${element('LAST_POLL', lastPoll(view))}` +
    `${element('STATE', state.state)}${element('LCM_STATE', state.lcm)}` +
    `${element('PREV_STATE', previous.state)}${element('PREV_LCM_STATE', previous.lcm)}${times(view)}` +
    `${monitoringFull(view)}<SCHED_ACTIONS/>${fullTemplates(record)}` +
    `${deployed(view) ? `<HISTORY_RECORDS>${historyFull(view)}</HISTORY_RECORDS>` : '<HISTORY_RECORDS/>'}` +
    '<BACKUPS><BACKUP_CONFIG/><BACKUP_IDS/></BACKUPS></VM>'
  );
}

/** The NIC summary to_xml_short writes: IP first, then MAC, NETWORK, NETWORK_ID, NIC_ID, SECURITY_GROUPS. */
const SHORT_NIC_KEYS = [
  'IP',
  'EXTERNAL_IP',
  'IP6',
  'IP6_ULA',
  'IP6_LINK',
  'IP6_GLOBAL',
  'NETWORK_MODE',
  'SCHED_REQUIREMENTS',
  'SCHED_RANK',
  'MAC',
  'NETWORK',
  'NETWORK_ID',
  'NIC_ID',
  'SECURITY_GROUPS',
];
const SHORT_DISK_KEYS = [
  'DISK_ID',
  'DATASTORE',
  'DATASTORE_ID',
  'IMAGE',
  'IMAGE_ID',
  'SIZE',
  'TYPE',
  'CLONE',
  'CLONE_TARGET',
  'LN_TARGET',
  'DISK_SNAPSHOT_TOTAL_SIZE',
];
/** The user attributes to_xml_short keeps: Sunstone's and the scheduler's. */
const SHORT_USER_KEYS = [
  'LABELS',
  'ERROR',
  'SCHED_MESSAGE',
  'SCHED_RANK',
  'SCHED_DS_RANK',
  'SCHED_REQUIREMENTS',
  'SCHED_DS_REQUIREMENTS',
  'USER_PRIORITY',
];

function shortVector(name: string, values: ReadonlyMap<string, string>, keys: readonly string[]): string {
  const body = keys
    .filter((key) => values.has(key) && (values.get(key) !== '' || name === 'DISK'))
    .map((key) => element(key, values.get(key) ?? ''))
    .join('');
  return `<${name}>${body}</${name}>`;
}

function fullTemplates(record: VmRecord): string {
  const parts = fixed(record);
  parts.templates ??= `${templateXml('TEMPLATE', record.template)}${templateXml('USER_TEMPLATE', record.userTemplate)}`;
  return parts.templates;
}

function userTemplateShort(record: VmRecord): string {
  const parts = fixed(record);
  parts.shortUserTemplate ??= renderUserTemplateShort(record);
  return parts.shortUserTemplate;
}

function renderUserTemplateShort(record: VmRecord): string {
  if (record.userTemplate.length === 0) return '<USER_TEMPLATE/>';
  let body = '';
  for (const key of SHORT_USER_KEYS) {
    const attribute = record.userTemplate.find((candidate) => candidate.name === key && !isVector(candidate));
    if (attribute && !isVector(attribute) && (attribute.value !== '' || key.startsWith('SCHED_'))) {
      body += element(key, attribute.value);
    }
  }
  for (const attribute of record.userTemplate) {
    if ((attribute.name === 'PUBLIC_CLOUD' || attribute.name === 'SCHED_ACTION') && isVector(attribute)) {
      body += attributeXml(attribute);
    }
  }
  return `<USER_TEMPLATE>${body}</USER_TEMPLATE>`;
}

/** The short VM document one.vmpool.info lists (VirtualMachine::to_xml_short). */
export function vmShortXml(view: VmView): string {
  const { record, state } = view;
  const parts = fixed(record);
  parts.shortTemplate ??= renderTemplateShort(record);
  return (
    `<VM>${header(view)}${element('LAST_POLL', lastPoll(view))}${element('STATE', state.state)}` +
    `${element('LCM_STATE', state.lcm)}${times(view)}${parts.shortTemplate}` +
    `${monitoringShort(view)}${userTemplateShort(record)}` +
    `${deployed(view) ? `<HISTORY_RECORDS>${historyShort(view)}</HISTORY_RECORDS>` : '<HISTORY_RECORDS/>'}</VM>`
  );
}

function renderTemplateShort(record: VmRecord): string {
  let template = `${element('CPU', singleOf(record, 'CPU'))}${element('MEMORY', memoryOf(record))}${element('VCPU', singleOf(record, 'VCPU'))}`;
  for (const attribute of record.template) {
    if (attribute.name === 'DISK' && isVector(attribute))
      template += shortVector('DISK', attribute.vector, SHORT_DISK_KEYS);
  }
  for (const attribute of record.template) {
    if (attribute.name === 'NIC' && isVector(attribute))
      template += shortVector('NIC', attribute.vector, SHORT_NIC_KEYS);
  }
  const graphics = record.template.find((attribute) => attribute.name === 'GRAPHICS' && isVector(attribute));
  if (graphics) template += attributeXml(graphics);
  return `<TEMPLATE>${template}</TEMPLATE>`;
}

export function poolXml(root: string, documents: readonly string[]): string {
  return `<${root}>${documents.join('')}</${root}>`;
}

/** Each VM's last document and its escaped form, by kind (short or full). */
const escapedDocuments = new WeakMap<
  VmRecord,
  Map<string, { readonly raw: string; readonly escaped: string }>
>();

function escapedDocument(record: VmRecord, kind: string, raw: string): string {
  let byKind = escapedDocuments.get(record);
  if (!byKind) {
    byKind = new Map();
    escapedDocuments.set(record, byKind);
  }
  const last = byKind.get(kind);
  if (last?.raw === raw) return last.escaped;
  const escaped = escapeText(raw);
  byKind.set(kind, { raw, escaped });
  return escaped;
}

/**
 * A VM pool as the answer's string, with its escaped form built from each VM's document escaped
 * once and reused while it does not change: escaping megabytes anew for every page would dominate
 * the time a thousand-VM listing takes.
 */
export function vmPoolValue(
  kind: 'short' | 'full',
  entries: readonly { readonly record: VmRecord; readonly document: string }[],
): XmlRpcValue {
  const raw = poolXml(
    'VM_POOL',
    entries.map((entry) => entry.document),
  );
  const escaped = entries.map((entry) => escapedDocument(entry.record, kind, entry.document)).join('');
  return rpc.string(raw, `&lt;VM_POOL&gt;${escaped}&lt;/VM_POOL&gt;`);
}

export function templateDocumentXml(template: TemplateRecord): string {
  return (
    `<VMTEMPLATE>${element('ID', template.id)}${element('UID', template.uid)}${element('GID', template.gid)}` +
    `${element('UNAME', template.uname)}${element('GNAME', template.gname)}${element('NAME', template.name)}` +
    `${permissionsXml(template.permissions)}${element('REGTIME', seconds(template.regtime))}` +
    `${templateXml('TEMPLATE', template.attributes)}</VMTEMPLATE>`
  );
}

/** Each kind of network's address range: the model hands out public and private addresses from these. */
const ADDRESS_RANGES = {
  public: { first: '198.18.0.1', size: 131_070, address: '198.18.0.0', mask: '255.254.0.0' },
  private: { first: '10.0.0.1', size: 16_777_214, address: '10.0.0.0', mask: '255.0.0.0' },
} as const;

export function vnetXml(network: VnetRecord, usedLeases: number): string {
  const range = ADDRESS_RANGES[network.kind];
  const bridge = `onebr${network.id}`;
  const template = templateXml('TEMPLATE', [
    { name: 'BRIDGE', value: bridge },
    { name: 'BRIDGE_TYPE', value: 'linux' },
    { name: 'NETWORK_ADDRESS', value: range.address },
    { name: 'NETWORK_MASK', value: range.mask },
    { name: 'OUTER_VLAN_ID', value: '' },
    { name: 'PHYDEV', value: '' },
    { name: 'SECURITY_GROUPS', value: '0' },
    { name: 'VLAN_ID', value: '' },
    { name: 'VN_MAD', value: 'bridge' },
  ]);
  return (
    `<VNET>${element('ID', network.id)}${element('UID', network.uid)}${element('GID', network.gid)}` +
    `${element('UNAME', network.uname)}${element('GNAME', network.gname)}${element('NAME', network.name)}` +
    `${permissionsXml(network.permissions)}<CLUSTERS><ID>0</ID></CLUSTERS>${element('BRIDGE', bridge)}` +
    `${element('BRIDGE_TYPE', 'linux')}${element('STATE', 1)}${element('PREV_STATE', 0)}<PARENT_NETWORK_ID/>` +
    `${element('VN_MAD', 'bridge')}<PHYDEV/><VLAN_ID/><OUTER_VLAN_ID/>${element('VLAN_ID_AUTOMATIC', 0)}` +
    `${element('OUTER_VLAN_ID_AUTOMATIC', 0)}${element('USED_LEASES', usedLeases)}<VROUTERS/><UPDATED_VMS/>` +
    `<OUTDATED_VMS/><UPDATING_VMS/><ERROR_VMS/>${template}<AR_POOL><AR>${element('AR_ID', 0)}` +
    `${element('IP', range.first)}${element('MAC', macOf(range.first))}${element('SIZE', range.size)}` +
    `${element('TYPE', 'IP4')}</AR></AR_POOL></VNET>`
  );
}

/** A user's VM quota and usage; -1 is "the default" (unlimited here), as oned writes it. */
export interface VmUsage {
  readonly vms: number;
  readonly runningVms: number;
  readonly cpu: number;
  readonly memory: number;
}

export function userXml(
  user: { readonly uid: number; readonly uname: string; readonly gid: number; readonly gname: string },
  passwordDigest: string,
  vmLimit: number,
  usage: VmUsage,
): string {
  const quota =
    `<VM_QUOTA><VM>${element('CPU', '-1')}${element('CPU_USED', String(usage.cpu))}${element('MEMORY', '-1')}` +
    `${element('MEMORY_USED', String(usage.memory))}${element('RUNNING_CPU', '-1')}` +
    `${element('RUNNING_CPU_USED', String(usage.cpu))}${element('RUNNING_MEMORY', '-1')}` +
    `${element('RUNNING_MEMORY_USED', String(usage.memory))}${element('RUNNING_VMS', '-1')}` +
    `${element('RUNNING_VMS_USED', String(usage.runningVms))}${element('SYSTEM_DISK_SIZE', '-1')}` +
    `${element('SYSTEM_DISK_SIZE_USED', '0')}${element('VMS', String(vmLimit))}` +
    `${element('VMS_USED', String(usage.vms))}</VM></VM_QUOTA>`;
  const defaults =
    '<DEFAULT_USER_QUOTAS><DATASTORE_QUOTA/><NETWORK_QUOTA/><VM_QUOTA/><IMAGE_QUOTA/></DEFAULT_USER_QUOTAS>';
  return (
    `<USER>${element('ID', user.uid)}${element('GID', user.gid)}<GROUPS><ID>${user.gid}</ID></GROUPS>` +
    `${element('GNAME', user.gname)}${element('NAME', user.uname)}${element('PASSWORD', passwordDigest)}` +
    `${element('AUTH_DRIVER', 'core')}${element('ENABLED', 1)}` +
    `<TEMPLATE>${element('TOKEN_PASSWORD', passwordDigest.slice(0, 40))}</TEMPLATE>` +
    `<DATASTORE_QUOTA/><NETWORK_QUOTA/>${quota}<IMAGE_QUOTA/>${defaults}</USER>`
  );
}
