import type { SimAccount } from '../model/types.js';
import { badRequest } from './errors.js';
import { attributesOf, type Filter, FilterError, matches, parseFilter } from './fiql.js';
import { type Hrefs, MEDIA, urn } from './hrefs.js';
import type { Inventory, TemplateRecord, VAppView, VdcRecord } from './inventory.js';
import { statusName, VAPP_STATUS } from './states.js';
import { el, type Markup, ROOT_NAMESPACES, xmlDocument } from './xml.js';

/**
 * The query service, `GET /api/query?type=…`: typed queries over what the caller may see, in pages.
 * `format` records (default), idrecords (ids as URNs) or references; `page` from 1; `pageSize`
 * (default 25) silently capped at the server's maximum, the answer saying the capped size;
 * `filter` (FIQL, see fiql.ts; `filterEncoded=true` when encoded twice); `sortAsc`/`sortDesc` by an
 * attribute; `fields` to keep some attributes only. The answer is a QueryResultRecords (or
 * QueryResultReferences) with total, page, pageSize and the nextPage/previousPage/firstPage/lastPage
 * links vCD gives, then one `<VMRecord …/>` (or other record) per match, every value an attribute.
 */

interface Reference {
  readonly href: string;
  readonly urn: string;
}

interface QueryRecord {
  readonly href: string;
  readonly urn: string;
  readonly name: string;
  /** Plain attribute values. */
  readonly values: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Attributes naming another entity: an href in records, a URN in idrecords. */
  readonly refs: Readonly<Record<string, Reference | undefined>>;
}

interface QueryType {
  readonly record: string;
  readonly reference: string;
  readonly mediaType: string;
  /** Every attribute its records may have, for filters and sorts. */
  readonly attributes: readonly string[];
  readonly references: ReadonlySet<string>;
  records(context: QueryContext): QueryRecord[];
}

export interface QueryContext {
  readonly hrefs: Hrefs;
  /** The API version agreed for the call: VM records carry `ipAddress` from 38.0 on. */
  readonly version: string;
  readonly inventory: Inventory;
  readonly account: SimAccount;
  /** The caller's vApps as seen now. */
  readonly views: readonly VAppView[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Whether a version's VM records carry `ipAddress`: API 38.0 (vCD 10.5) added it; before, a VM's
 * address is only in its NetworkConnectionSection (the VM's or its vApp's document).
 */
export function recordsCarryIpAddress(version: string): boolean {
  return Number(version) >= 38;
}

const ref = (href: string, type: string, uuid: string): Reference => ({ href, urn: urn(type, uuid) });

/** The task attributes of a record: the latest task of the vApp, as vCD's records carry it. */
function taskValues(context: QueryContext, view: VAppView): Record<string, string | undefined> {
  const id = view.record.tasks[view.record.tasks.length - 1];
  const task = id === undefined ? undefined : context.inventory.tasks.get(id);
  if (!task) return {};
  const state = context.inventory.tasks.stateOf(task);
  return { taskStatus: state.status, taskStatusName: task.operationName, taskDetails: ' ' };
}

function vdcOf(context: QueryContext, id: string): VdcRecord {
  return context.inventory.vdc(id) ?? context.inventory.defaultVdc;
}

function vmRecord(context: QueryContext, view: VAppView): QueryRecord {
  const { hrefs } = context;
  const { record, power } = view;
  const vdc = vdcOf(context, record.vdcId);
  const latest = record.tasks[record.tasks.length - 1];
  return {
    href: hrefs.vm(record.vmId),
    urn: urn('vm', record.vmId),
    name: record.vmName,
    values: {
      containerName: record.name,
      dateCreated: iso(record.createdAt),
      guestOs: record.guestOs.description,
      hardwareVersion: 19,
      ipAddress: recordsCarryIpAddress(context.version) ? view.ipAddress : undefined,
      isAutoNature: false,
      isBusy: view.runningTasks.length > 0,
      isComputePolicyCompliant: true,
      isDeleted: false,
      isDeployed: power.deployed,
      isExpired: false,
      isInMaintenanceMode: false,
      isPublished: false,
      isVAppTemplate: false,
      isVdcEnabled: true,
      memoryMB: record.memoryMb,
      name: record.vmName,
      networkName: record.nic?.network,
      numberOfCpus: record.cpus,
      ownerName: record.ownerName,
      status: statusName(power.status),
      storageProfileName: '*',
      totalStorageAllocatedMb: record.diskMb,
      vdcName: vdc.name,
      vmToolsVersion: power.status === VAPP_STATUS.POWERED_ON ? 12352 : undefined,
      ...taskValues(context, view),
    },
    refs: {
      container: ref(hrefs.vapp(record.id), 'vapp', record.id),
      vdc: ref(hrefs.vdc(vdc.id), 'vdc', vdc.id),
      task: latest === undefined ? undefined : ref(hrefs.task(latest), 'task', latest),
    },
  };
}

function templateVmRecord(context: QueryContext, template: TemplateRecord): QueryRecord {
  const { hrefs, inventory } = context;
  const vdc = vdcOf(context, template.vdcId);
  return {
    href: hrefs.templateVm(template.vmId),
    urn: urn('vm', template.vmId),
    name: template.vmName,
    values: {
      catalogName: inventory.catalog.name,
      containerName: template.name,
      dateCreated: iso(template.createdAt),
      guestOs: template.guestOs.description,
      hardwareVersion: 19,
      isAutoNature: false,
      isBusy: false,
      isComputePolicyCompliant: true,
      isDeleted: false,
      isDeployed: false,
      isExpired: false,
      isInMaintenanceMode: false,
      isPublished: false,
      isVAppTemplate: true,
      isVdcEnabled: true,
      memoryMB: template.memoryMb,
      name: template.vmName,
      numberOfCpus: template.cpus,
      ownerName: 'system',
      status: statusName(VAPP_STATUS.POWERED_OFF),
      storageProfileName: '*',
      totalStorageAllocatedMb: template.diskMb,
      vdcName: vdc.name,
    },
    refs: {
      container: ref(hrefs.template(template.id), 'vapptemplate', template.id),
      vdc: ref(hrefs.vdc(vdc.id), 'vdc', vdc.id),
    },
  };
}

function vappRecord(context: QueryContext, view: VAppView): QueryRecord {
  const { hrefs } = context;
  const { record, power } = view;
  const vdc = vdcOf(context, record.vdcId);
  const latest = record.tasks[record.tasks.length - 1];
  return {
    href: hrefs.vapp(record.id),
    urn: urn('vapp', record.id),
    name: record.name,
    values: {
      cpuAllocationInMhz: record.cpus * 2000,
      creationDate: iso(record.createdAt),
      isAutoDeleteNotified: false,
      isAutoUndeployNotified: false,
      isBusy: view.runningTasks.length > 0,
      isDeployed: power.deployed,
      isEnabled: true,
      isExpired: false,
      isInMaintenanceMode: false,
      isPublic: false,
      isVdcEnabled: true,
      memoryAllocationMB: record.memoryMb,
      name: record.name,
      numberOfCpus: record.cpus,
      numberOfVMs: 1,
      ownerName: record.ownerName,
      status: statusName(power.status),
      storageKB: record.diskMb * 1024,
      vdcName: vdc.name,
      ...taskValues(context, view),
    },
    refs: {
      vdc: ref(hrefs.vdc(vdc.id), 'vdc', vdc.id),
      task: latest === undefined ? undefined : ref(hrefs.task(latest), 'task', latest),
    },
  };
}

function templateRecord(context: QueryContext, template: TemplateRecord): QueryRecord {
  const { hrefs, inventory } = context;
  const vdc = vdcOf(context, template.vdcId);
  return {
    href: hrefs.template(template.id),
    urn: urn('vapptemplate', template.id),
    name: template.name,
    values: {
      catalogName: inventory.catalog.name,
      creationDate: iso(template.createdAt),
      description: template.description,
      isBusy: false,
      isDeployed: false,
      isEnabled: true,
      isExpired: false,
      isGoldMaster: false,
      isPublished: false,
      isVdcEnabled: true,
      memoryAllocationMB: template.memoryMb,
      name: template.name,
      numberOfCpus: template.cpus,
      numberOfVMs: 1,
      ownerName: 'system',
      publishSubscriptionType: 'UNPUBLISHED',
      status: 'RESOLVED',
      storageKB: template.diskMb * 1024,
      storageProfileName: '*',
      vdcName: vdc.name,
    },
    refs: {
      catalog: ref(hrefs.catalog(inventory.catalog.id), 'catalog', inventory.catalog.id),
      catalogItem: ref(hrefs.catalogItem(template.catalogItemId), 'catalogitem', template.catalogItemId),
      org: ref(hrefs.org(inventory.org.id), 'org', inventory.org.id),
      vdc: ref(hrefs.vdc(vdc.id), 'vdc', vdc.id),
    },
  };
}

function orgVdcRecord(context: QueryContext, vdc: VdcRecord): QueryRecord {
  const { hrefs, inventory } = context;
  const mine = context.views.filter((view) => view.record.vdcId === vdc.id);
  return {
    href: hrefs.vdc(vdc.id),
    urn: urn('vdc', vdc.id),
    name: vdc.name,
    values: {
      allocationModel: 'Flex',
      cpuAllocationMhz: 0,
      cpuLimitMhz: 0,
      cpuUsedMhz: mine.reduce((sum, view) => sum + (view.power.deployed ? view.record.cpus * 2000 : 0), 0),
      isBusy: false,
      isEnabled: true,
      memoryAllocationMB: 0,
      memoryLimitMB: 0,
      memoryUsedMB: mine.reduce((sum, view) => sum + (view.power.deployed ? view.record.memoryMb : 0), 0),
      name: vdc.name,
      numberOfDeployedVApps: mine.filter((view) => view.power.deployed).length,
      numberOfDisks: 0,
      numberOfMedia: 0,
      numberOfRunningVMs: mine.filter((view) => view.power.status === VAPP_STATUS.POWERED_ON).length,
      numberOfStorageProfiles: 1,
      numberOfVApps: mine.length,
      numberOfVAppTemplates: inventory.templates.filter((template) => template.vdcId === vdc.id).length,
      numberOfVMs: mine.length,
      orgName: inventory.org.name,
      status: 'READY',
      storageLimitMB: 0,
      storageUsedMB: mine.reduce((sum, view) => sum + view.record.diskMb, 0),
    },
    refs: { org: ref(hrefs.org(inventory.org.id), 'org', inventory.org.id) },
  };
}

function orgVdcNetworkRecord(context: QueryContext, vdc: VdcRecord): QueryRecord {
  const { hrefs } = context;
  const network = vdc.network;
  return {
    href: hrefs.network(network.id),
    urn: urn('network', network.id),
    name: network.name,
    values: {
      defaultGateway: network.gateway,
      isBusy: false,
      isIpScopeInherited: false,
      isShared: false,
      linkType: network.fenceMode === 'natRouted' ? 1 : 2,
      name: network.name,
      netmask: network.netmask,
      subnetPrefixLength: network.prefixLength,
      vdcName: vdc.name,
    },
    refs: { vdc: ref(hrefs.vdc(vdc.id), 'vdc', vdc.id) },
  };
}

function catalogRecord(context: QueryContext): QueryRecord {
  const { hrefs, inventory } = context;
  const catalog = inventory.catalog;
  return {
    href: hrefs.catalog(catalog.id),
    urn: urn('catalog', catalog.id),
    name: catalog.name,
    values: {
      creationDate: iso(catalog.createdAt),
      description: '',
      isLocal: true,
      isPublished: false,
      isShared: true,
      name: catalog.name,
      numberOfMedia: 0,
      numberOfVAppTemplates: inventory.templates.length,
      orgName: inventory.org.name,
      ownerName: 'system',
      publishSubscriptionType: 'UNPUBLISHED',
    },
    refs: {},
  };
}

const VM_ATTRIBUTES = [
  'catalogName',
  'container',
  'containerName',
  'dateCreated',
  'guestOs',
  'hardwareVersion',
  'href',
  'id',
  'ipAddress',
  'isAutoNature',
  'isBusy',
  'isComputePolicyCompliant',
  'isDeleted',
  'isDeployed',
  'isExpired',
  'isInMaintenanceMode',
  'isPublished',
  'isVAppTemplate',
  'isVdcEnabled',
  'memoryMB',
  'name',
  'networkName',
  'numberOfCpus',
  'ownerName',
  'status',
  'storageProfileName',
  'task',
  'taskDetails',
  'taskStatus',
  'taskStatusName',
  'totalStorageAllocatedMb',
  'vdc',
  'vdcName',
  'vmToolsVersion',
];

export const QUERY_TYPES: Readonly<Record<string, QueryType>> = Object.freeze({
  vm: {
    record: 'VMRecord',
    reference: 'VMReference',
    mediaType: MEDIA.vm,
    attributes: VM_ATTRIBUTES,
    references: new Set(['container', 'vdc', 'task']),
    records: (context: QueryContext) => [
      ...context.views.map((view) => vmRecord(context, view)),
      ...context.inventory.templates.map((template) => templateVmRecord(context, template)),
    ],
  },
  vApp: {
    record: 'VAppRecord',
    reference: 'VAppReference',
    mediaType: MEDIA.vApp,
    attributes: [
      'cpuAllocationInMhz',
      'creationDate',
      'href',
      'id',
      'isAutoDeleteNotified',
      'isAutoUndeployNotified',
      'isBusy',
      'isDeployed',
      'isEnabled',
      'isExpired',
      'isInMaintenanceMode',
      'isPublic',
      'isVdcEnabled',
      'memoryAllocationMB',
      'name',
      'numberOfCpus',
      'numberOfVMs',
      'ownerName',
      'status',
      'storageKB',
      'task',
      'taskDetails',
      'taskStatus',
      'taskStatusName',
      'vdc',
      'vdcName',
    ],
    references: new Set(['vdc', 'task']),
    records: (context: QueryContext) => context.views.map((view) => vappRecord(context, view)),
  },
  vAppTemplate: {
    record: 'VAppTemplateRecord',
    reference: 'VAppTemplateReference',
    mediaType: MEDIA.vAppTemplate,
    attributes: [
      'catalog',
      'catalogItem',
      'catalogName',
      'creationDate',
      'description',
      'href',
      'id',
      'isBusy',
      'isDeployed',
      'isEnabled',
      'isExpired',
      'isGoldMaster',
      'isPublished',
      'isVdcEnabled',
      'memoryAllocationMB',
      'name',
      'numberOfCpus',
      'numberOfVMs',
      'org',
      'ownerName',
      'publishSubscriptionType',
      'status',
      'storageKB',
      'storageProfileName',
      'vdc',
      'vdcName',
    ],
    references: new Set(['catalog', 'catalogItem', 'org', 'vdc']),
    records: (context: QueryContext) =>
      context.inventory.templates.map((template) => templateRecord(context, template)),
  },
  orgVdc: {
    record: 'OrgVdcRecord',
    reference: 'OrgVdcReference',
    mediaType: MEDIA.vdc,
    attributes: [
      'allocationModel',
      'cpuAllocationMhz',
      'cpuLimitMhz',
      'cpuUsedMhz',
      'href',
      'id',
      'isBusy',
      'isEnabled',
      'memoryAllocationMB',
      'memoryLimitMB',
      'memoryUsedMB',
      'name',
      'numberOfDeployedVApps',
      'numberOfDisks',
      'numberOfMedia',
      'numberOfRunningVMs',
      'numberOfStorageProfiles',
      'numberOfVApps',
      'numberOfVAppTemplates',
      'numberOfVMs',
      'org',
      'orgName',
      'status',
      'storageLimitMB',
      'storageUsedMB',
    ],
    references: new Set(['org']),
    records: (context: QueryContext) => context.inventory.vdcs.map((vdc) => orgVdcRecord(context, vdc)),
  },
  orgVdcNetwork: {
    record: 'OrgVdcNetworkRecord',
    reference: 'OrgVdcNetworkReference',
    mediaType: MEDIA.orgNetwork,
    attributes: [
      'defaultGateway',
      'href',
      'id',
      'isBusy',
      'isIpScopeInherited',
      'isShared',
      'linkType',
      'name',
      'netmask',
      'subnetPrefixLength',
      'vdc',
      'vdcName',
    ],
    references: new Set(['vdc']),
    records: (context: QueryContext) =>
      context.inventory.vdcs.map((vdc) => orgVdcNetworkRecord(context, vdc)),
  },
  catalog: {
    record: 'CatalogRecord',
    reference: 'CatalogReference',
    mediaType: MEDIA.catalog,
    attributes: [
      'creationDate',
      'description',
      'href',
      'id',
      'isLocal',
      'isPublished',
      'isShared',
      'name',
      'numberOfMedia',
      'numberOfVAppTemplates',
      'orgName',
      'ownerName',
      'publishSubscriptionType',
    ],
    references: new Set<string>(),
    records: (context: QueryContext) => [catalogRecord(context)],
  },
});

type Format = 'records' | 'idrecords' | 'references';

export interface QueryAnswer {
  readonly body: string;
  readonly mediaType: string;
}

/**
 * The attribute values a filter or sort sees: references as hrefs, href and id included. Only the
 * attributes named in `wanted` (those the filter and sort read), so that a page of a large query
 * does not turn every attribute of every record into text.
 */
function filterView(record: QueryRecord, wanted: ReadonlySet<string>): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {};
  for (const name of wanted) {
    // The same precedence as ever: a reference over a plain value over href and id.
    if (Object.hasOwn(record.refs, name)) attributes[name] = record.refs[name]?.href;
    else if (Object.hasOwn(record.values, name)) {
      const value = record.values[name];
      attributes[name] = value === undefined ? undefined : String(value);
    } else if (name === 'href') attributes.href = record.href;
    else if (name === 'id') attributes.id = record.urn;
  }
  return attributes;
}

function positiveInteger(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw badRequest(`The value "${text}" of query parameter "${name}" is not a positive integer.`);
  }
  return Number(text);
}

/** Encodes a query value as vCD writes it in its links: FIQL punctuation left readable. */
function encodeValue(value: string): string {
  return encodeURIComponent(value).replace(/%(28|29|3D|3B|2C|3A|2F|2A|21)/g, (match) =>
    decodeURIComponent(match),
  );
}

export function runQuery(
  params: URLSearchParams,
  context: QueryContext,
  limits: { readonly maxPageSize: number; readonly defaultPageSize: number },
): QueryAnswer {
  const typeName = params.get('type');
  if (typeName === null || typeName === '')
    return { body: queryListXml(context.hrefs), mediaType: MEDIA.queryList };
  const type = Object.hasOwn(QUERY_TYPES, typeName) ? QUERY_TYPES[typeName] : undefined;
  if (!type) throw badRequest(`The query type "${typeName}" is not valid.`);
  const formatText = params.get('format') ?? 'records';
  if (formatText !== 'records' && formatText !== 'idrecords' && formatText !== 'references') {
    throw badRequest(`The query format "${formatText}" is not valid; use records, idrecords or references.`);
  }
  const format: Format = formatText;
  const page = positiveInteger(params, 'page', 1);
  const pageSize = Math.min(positiveInteger(params, 'pageSize', limits.defaultPageSize), limits.maxPageSize);

  let filterText = params.get('filter') ?? '';
  if (params.get('filterEncoded') === 'true') filterText = decodeURIComponent(filterText);
  let filter: Filter | undefined;
  if (filterText !== '') {
    try {
      filter = parseFilter(filterText);
    } catch (error) {
      if (error instanceof FilterError) throw badRequest(error.message);
      throw error;
    }
    for (const attribute of attributesOf(filter)) {
      if (!type.attributes.includes(attribute)) {
        throw badRequest(`The attribute "${attribute}" is not valid for query type "${typeName}".`);
      }
    }
  }
  const sortAsc = params.get('sortAsc') ?? undefined;
  const sortDesc = params.get('sortDesc') ?? undefined;
  for (const attribute of [sortAsc, sortDesc]) {
    if (attribute !== undefined && !type.attributes.includes(attribute)) {
      throw badRequest(`The attribute "${attribute}" is not valid for query type "${typeName}".`);
    }
  }
  const fields = params
    .get('fields')
    ?.split(',')
    .filter((field) => field !== '');

  const wanted = new Set<string>(filter ? attributesOf(filter) : []);
  const sortBy = sortAsc ?? sortDesc;
  if (sortBy !== undefined) wanted.add(sortBy);
  let records = type.records(context).map((record) => ({ record, attributes: filterView(record, wanted) }));
  if (filter) {
    const active = filter;
    records = records.filter((entry) => matches(active, entry, type.references));
  }
  if (sortBy !== undefined) {
    const direction = sortAsc !== undefined ? 1 : -1;
    records.sort((a, b) => direction * compareValues(a.attributes[sortBy], b.attributes[sortBy]));
  }
  const total = records.length;
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const slice = records.slice((page - 1) * pageSize, page * pageSize);

  const linkTo = (targetPage: number, targetFormat: Format = format): string => {
    const query = [
      `type=${encodeValue(typeName)}`,
      `page=${targetPage}`,
      `pageSize=${pageSize}`,
      `format=${targetFormat}`,
    ];
    if (filterText !== '') query.push(`filter=${encodeValue(filterText)}`);
    if (sortAsc !== undefined) query.push(`sortAsc=${encodeValue(sortAsc)}`);
    if (sortDesc !== undefined) query.push(`sortDesc=${encodeValue(sortDesc)}`);
    if (fields) query.push(`fields=${encodeValue(fields.join(','))}`);
    return context.hrefs.api(`/query?${query.join('&')}`);
  };
  const mediaType =
    format === 'references' ? MEDIA.references : format === 'idrecords' ? MEDIA.idrecords : MEDIA.records;
  const links: Markup[] = [];
  if (page > 1) {
    links.push(el('Link', { rel: 'firstPage', href: linkTo(1), type: mediaType }));
    links.push(
      el('Link', { rel: 'previousPage', href: linkTo(Math.min(page - 1, lastPage)), type: mediaType }),
    );
  }
  if (page < lastPage) {
    links.push(el('Link', { rel: 'nextPage', href: linkTo(page + 1), type: mediaType }));
    links.push(el('Link', { rel: 'lastPage', href: linkTo(lastPage), type: mediaType }));
  }
  for (const other of ['references', 'idrecords', 'records'] as const) {
    if (other !== format) {
      links.push(el('Link', { rel: 'alternate', href: linkTo(page, other), type: MEDIA[other] }));
    }
  }
  const rows = slice.map(({ record }) =>
    format === 'references'
      ? el(type.reference, { href: record.href, id: record.urn, name: record.name, type: type.mediaType })
      : el(type.record, recordAttributes(record, format, fields)),
  );
  const rootName = format === 'references' ? 'QueryResultReferences' : 'QueryResultRecords';
  const body = xmlDocument(
    el(
      rootName,
      {
        ...ROOT_NAMESPACES,
        total,
        pageSize,
        page,
        name: typeName,
        type: mediaType,
        href: linkTo(page),
      },
      links,
      rows,
    ),
  );
  return { body, mediaType };
}

/** A record's attributes in alphabetical order, as vCD writes them; idrecords add the id and use URNs. */
function recordAttributes(
  record: QueryRecord,
  format: Format,
  fields: readonly string[] | undefined,
): Record<string, string | number | boolean | undefined> {
  const all: Record<string, string | number | boolean | undefined> = { ...record.values, href: record.href };
  for (const [name, value] of Object.entries(record.refs)) {
    all[name] = value === undefined ? undefined : format === 'idrecords' ? value.urn : value.href;
  }
  if (format === 'idrecords') all.id = record.urn;
  const sorted: Record<string, string | number | boolean | undefined> = {};
  for (const name of Object.keys(all).sort()) {
    if (fields && !fields.includes(name) && name !== 'href' && name !== 'id') continue;
    sorted[name] = all[name];
  }
  return sorted;
}

function compareValues(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const [x, y] = [Number(a), Number(b)];
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : 1;
}

/** `GET /api/query` without a type: the query types there are, as vCD's QueryList. */
function queryListXml(hrefs: Hrefs): string {
  const links = Object.keys(QUERY_TYPES).flatMap((name) =>
    (['references', 'records', 'idrecords'] as const).map((format) =>
      el('Link', {
        rel: 'down',
        href: hrefs.api(`/query?type=${name}&format=${format}`),
        type: MEDIA[format],
        name,
      }),
    ),
  );
  return xmlDocument(
    el('QueryList', { ...ROOT_NAMESPACES, href: hrefs.api('/query'), type: MEDIA.queryList }, links),
  );
}
