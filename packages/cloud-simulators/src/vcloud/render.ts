import type { SimAccount } from '../model/types.js';
import { type Hrefs, MEDIA, urn } from './hrefs.js';
import type {
  Customization,
  Inventory,
  MetadataValue,
  NicRecord,
  TemplateRecord,
  VAppView,
  VdcRecord,
} from './inventory.js';
import { VAPP_STATUS } from './states.js';
import type { TaskRecord, TaskState } from './tasks.js';
import {
  type Attrs,
  type Child,
  el,
  escapeAttribute,
  Markup,
  NS,
  ROOT_NAMESPACES,
  textEl,
  xmlDocument,
} from './xml.js';

/**
 * vCD's documents: VApp (with its Vm), VAppTemplate, Task, Metadata and MetadataValue, and the
 * org, VDC, network and catalog a client walks to find where to instantiate. Attribute and element
 * names and their order follow what vCD 10.x writes; sections vCD writes that no client of the
 * simulator needs (lease, startup, snapshot, runtime info) are left out.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/** How long vCD keeps a finished task: its expiryTime. */
const TASK_EXPIRY_MS = 90 * 24 * 3_600_000;

function root(name: string, attrs: Attrs, ...content: Child[]): Markup {
  return el(name, { ...ROOT_NAMESPACES, ...attrs }, ...content);
}

function link(rel: string, href: string, type?: string, name?: string): Markup {
  return el('Link', { rel, href, type, name });
}

function reference(tag: string, href: string, name: string, type: string, id?: string): Markup {
  return el(tag, { href, id, name, type });
}

export interface RenderContext {
  readonly hrefs: Hrefs;
  readonly inventory: Inventory;
  readonly now: number;
}

// --- tasks -----------------------------------------------------------------------------------------

export function taskElement(
  context: RenderContext,
  task: TaskRecord,
  state: TaskState,
  attrs: Attrs = {},
): Markup {
  const { hrefs, inventory } = context;
  const owner = task.owner;
  const ownerHref = owner.kind === 'vApp' ? hrefs.vapp(owner.id) : hrefs.vm(owner.id);
  const account = inventory.cloud.accounts().find((candidate) => candidate.id === task.account);
  const userId = account ? inventory.userId(account) : task.account;
  return el(
    'Task',
    {
      ...attrs,
      cancelRequested: false,
      endTime: state.endedAt === undefined ? undefined : iso(state.endedAt),
      expiryTime: iso(task.startedAt + TASK_EXPIRY_MS),
      operation: task.operation,
      operationName: task.operationName,
      serviceNamespace: 'com.vmware.vcloud',
      startTime: iso(task.startedAt),
      status: state.status,
      name: 'task',
      id: urn('task', task.id),
      href: hrefs.task(task.id),
      type: MEDIA.task,
    },
    state.status === 'running' ? link('task:cancel', `${hrefs.task(task.id)}/action/cancel`) : undefined,
    reference(
      'Owner',
      ownerHref,
      owner.name,
      owner.kind === 'vApp' ? MEDIA.vApp : MEDIA.vm,
      urn(owner.kind === 'vApp' ? 'vapp' : 'vm', owner.id),
    ),
    state.status === 'error'
      ? el('Error', {
          minorErrorCode: 'INTERNAL_SERVER_ERROR',
          message: `[ ${task.id} ] ${state.error ?? 'The operation failed.'}`,
          majorErrorCode: 500,
        })
      : undefined,
    reference('User', hrefs.user(userId), task.userName, MEDIA.user, urn('user', userId)),
    reference(
      'Organization',
      hrefs.org(inventory.org.id),
      inventory.org.name,
      MEDIA.org,
      urn('org', inventory.org.id),
    ),
    textEl('Progress', state.progress),
    textEl('Details', state.status === 'error' ? (state.error ?? '') : ''),
  );
}

export function taskXml(context: RenderContext, task: TaskRecord, state: TaskState): string {
  return xmlDocument(taskElement(context, task, state, ROOT_NAMESPACES));
}

function runningTasks(context: RenderContext, ids: readonly string[]): Markup | undefined {
  const tasks = ids
    .map((id) => context.inventory.tasks.get(id))
    .filter((task): task is TaskRecord => task !== undefined);
  if (tasks.length === 0) return undefined;
  return el(
    'Tasks',
    {},
    tasks.map((task) => taskElement(context, task, context.inventory.tasks.stateOf(task))),
  );
}

// --- vApps and VMs ---------------------------------------------------------------------------------

function ownerElement(hrefs: Hrefs, userId: string, name: string): Markup {
  return el(
    'Owner',
    { type: MEDIA.owner },
    reference('User', hrefs.user(userId), name, MEDIA.user, urn('user', userId)),
  );
}

/** The links a vApp (or its VM) offers in its state, as vCD lists only the actions that apply. */
function powerLinks(
  href: string,
  status: number,
  deployed: boolean,
  busy: boolean,
  isVApp: boolean,
): Markup[] {
  if (busy || status === VAPP_STATUS.UNRESOLVED) return [];
  const links: Markup[] = [];
  if (status === VAPP_STATUS.POWERED_ON) {
    for (const action of ['powerOff', 'reboot', 'reset', 'shutdown', 'suspend']) {
      links.push(link(`power:${action}`, `${href}/power/action/${action}`));
    }
  } else if (status !== VAPP_STATUS.FAILED_CREATION) {
    links.push(link('power:powerOn', `${href}/power/action/powerOn`));
    links.push(link('deploy', `${href}/action/deploy`, MEDIA.deployParams));
  }
  if (deployed) links.push(link('undeploy', `${href}/action/undeploy`, MEDIA.undeployParams));
  if (!deployed && isVApp) links.push(link('remove', href));
  return links;
}

function hardwareSection(
  href: string,
  vmName: string,
  cpus: number,
  memoryMb: number,
  diskMb: number,
  nic: NicRecord | undefined,
  ipAddress: string | undefined,
): Markup {
  const item = (...content: Child[]): Markup => el('ovf:Item', {}, ...content);
  const nicItem = nic
    ? item(
        textEl('rasd:Address', nic.mac),
        textEl('rasd:AddressOnParent', 0),
        textEl('rasd:AutomaticAllocation', nic.connected),
        el(
          'rasd:Connection',
          {
            'vcloud:ipAddress': ipAddress,
            'vcloud:primaryNetworkConnection': true,
            'vcloud:ipAddressingMode': nic.mode,
          },
          nic.network,
        ),
        textEl('rasd:Description', `Vmxnet3 ethernet adapter on "${nic.network}"`),
        textEl('rasd:ElementName', 'Network adapter 0'),
        textEl('rasd:InstanceID', 1),
        textEl('rasd:ResourceSubType', 'VMXNET3'),
        textEl('rasd:ResourceType', 10),
      )
    : undefined;
  return el(
    'ovf:VirtualHardwareSection',
    {
      'xmlns:vcloud': NS.vcloud,
      'ovf:transport': '',
      'vcloud:type': MEDIA.virtualHardwareSection,
      'vcloud:href': `${href}/virtualHardwareSection/`,
    },
    textEl('ovf:Info', 'Virtual hardware requirements'),
    el(
      'ovf:System',
      {},
      textEl('vssd:ElementName', 'Virtual Hardware Family'),
      textEl('vssd:InstanceID', 0),
      textEl('vssd:VirtualSystemIdentifier', vmName),
      textEl('vssd:VirtualSystemType', 'vmx-19'),
    ),
    nicItem,
    item(
      textEl('rasd:Address', 0),
      textEl('rasd:Description', 'SCSI Controller'),
      textEl('rasd:ElementName', 'SCSI Controller 0'),
      textEl('rasd:InstanceID', 2),
      textEl('rasd:ResourceSubType', 'VirtualSCSI'),
      textEl('rasd:ResourceType', 6),
    ),
    item(
      textEl('rasd:AddressOnParent', 0),
      textEl('rasd:Description', 'Hard disk'),
      textEl('rasd:ElementName', 'Hard disk 1'),
      el('rasd:HostResource', {
        'vcloud:capacity': diskMb,
        'vcloud:busSubType': 'VirtualSCSI',
        'vcloud:busType': 6,
      }),
      textEl('rasd:InstanceID', 2000),
      textEl('rasd:Parent', 2),
      textEl('rasd:ResourceType', 17),
    ),
    el(
      'ovf:Item',
      { 'vcloud:type': MEDIA.rasdItem, 'vcloud:href': `${href}/virtualHardwareSection/cpu` },
      textEl('rasd:AllocationUnits', 'hertz * 10^6'),
      textEl('rasd:Description', 'Number of Virtual CPUs'),
      textEl('rasd:ElementName', `${cpus} virtual CPU(s)`),
      textEl('rasd:InstanceID', 4),
      textEl('rasd:Reservation', 0),
      textEl('rasd:ResourceType', 3),
      textEl('rasd:VirtualQuantity', cpus),
      textEl('rasd:Weight', 0),
    ),
    el(
      'ovf:Item',
      { 'vcloud:type': MEDIA.rasdItem, 'vcloud:href': `${href}/virtualHardwareSection/memory` },
      textEl('rasd:AllocationUnits', 'byte * 2^20'),
      textEl('rasd:Description', 'Memory Size'),
      textEl('rasd:ElementName', `${memoryMb} MB of memory`),
      textEl('rasd:InstanceID', 5),
      textEl('rasd:Reservation', 0),
      textEl('rasd:ResourceType', 4),
      textEl('rasd:VirtualQuantity', memoryMb),
      textEl('rasd:Weight', 0),
    ),
  );
}

function networkConnectionSection(
  href: string,
  nic: NicRecord | undefined,
  ipAddress: string | undefined,
): Markup {
  return el(
    'NetworkConnectionSection',
    {
      href: `${href}/networkConnectionSection/`,
      type: MEDIA.networkConnectionSection,
      'ovf:required': false,
    },
    textEl('ovf:Info', 'Specifies the available VM network connections'),
    nic ? textEl('PrimaryNetworkConnectionIndex', 0) : undefined,
    nic
      ? el(
          'NetworkConnection',
          { needsCustomization: false, network: nic.network },
          textEl('NetworkConnectionIndex', 0),
          ipAddress === undefined ? undefined : textEl('IpAddress', ipAddress),
          textEl('IpType', 'IPV4'),
          textEl('IsConnected', nic.connected),
          textEl('MACAddress', nic.mac),
          textEl('IpAddressAllocationMode', nic.mode),
          textEl('SecondaryIpAddressAllocationMode', 'NONE'),
          textEl('NetworkAdapterType', 'VMXNET3'),
        )
      : undefined,
    link('edit', `${href}/networkConnectionSection/`, MEDIA.networkConnectionSection),
  );
}

function guestCustomizationSection(href: string, vmId: string, customization: Customization): Markup {
  return el(
    'GuestCustomizationSection',
    {
      href: `${href}/guestCustomizationSection/`,
      type: MEDIA.guestCustomizationSection,
      'ovf:required': false,
    },
    textEl('ovf:Info', 'Specifies Guest OS Customization Settings'),
    textEl('Enabled', customization.enabled),
    textEl('ChangeSid', false),
    textEl('VirtualMachineId', vmId),
    textEl('JoinDomainEnabled', false),
    textEl('UseOrgSettings', false),
    textEl('AdminPasswordEnabled', customization.adminPasswordEnabled),
    textEl('AdminPasswordAuto', customization.adminPasswordAuto),
    customization.adminPassword === undefined
      ? undefined
      : textEl('AdminPassword', customization.adminPassword),
    textEl('AdminAutoLogonEnabled', false),
    textEl('AdminAutoLogonCount', 0),
    textEl('ResetPasswordRequired', customization.resetPasswordRequired),
    customization.script === undefined ? undefined : textEl('CustomizationScript', customization.script),
    textEl('ComputerName', customization.computerName),
    link('edit', `${href}/guestCustomizationSection/`, MEDIA.guestCustomizationSection),
  );
}

function operatingSystemSection(href: string, osType: string, description: string): Markup {
  return el(
    'ovf:OperatingSystemSection',
    {
      'xmlns:vcloud': NS.vcloud,
      'ovf:id': 94,
      'vcloud:type': MEDIA.operatingSystemSection,
      'vcloud:href': `${href}/operatingSystemSection/`,
      'vmw:osType': osType,
    },
    textEl('ovf:Info', 'Specifies the operating system installed'),
    textEl('ovf:Description', description),
  );
}

function vmSpecSection(
  osType: string,
  cpus: number,
  coresPerSocket: number,
  memoryMb: number,
  diskMb: number,
): Markup {
  return el(
    'VmSpecSection',
    { Modified: false },
    textEl('ovf:Info', 'Virtual Machine specification'),
    textEl('OsType', osType),
    textEl('NumCpus', cpus),
    textEl('NumCoresPerSocket', coresPerSocket),
    el('CpuResourceMhz', {}, textEl('Configured', 0)),
    el('MemoryResourceMb', {}, textEl('Configured', memoryMb)),
    el(
      'DiskSection',
      {},
      el(
        'DiskSettings',
        {},
        textEl('DiskId', 2000),
        textEl('SizeMb', diskMb),
        textEl('UnitNumber', 0),
        textEl('BusNumber', 0),
        textEl('AdapterType', 6),
        textEl('ThinProvisioned', true),
      ),
    ),
    textEl('HardwareVersion', 'vmx-19'),
    textEl('VirtualCpuType', 'VM64'),
  );
}

function vmElement(context: RenderContext, view: VAppView): Markup {
  const { hrefs } = context;
  const { record, power } = view;
  const href = hrefs.vm(record.vmId);
  const busy = view.runningTasks.length > 0;
  return el(
    'Vm',
    {
      needsCustomization: false,
      nestedHypervisorEnabled: false,
      deployed: power.deployed,
      status: power.status,
      name: record.vmName,
      id: urn('vm', record.vmId),
      href,
      type: MEDIA.vm,
    },
    powerLinks(href, power.status, power.deployed, busy, false),
    link('up', hrefs.vapp(record.id), MEDIA.vApp),
    link('edit', href, MEDIA.vm),
    link('down', hrefs.metadata(href), MEDIA.metadata),
    textEl('Description', record.vmDescription),
    hardwareSection(
      href,
      record.vmName,
      record.cpus,
      record.memoryMb,
      record.diskMb,
      record.nic,
      view.ipAddress,
    ),
    operatingSystemSection(href, record.guestOs.osType, record.guestOs.description),
    networkConnectionSection(href, record.nic, view.ipAddress),
    guestCustomizationSection(href, record.vmId, record.customization),
    vmSpecSection(record.guestOs.osType, record.cpus, record.coresPerSocket, record.memoryMb, record.diskMb),
    textEl('DateCreated', iso(record.createdAt)),
    textEl('VAppScopedLocalId', record.vmName),
    el('StorageProfile', {
      href: `${hrefs.vdc(record.vdcId)}/storageProfile`,
      name: '*',
      type: 'application/vnd.vmware.admin.vdcStorageProfile+xml',
    }),
  );
}

export function vmXml(context: RenderContext, view: VAppView): string {
  return xmlDocument(withNamespaces(vmElement(context, view)));
}

/** The same element as a document of its own: vCD's namespace declarations put on its start tag. */
function withNamespaces(element: Markup): Markup {
  const declarations = Object.entries(ROOT_NAMESPACES)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
  const xml = element.xml;
  const end = xml.search(/[\s/>]/);
  return new Markup(`${xml.slice(0, end)}${declarations}${xml.slice(end)}`);
}

export function vappXml(context: RenderContext, view: VAppView, owner: SimAccount): string {
  const { hrefs, inventory } = context;
  const { record, power } = view;
  const href = hrefs.vapp(record.id);
  const busy = view.runningTasks.length > 0;
  const nic = record.nic;
  const network = nic ? inventory.network(nic.orgNetworkId) : undefined;
  return xmlDocument(
    root(
      'VApp',
      {
        ovfDescriptorUploaded: true,
        deployed: power.deployed,
        status: power.status,
        name: record.name,
        id: urn('vapp', record.id),
        href,
        type: MEDIA.vApp,
      },
      powerLinks(href, power.status, power.deployed, busy, true),
      link('up', hrefs.vdc(record.vdcId), MEDIA.vdc),
      link('edit', href, MEDIA.vApp),
      link('down', `${href}/owner`, MEDIA.owner),
      link('down', hrefs.metadata(href), MEDIA.metadata),
      textEl('Description', record.description),
      runningTasks(context, view.runningTasks),
      el(
        'NetworkConfigSection',
        { href: `${href}/networkConfigSection/`, type: MEDIA.networkConfigSection, 'ovf:required': false },
        textEl('ovf:Info', 'The configuration parameters for logical networks'),
        link('edit', `${href}/networkConfigSection/`, MEDIA.networkConfigSection),
        nic && network
          ? el(
              'NetworkConfig',
              { networkName: nic.network },
              textEl('Description', ''),
              el(
                'Configuration',
                {},
                el(
                  'IpScopes',
                  {},
                  el(
                    'IpScope',
                    {},
                    textEl('IsInherited', true),
                    textEl('Gateway', network.gateway),
                    textEl('Netmask', network.netmask),
                    textEl('SubnetPrefixLength', network.prefixLength),
                    textEl('IsEnabled', true),
                  ),
                ),
                reference(
                  'ParentNetwork',
                  hrefs.network(network.id),
                  network.name,
                  MEDIA.network,
                  urn('network', network.id),
                ),
                textEl('FenceMode', 'bridged'),
                textEl('RetainNetInfoAcrossDeployments', false),
              ),
              textEl('IsDeployed', power.deployed),
            )
          : undefined,
      ),
      ownerElement(hrefs, inventory.userId(owner), owner.key),
      textEl('InMaintenanceMode', false),
      el('Children', {}, vmElement(context, view)),
      textEl('DateCreated', iso(record.createdAt)),
    ),
  );
}

// --- templates -------------------------------------------------------------------------------------

function templateVmElement(context: RenderContext, template: TemplateRecord): Markup {
  const href = context.hrefs.templateVm(template.vmId);
  return el(
    'Vm',
    {
      goldMaster: false,
      status: VAPP_STATUS.POWERED_OFF,
      name: template.vmName,
      id: urn('vm', template.vmId),
      href,
      type: MEDIA.vm,
    },
    link('up', context.hrefs.template(template.id), MEDIA.vAppTemplate),
    link('down', context.hrefs.metadata(href), MEDIA.metadata),
    textEl('Description', ''),
    networkConnectionSection(href, undefined, undefined),
    guestCustomizationSection(href, template.vmId, {
      enabled: true,
      computerName: template.vmName.replace(/[^A-Za-z0-9-]+/g, '-').slice(0, 15),
      script: undefined,
      adminPasswordEnabled: true,
      adminPasswordAuto: true,
      adminPassword: undefined,
      resetPasswordRequired: false,
    }),
    hardwareSection(
      href,
      template.vmName,
      template.cpus,
      template.memoryMb,
      template.diskMb,
      undefined,
      undefined,
    ),
    operatingSystemSection(href, template.guestOs.osType, template.guestOs.description),
    vmSpecSection(template.guestOs.osType, template.cpus, 1, template.memoryMb, template.diskMb),
    textEl('DateCreated', iso(template.createdAt)),
    textEl('VAppScopedLocalId', template.vmName),
  );
}

export function templateXml(context: RenderContext, template: TemplateRecord): string {
  const { hrefs, inventory } = context;
  const href = hrefs.template(template.id);
  return xmlDocument(
    root(
      'VAppTemplate',
      {
        goldMaster: false,
        ovfDescriptorUploaded: true,
        status: VAPP_STATUS.POWERED_OFF,
        name: template.name,
        id: urn('vapptemplate', template.id),
        href,
        type: MEDIA.vAppTemplate,
      },
      link('up', hrefs.vdc(template.vdcId), MEDIA.vdc),
      link('up', hrefs.catalog(inventory.catalog.id), MEDIA.catalog),
      link('down', hrefs.metadata(href), MEDIA.metadata),
      textEl('Description', template.description),
      ownerElement(hrefs, 'system', 'system'),
      el('Children', {}, templateVmElement(context, template)),
      textEl('DateCreated', iso(template.createdAt)),
    ),
  );
}

export function templateVmXml(context: RenderContext, template: TemplateRecord): string {
  return xmlDocument(withNamespaces(templateVmElement(context, template)));
}

// --- metadata ------------------------------------------------------------------------------------

function typedValue(value: MetadataValue): Markup {
  return el('TypedValue', { 'xsi:type': value.type }, textEl('Value', value.value));
}

export function metadataXml(
  hrefs: Hrefs,
  entityHref: string,
  entityType: string,
  entries: ReadonlyMap<string, MetadataValue>,
): string {
  const href = hrefs.metadata(entityHref);
  return xmlDocument(
    root(
      'Metadata',
      { 'xmlns:xsi': NS.xsi, href, type: MEDIA.metadata },
      link('up', entityHref, entityType),
      link('add', href, MEDIA.metadata),
      [...entries].map(([key, value]) => {
        const entryHref = hrefs.metadataEntry(entityHref, key);
        return el(
          'MetadataEntry',
          { href: entryHref, type: MEDIA.metadataValue },
          link('up', href, MEDIA.metadata),
          link('edit', entryHref, MEDIA.metadataValue),
          link('remove', entryHref),
          textEl('Key', key),
          typedValue(value),
        );
      }),
    ),
  );
}

export function metadataValueXml(
  hrefs: Hrefs,
  entityHref: string,
  key: string,
  value: MetadataValue,
): string {
  const href = hrefs.metadataEntry(entityHref, key);
  return xmlDocument(
    root(
      'MetadataValue',
      { 'xmlns:xsi': NS.xsi, href, type: MEDIA.metadataValue },
      link('up', hrefs.metadata(entityHref), MEDIA.metadata),
      link('edit', href, MEDIA.metadataValue),
      link('remove', href),
      typedValue(value),
    ),
  );
}

// --- the organization and where VMs go -----------------------------------------------------------

export function orgListXml(context: RenderContext): string {
  const { hrefs, inventory } = context;
  return xmlDocument(
    root(
      'OrgList',
      { href: hrefs.api('/org/'), type: MEDIA.orgList },
      reference('Org', hrefs.org(inventory.org.id), inventory.org.name, MEDIA.org),
    ),
  );
}

export function orgXml(context: RenderContext): string {
  const { hrefs, inventory } = context;
  const org = inventory.org;
  return xmlDocument(
    root(
      'Org',
      { name: org.name, id: urn('org', org.id), href: hrefs.org(org.id), type: MEDIA.org },
      inventory.vdcs.map((vdc) => link('down', hrefs.vdc(vdc.id), MEDIA.vdc, vdc.name)),
      link('down', hrefs.catalog(inventory.catalog.id), MEDIA.catalog, inventory.catalog.name),
      inventory.vdcs.map((vdc) =>
        link('down', hrefs.network(vdc.network.id), MEDIA.orgNetwork, vdc.network.name),
      ),
      textEl('Description', ''),
      textEl('FullName', org.name),
    ),
  );
}

export function vdcXml(context: RenderContext, vdc: VdcRecord, entities: readonly VAppView[]): string {
  const { hrefs, inventory } = context;
  const href = hrefs.vdc(vdc.id);
  const capacity = (name: string, units: string): Markup =>
    el(
      name,
      {},
      textEl('Units', units),
      textEl('Allocated', 0),
      textEl('Limit', 0),
      textEl('Reserved', 0),
      textEl('Used', 0),
    );
  const templates = inventory.templates.filter((template) => template.vdcId === vdc.id);
  return xmlDocument(
    root(
      'Vdc',
      { status: 1, name: vdc.name, id: urn('vdc', vdc.id), href, type: MEDIA.vdc },
      link('up', hrefs.org(inventory.org.id), MEDIA.org),
      link('add', `${href}/action/instantiateVAppTemplate`, MEDIA.instantiateParams),
      textEl('Description', ''),
      textEl('AllocationModel', 'Flex'),
      el('ComputeCapacity', {}, capacity('Cpu', 'MHz'), capacity('Memory', 'MB')),
      el(
        'ResourceEntities',
        {},
        entities.map((view) =>
          reference('ResourceEntity', hrefs.vapp(view.record.id), view.record.name, MEDIA.vApp),
        ),
        templates.map((template) =>
          reference('ResourceEntity', hrefs.template(template.id), template.name, MEDIA.vAppTemplate),
        ),
      ),
      el(
        'AvailableNetworks',
        {},
        reference(
          'Network',
          hrefs.network(vdc.network.id),
          vdc.network.name,
          MEDIA.network,
          urn('network', vdc.network.id),
        ),
      ),
      el(
        'Capabilities',
        {},
        el('SupportedHardwareVersions', {}, textEl('SupportedHardwareVersion', 'vmx-19')),
      ),
      textEl('NicQuota', 0),
      textEl('NetworkQuota', 0),
      textEl('UsedNetworkCount', 1),
      textEl('VmQuota', 0),
      textEl('IsEnabled', true),
    ),
  );
}

export function networkXml(context: RenderContext, vdc: VdcRecord): string {
  const { hrefs } = context;
  const network = vdc.network;
  return xmlDocument(
    root(
      'OrgVdcNetwork',
      {
        status: 1,
        name: network.name,
        id: urn('network', network.id),
        href: hrefs.network(network.id),
        type: MEDIA.orgNetwork,
      },
      link('up', hrefs.vdc(vdc.id), MEDIA.vdc),
      textEl('Description', ''),
      el(
        'Configuration',
        {},
        el(
          'IpScopes',
          {},
          el(
            'IpScope',
            {},
            textEl('IsInherited', false),
            textEl('Gateway', network.gateway),
            textEl('Netmask', network.netmask),
            textEl('SubnetPrefixLength', network.prefixLength),
            textEl('IsEnabled', true),
          ),
        ),
        textEl('FenceMode', network.fenceMode),
        textEl('RetainNetInfoAcrossDeployments', false),
      ),
      textEl('IsShared', false),
    ),
  );
}

export function catalogXml(context: RenderContext): string {
  const { hrefs, inventory } = context;
  const catalog = inventory.catalog;
  return xmlDocument(
    root(
      'Catalog',
      {
        name: catalog.name,
        id: urn('catalog', catalog.id),
        href: hrefs.catalog(catalog.id),
        type: MEDIA.catalog,
      },
      link('up', hrefs.org(inventory.org.id), MEDIA.org),
      textEl('Description', ''),
      el(
        'CatalogItems',
        {},
        inventory.templates.map((template) => {
          const id = template.catalogItemId;
          return reference('CatalogItem', hrefs.catalogItem(id), template.name, MEDIA.catalogItem, id);
        }),
      ),
      textEl('IsPublished', false),
      textEl('DateCreated', iso(catalog.createdAt)),
    ),
  );
}

export function catalogItemXml(context: RenderContext, template: TemplateRecord): string {
  const { hrefs, inventory } = context;
  const id = template.catalogItemId;
  return xmlDocument(
    root(
      'CatalogItem',
      {
        size: template.diskMb * 1024 * 1024,
        name: template.name,
        id: urn('catalogitem', id),
        href: hrefs.catalogItem(id),
        type: MEDIA.catalogItem,
      },
      link('up', hrefs.catalog(inventory.catalog.id), MEDIA.catalog),
      textEl('Description', template.description),
      reference(
        'Entity',
        hrefs.template(template.id),
        template.name,
        MEDIA.vAppTemplate,
        urn('vapptemplate', template.id),
      ),
      textEl('DateCreated', iso(template.createdAt)),
    ),
  );
}

// --- versions and the legacy session -------------------------------------------------------------

export function versionsXml(hrefs: Hrefs, versions: readonly string[], legacy: ReadonlySet<string>): string {
  return xmlDocument(
    el(
      'SupportedVersions',
      { xmlns: NS.versions, 'xmlns:ns2': NS.vcloud },
      [...versions]
        .reverse()
        .map((version) =>
          el(
            'VersionInfo',
            { deprecated: false },
            textEl('Version', version),
            legacy.has(version) ? textEl('LoginUrl', hrefs.api('/sessions')) : undefined,
          ),
        ),
    ),
  );
}

export function legacySessionXml(context: RenderContext, account: SimAccount): string {
  const { hrefs, inventory } = context;
  const userId = inventory.userId(account);
  return xmlDocument(
    root(
      'Session',
      {
        org: inventory.org.name,
        roles: 'vApp Author',
        user: account.key,
        userId: urn('user', userId),
        href: hrefs.api('/session'),
        type: MEDIA.session,
      },
      link('down', hrefs.api('/org/'), MEDIA.orgList),
      link('remove', hrefs.api('/session')),
      link('down', hrefs.org(inventory.org.id), MEDIA.org, inventory.org.name),
      link('down', hrefs.api('/query'), MEDIA.queryList),
      link('openapi', `${hrefs.base}/cloudapi`, 'application/json'),
    ),
  );
}
