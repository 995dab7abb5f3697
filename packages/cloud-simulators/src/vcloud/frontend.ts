import { randomUUID } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import { SIM_DEFAULTS } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import { type ActionTarget, type PowerAction, type UndeployAction, VAppActions } from './actions.js';
import {
  LEGACY_LOGIN_VERSIONS,
  stableUuid,
  VCLOUD_API_VERSION,
  VCLOUD_API_VERSIONS,
  VCLOUD_DEFAULTS,
} from './catalog.js';
import {
  badRequest,
  errorJson,
  errorXml,
  methodNotAllowed,
  minorCodeFor,
  noAccess,
  noSuchEntity,
  resourceNotFound,
  unsupportedMediaType,
  VcloudError,
} from './errors.js';
import { Hrefs, MEDIA, urn } from './hrefs.js';
import { instantiate, planInstantiation } from './instantiate.js';
import { Inventory, type MetadataValue, type VAppRecord, type VAppView } from './inventory.js';
import { checkKey, entriesOf, typedValueOf } from './metadata.js';
import { runQuery } from './query.js';
import {
  catalogItemXml,
  catalogXml,
  legacySessionXml,
  metadataValueXml,
  metadataXml,
  networkXml,
  orgListXml,
  orgXml,
  type RenderContext,
  taskXml,
  templateVmXml,
  templateXml,
  vappXml,
  vdcXml,
  versionsXml,
  vmXml,
} from './render.js';
import { type Session, Sessions } from './sessions.js';
import type { TaskRecord } from './tasks.js';
import { Tasks } from './tasks.js';
import { negotiateVersion, prefersJson, requestedVersion, xmlType } from './versions.js';
import { parseXmlBody, textOf, XmlBodyError, type XmlNode } from './xml.js';

/**
 * VMware Cloud Director 10.5 (API 37.0–38.0) for an organization's users: the OpenAPI login
 * (`/cloudapi/1.0.0/sessions`), and the legacy XML API under `/api` — query service, org, VDCs,
 * networks, catalog, vApp templates, instantiate, vApps and VMs with their power actions, tasks and
 * metadata. Each route has an operation name that fault rules and request counts use.
 */

export interface VcloudFrontEndOptions {
  readonly org?: string | undefined;
  readonly vdc?: string | undefined;
  readonly catalog?: string | undefined;
  readonly network?: string | undefined;
  readonly maxPageSize?: number | undefined;
  readonly tokenTtlMs?: number | undefined;
  readonly bootDelayMs?: number | undefined;
  readonly haltDelayMs?: number | undefined;
}

/** One call being answered: the request, its id, the version agreed and (after login) the session. */
interface Call {
  readonly request: SimRequest;
  readonly requestId: string;
  readonly hrefs: Hrefs;
  readonly match: RegExpExecArray;
  readonly version: string;
  readonly session: Session | undefined;
}

type Handler = (call: Call) => SimResponse;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly operation: string | ((request: SimRequest, match: RegExpExecArray) => string);
  /** cloudapi: JSON, version from Accept; api: XML, version and bearer token; open: neither. */
  readonly kind: 'login' | 'cloudapi' | 'api' | 'open' | 'legacyLogin';
  readonly handle: Handler;
}

const ENTITY = '([0-9A-Fa-f-]+)';

export class VcloudFrontEnd implements FrontEnd {
  readonly inventory: Inventory;
  readonly sessions: Sessions;
  readonly maxPageSize: number;
  readonly #cloud: SimCloud;
  readonly #actions: VAppActions;
  readonly #routes: readonly Route[];

  constructor(cloud: SimCloud, options: VcloudFrontEndOptions = {}) {
    this.#cloud = cloud;
    const org = options.org ?? VCLOUD_DEFAULTS.org;
    this.inventory = new Inventory(cloud, new Tasks(cloud), {
      org,
      vdc: options.vdc ?? VCLOUD_DEFAULTS.vdc,
      catalog: options.catalog ?? VCLOUD_DEFAULTS.catalog,
      network: options.network ?? VCLOUD_DEFAULTS.network,
    });
    this.sessions = new Sessions(cloud, org, options.tokenTtlMs ?? VCLOUD_DEFAULTS.tokenTtlMs);
    this.maxPageSize = options.maxPageSize ?? VCLOUD_DEFAULTS.maxPageSize;
    this.#actions = new VAppActions(this.inventory, {
      bootMs: options.bootDelayMs ?? SIM_DEFAULTS.bootDelayMs,
      haltMs: options.haltDelayMs ?? SIM_DEFAULTS.haltDelayMs,
    });
    this.#routes = this.#table();
  }

  operationOf(request: SimRequest): string {
    const found = this.#route(request);
    if (!found?.route) return 'unknown';
    const { route, match } = found;
    return typeof route.operation === 'string' ? route.operation : route.operation(request, match);
  }

  handle(request: SimRequest): SimResponse {
    const requestId = randomUUID();
    try {
      const found = this.#route(request);
      if (!found) throw resourceNotFound();
      if (!found.route) throw methodNotAllowed();
      const { route, match } = found;
      const hrefs = hrefsOf(request);
      let version = requestedVersion(header(request, 'accept')) ?? VCLOUD_API_VERSION;
      let session: Session | undefined;
      if (route.kind === 'login' || route.kind === 'cloudapi' || route.kind === 'api') {
        version = negotiateVersion(header(request, 'accept'));
      }
      if (route.kind === 'cloudapi' || route.kind === 'api') {
        session = this.sessions.authenticate(header(request, 'authorization'));
      }
      const response = route.handle({ request, requestId, hrefs, match, version, session });
      return { ...response, headers: { ...commonHeaders(requestId), ...response.headers } };
    } catch (error) {
      if (error instanceof VcloudError) return this.#error(error, request, requestId);
      throw error;
    }
  }

  errorResponse(status: number, message: string, request?: SimRequest): SimResponse {
    const requestId = randomUUID();
    const error = new VcloudError(status, minorCodeFor(status), message);
    return request
      ? this.#error(error, request, requestId)
      : {
          status,
          headers: { ...commonHeaders(requestId), 'content-type': xmlType(MEDIA.error, VCLOUD_API_VERSION) },
          body: errorXml(error, requestId),
        };
  }

  #error(error: VcloudError, request: SimRequest, requestId: string): SimResponse {
    const accept = header(request, 'accept');
    const version = requestedVersion(accept) ?? VCLOUD_API_VERSION;
    const json = request.url.pathname.startsWith('/cloudapi/') || prefersJson(accept);
    return {
      status: error.status,
      headers: {
        ...commonHeaders(requestId),
        ...error.headers,
        'content-type': json ? `application/json;version=${version}` : xmlType(MEDIA.error, version),
      },
      body: json ? errorJson(error, requestId) : errorXml(error, requestId),
    };
  }

  #route(request: SimRequest): { route: Route | undefined; match: RegExpExecArray } | undefined {
    const path = request.url.pathname;
    let pathMatch: RegExpExecArray | undefined;
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.method === request.method.toUpperCase()) return { route, match };
      pathMatch ??= match;
    }
    return pathMatch ? { route: undefined, match: pathMatch } : undefined;
  }

  // --- the routes ---------------------------------------------------------------------------------

  #table(): Route[] {
    const route = (
      method: string,
      pattern: RegExp,
      operation: Route['operation'],
      kind: Route['kind'],
      handle: Handler,
    ): Route => ({ method, pattern, operation, kind, handle });
    const vappOrVm = '(vapp|vm)';
    return [
      route('POST', /^\/cloudapi\/1\.0\.0\/sessions\/?$/, 'login', 'login', (call) => this.#login(call)),
      route('GET', /^\/cloudapi\/1\.0\.0\/sessions\/current\/?$/, 'session', 'cloudapi', (call) =>
        this.#sessionAnswer(call, 200),
      ),
      route('DELETE', /^\/cloudapi\/1\.0\.0\/sessions\/current\/?$/, 'logout', 'cloudapi', (call) => {
        this.sessions.logout(call.session as Session);
        return { status: 204, body: '' };
      }),
      route('GET', /^\/api\/versions\/?$/, 'versions', 'open', (call) => ({
        status: 200,
        headers: { 'content-type': xmlType(MEDIA.versions, call.version) },
        body: versionsXml(call.hrefs, VCLOUD_API_VERSIONS, LEGACY_LOGIN_VERSIONS),
      })),
      route('POST', /^\/api\/sessions\/?$/, 'legacyLogin', 'legacyLogin', (call) => this.#legacyLogin(call)),
      route('GET', /^\/api\/org\/?$/, 'getOrgList', 'api', (call) =>
        this.#xml(call, MEDIA.orgList, orgListXml(this.#render(call))),
      ),
      route('GET', new RegExp(`^/api/org/${ENTITY}$`), 'getOrg', 'api', (call) => {
        if (entityId(call, 1) !== this.inventory.org.id) throw noSuchEntity('org', entityId(call, 1));
        return this.#xml(call, MEDIA.org, orgXml(this.#render(call)));
      }),
      route('GET', new RegExp(`^/api/vdc/${ENTITY}$`), 'getVdc', 'api', (call) => {
        const vdc = this.#vdcOf(call);
        const views = this.#views(call).filter((view) => view.record.vdcId === vdc.id);
        return this.#xml(call, MEDIA.vdc, vdcXml(this.#render(call), vdc, views));
      }),
      route(
        'POST',
        new RegExp(`^/api/vdc/${ENTITY}/action/instantiateVAppTemplate$`),
        'instantiateVAppTemplate',
        'api',
        (call) => this.#instantiate(call),
      ),
      route('GET', new RegExp(`^/api/network/${ENTITY}$`), 'getNetwork', 'api', (call) => {
        const vdc = this.inventory.vdcs.find((candidate) => candidate.network.id === entityId(call, 1));
        if (!vdc) throw noSuchEntity('network', entityId(call, 1));
        return this.#xml(call, MEDIA.orgNetwork, networkXml(this.#render(call), vdc));
      }),
      route('GET', new RegExp(`^/api/catalog/${ENTITY}$`), 'getCatalog', 'api', (call) => {
        if (entityId(call, 1) !== this.inventory.catalog.id) throw noSuchEntity('catalog', entityId(call, 1));
        return this.#xml(call, MEDIA.catalog, catalogXml(this.#render(call)));
      }),
      route('GET', new RegExp(`^/api/catalogItem/${ENTITY}$`), 'getCatalogItem', 'api', (call) => {
        const template = this.inventory.templates.find(
          (candidate) => candidate.catalogItemId === entityId(call, 1),
        );
        if (!template) throw noSuchEntity('catalogItem', entityId(call, 1));
        return this.#xml(call, MEDIA.catalogItem, catalogItemXml(this.#render(call), template));
      }),
      route(
        'GET',
        /^\/api\/query\/?$/,
        (request) => queryOperation(request),
        'api',
        (call) => this.#query(call),
      ),
      route('GET', new RegExp(`^/api/task/(?:task-)?${ENTITY}$`), 'task', 'api', (call) => this.#task(call)),
      route(
        'GET',
        new RegExp(`^/api/vAppTemplate/vappTemplate-${ENTITY}$`),
        'getVAppTemplate',
        'api',
        (call) => {
          const template = this.inventory.template(entityId(call, 1));
          if (!template) throw noSuchEntity('vappTemplate', entityId(call, 1));
          return this.#xml(call, MEDIA.vAppTemplate, templateXml(this.#render(call), template));
        },
      ),
      route('GET', new RegExp(`^/api/vAppTemplate/vm-${ENTITY}$`), 'getVAppTemplate', 'api', (call) => {
        const template = this.inventory.templateByVm(entityId(call, 1));
        if (!template) throw noSuchEntity('vm', entityId(call, 1));
        return this.#xml(call, MEDIA.vm, templateVmXml(this.#render(call), template));
      }),
      route(
        'GET',
        new RegExp(`^/api/vAppTemplate/(vappTemplate|vm)-${ENTITY}/metadata/?$`),
        'metadata',
        'api',
        (call) => {
          const id = entityId(call, 2);
          const template =
            call.match[1] === 'vm' ? this.inventory.templateByVm(id) : this.inventory.template(id);
          if (!template) throw noSuchEntity(call.match[1] === 'vm' ? 'vm' : 'vappTemplate', id);
          const href =
            call.match[1] === 'vm' ? call.hrefs.templateVm(template.vmId) : call.hrefs.template(template.id);
          const type = call.match[1] === 'vm' ? MEDIA.vm : MEDIA.vAppTemplate;
          return this.#xml(call, MEDIA.metadata, metadataXml(call.hrefs, href, type, new Map()));
        },
      ),
      route('GET', new RegExp(`^/api/vApp/vapp-${ENTITY}$`), 'getVApp', 'api', (call) => {
        const view = this.#viewOf(this.#target(call, 'vapp', 1));
        return this.#xml(call, MEDIA.vApp, vappXml(this.#render(call), view, this.#owner(view.record)));
      }),
      route('DELETE', new RegExp(`^/api/vApp/vapp-${ENTITY}$`), 'deleteVApp', 'api', (call) =>
        this.#taskAnswer(call, this.#actions.delete(this.#target(call, 'vapp', 1), this.#account(call))),
      ),
      route('GET', new RegExp(`^/api/vApp/vm-${ENTITY}$`), 'getVm', 'api', (call) => {
        const view = this.#viewOf(this.#target(call, 'vm', 1));
        return this.#xml(call, MEDIA.vm, vmXml(this.#render(call), view));
      }),
      route(
        'POST',
        new RegExp(
          `^/api/vApp/${vappOrVm}-${ENTITY}/power/action/(powerOn|powerOff|shutdown|suspend|reboot|reset)$`,
        ),
        (_request, match) => match[3] as string,
        'api',
        (call) => {
          const target = this.#target(call, call.match[1] as 'vapp' | 'vm', 2);
          const action = call.match[3] as PowerAction;
          return this.#taskAnswer(call, this.#actions.power(target, action, this.#account(call)));
        },
      ),
      route(
        'POST',
        new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/action/undeploy$`),
        'undeploy',
        'api',
        (call) => this.#undeploy(call),
      ),
      route(
        'POST',
        new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/action/deploy$`),
        'deploy',
        'api',
        (call) => {
          const target = this.#target(call, call.match[1] as 'vapp' | 'vm', 2);
          return this.#taskAnswer(call, this.#actions.power(target, 'powerOn', this.#account(call)));
        },
      ),
      route('GET', new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/metadata/?$`), 'metadata', 'api', (call) =>
        this.#metadataList(call),
      ),
      route('POST', new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/metadata/?$`), 'metadata', 'api', (call) =>
        this.#metadataMerge(call),
      ),
      route('GET', new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/metadata/(.+)$`), 'metadata', 'api', (call) =>
        this.#metadataGet(call),
      ),
      route('PUT', new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/metadata/(.+)$`), 'metadata', 'api', (call) =>
        this.#metadataPut(call),
      ),
      route(
        'DELETE',
        new RegExp(`^/api/vApp/${vappOrVm}-${ENTITY}/metadata/(.+)$`),
        'metadata',
        'api',
        (call) => this.#metadataDelete(call),
      ),
    ];
  }

  // --- sessions -----------------------------------------------------------------------------------

  #login(call: Call): SimResponse {
    const session = this.sessions.login(header(call.request, 'authorization'));
    const answer = this.#sessionAnswer({ ...call, session }, 200);
    return {
      ...answer,
      headers: {
        ...answer.headers,
        'x-vmware-vcloud-access-token': session.token,
        'x-vmware-vcloud-token-type': 'Bearer',
      },
    };
  }

  #sessionAnswer(call: Call, status: number): SimResponse {
    const session = call.session as Session;
    const { org } = this.inventory;
    const orgRef = { name: org.name, id: urn('org', org.id) };
    const host = call.hrefs.base.replace(/^https?:\/\//, '');
    const body = {
      id: session.id,
      site: { name: host, id: urn('site', stableUuid('site', org.name)) },
      user: { name: session.account.key, id: urn('user', this.inventory.userId(session.account)) },
      org: orgRef,
      operatingOrg: orgRef,
      location: urn('location', stableUuid('location', org.name)),
      roles: ['vApp Author'],
      roleRefs: [{ name: 'vApp Author', id: urn('role', stableUuid('role', 'vApp Author')) }],
      sessionIdleTimeoutMinutes: 30,
    };
    return {
      status,
      headers: { 'content-type': `application/json;version=${call.version}` },
      body: JSON.stringify(body),
    };
  }

  /** `POST /api/sessions`: gone in API 38.0 (405, as vCD 10.5 answers it); 37.x still logs in. */
  #legacyLogin(call: Call): SimResponse {
    const version = requestedVersion(header(call.request, 'accept'));
    if (version === undefined || !LEGACY_LOGIN_VERSIONS.has(version)) {
      if (version !== undefined && !(VCLOUD_API_VERSIONS as readonly string[]).includes(version)) {
        negotiateVersion(header(call.request, 'accept'));
      }
      throw methodNotAllowed();
    }
    const session = this.sessions.login(header(call.request, 'authorization'));
    return {
      status: 200,
      headers: {
        'content-type': xmlType(MEDIA.session, version),
        'x-vcloud-authorization': session.token,
        'x-vmware-vcloud-access-token': session.token,
        'x-vmware-vcloud-token-type': 'Bearer',
      },
      body: legacySessionXml(this.#render(call), session.account),
    };
  }

  // --- queries, tasks, instantiate ------------------------------------------------------------------

  #query(call: Call): SimResponse {
    const answer = runQuery(
      call.request.url.searchParams,
      {
        hrefs: call.hrefs,
        version: call.version,
        inventory: this.inventory,
        account: this.#account(call),
        views: this.#views(call),
      },
      { maxPageSize: this.maxPageSize, defaultPageSize: VCLOUD_DEFAULTS.defaultPageSize },
    );
    return this.#xml(call, answer.mediaType, answer.body);
  }

  #task(call: Call): SimResponse {
    const id = entityId(call, 1);
    const task = this.inventory.tasks.get(id);
    if (!task) throw noSuchEntity('task', id);
    if (task.account !== this.#account(call).id) throw noAccess('task', id);
    return this.#xml(call, MEDIA.task, taskXml(this.#render(call), task, this.inventory.tasks.stateOf(task)));
  }

  #instantiate(call: Call): SimResponse {
    const vdc = this.#vdcOf(call);
    const body = this.#body(call, 'InstantiateVAppTemplateParams');
    const plan = planInstantiation(body, vdc, this.inventory);
    const account = this.#account(call);
    const { vapp, task } = instantiate(plan, vdc, account, this.inventory);
    const view = this.#viewOf({ vapp, kind: 'vApp' });
    // vCD writes this answer as it queues the task, so the task is always in it; here a pause (a
    // loaded machine, a task without delay) may have ended it already, shown with its outcome.
    const answered = view.runningTasks.includes(task.id)
      ? view
      : { ...view, runningTasks: [task.id, ...view.runningTasks] };
    const href = call.hrefs.vapp(vapp.id);
    const answer = this.#xml(call, MEDIA.vApp, vappXml(this.#render(call), answered, account), 201);
    return { ...answer, headers: { ...answer.headers, location: href } };
  }

  #undeploy(call: Call): SimResponse {
    const target = this.#target(call, call.match[1] as 'vapp' | 'vm', 2);
    const body = this.#body(call, 'UndeployVAppParams');
    const action = (textOf(body, 'UndeployPowerAction')?.trim() || 'default') as UndeployAction;
    if (!['powerOff', 'shutdown', 'suspend', 'force', 'default'].includes(action)) {
      throw badRequest(
        `Bad request: "${action}" is not an UndeployPowerAction (powerOff, suspend, shutdown, force, default).`,
      );
    }
    return this.#taskAnswer(call, this.#actions.undeploy(target, action, this.#account(call)));
  }

  // --- metadata -----------------------------------------------------------------------------------

  #metadataOf(call: Call): {
    target: ActionTarget;
    entries: Map<string, MetadataValue>;
    href: string;
    type: string;
  } {
    const kind = call.match[1] as 'vapp' | 'vm';
    const target = this.#target(call, kind, 2);
    return kind === 'vapp'
      ? { target, entries: target.vapp.metadata, href: call.hrefs.vapp(target.vapp.id), type: MEDIA.vApp }
      : { target, entries: target.vapp.vmMetadata, href: call.hrefs.vm(target.vapp.vmId), type: MEDIA.vm };
  }

  #metadataKey(call: Call): string {
    const raw = call.match[3] as string;
    let key: string;
    try {
      key = decodeURIComponent(raw);
    } catch {
      throw badRequest(`Bad request: the metadata key "${raw}" is not URL-encoded properly.`);
    }
    // Typed access paths (`metadata/SYSTEM/key`) name a domain first; GENERAL is the user's.
    return key.startsWith('GENERAL/') ? key.slice('GENERAL/'.length) : key;
  }

  #metadataList(call: Call): SimResponse {
    const { entries, href, type } = this.#metadataOf(call);
    return this.#xml(call, MEDIA.metadata, metadataXml(call.hrefs, href, type, entries));
  }

  #metadataGet(call: Call): SimResponse {
    const { entries, href } = this.#metadataOf(call);
    const key = this.#metadataKey(call);
    const value = entries.get(key);
    if (!value)
      throw new VcloudError(404, 'RESOURCE_NOT_FOUND', `No metadata entry with the key "${key}" exists.`);
    return this.#xml(call, MEDIA.metadataValue, metadataValueXml(call.hrefs, href, key, value));
  }

  #metadataPut(call: Call): SimResponse {
    const { target, entries } = this.#metadataOf(call);
    const key = this.#metadataKey(call);
    checkKey(key);
    const value = typedValueOf(this.#body(call, 'MetadataValue'));
    entries.set(key, value);
    return this.#taskAnswer(call, this.#metadataTask(call, target, 'metadataUpdate', 'Updating'));
  }

  #metadataMerge(call: Call): SimResponse {
    const { target, entries } = this.#metadataOf(call);
    const merged = entriesOf(this.#body(call, 'Metadata'));
    for (const [key] of merged) checkKey(key);
    for (const [key, value] of merged) entries.set(key, value);
    return this.#taskAnswer(call, this.#metadataTask(call, target, 'metadataUpdate', 'Updating'));
  }

  #metadataDelete(call: Call): SimResponse {
    const { target, entries } = this.#metadataOf(call);
    const key = this.#metadataKey(call);
    if (!entries.delete(key)) {
      throw new VcloudError(404, 'RESOURCE_NOT_FOUND', `No metadata entry with the key "${key}" exists.`);
    }
    return this.#taskAnswer(call, this.#metadataTask(call, target, 'metadataDelete', 'Deleting'));
  }

  #metadataTask(call: Call, target: ActionTarget, operationName: string, verb: string): TaskRecord {
    const account = this.#account(call);
    const { vapp } = target;
    const owner =
      call.match[1] === 'vm'
        ? { kind: 'vm' as const, id: vapp.vmId, name: vapp.vmName }
        : { kind: 'vApp' as const, id: vapp.id, name: vapp.name };
    const task = this.inventory.tasks.add({
      account: account.id,
      userName: account.key,
      operationName,
      operation: `${verb} metadata for ${owner.kind === 'vApp' ? 'vApp' : 'VM'} ${owner.name} (${owner.id})`,
      owner,
      completesAt: this.#cloud.clock.now(),
      modelOperation: undefined,
    });
    vapp.tasks.push(task.id);
    return task;
  }

  // --- helpers ------------------------------------------------------------------------------------

  #render(call: Call): RenderContext {
    return { hrefs: call.hrefs, inventory: this.inventory, now: this.#cloud.clock.now() };
  }

  #account(call: Call): SimAccount {
    return (call.session as Session).account;
  }

  #owner(record: VAppRecord): SimAccount {
    return this.#cloud.accounts().find((account) => account.id === record.account) as SimAccount;
  }

  /** The caller's vApps as they are now, in creation order. */
  #views(call: Call): VAppView[] {
    return this.inventory.viewsOf(this.#account(call).id);
  }

  #vdcOf(call: Call) {
    const id = entityId(call, 1);
    const vdc = this.inventory.vdc(id);
    if (!vdc) throw noSuchEntity('vdc', id);
    return vdc;
  }

  /** The caller's vApp (by its id or its VM's): another user's is 403 "No access", none 403 "does not exist". */
  #target(call: Call, kind: 'vapp' | 'vm', group: number): ActionTarget {
    const id = entityId(call, group);
    const vapp = kind === 'vapp' ? this.inventory.vapp(id) : this.inventory.vappOfVm(id);
    if (!vapp) throw noSuchEntity(kind, id);
    if (vapp.account !== this.#account(call).id) throw noAccess(kind, id);
    return { vapp, kind: kind === 'vapp' ? 'vApp' : 'VM' };
  }

  #viewOf(target: ActionTarget): VAppView {
    const view = this.inventory.view(target.vapp);
    if (!view)
      throw noSuchEntity(
        target.kind === 'vApp' ? 'vapp' : 'vm',
        target.kind === 'vApp' ? target.vapp.id : target.vapp.vmId,
      );
    return view;
  }

  /** The request's XML body, whose root must be `rootName`. */
  #body(call: Call, rootName: string): XmlNode {
    const type = header(call.request, 'content-type');
    if (type && !/xml/i.test(type)) throw unsupportedMediaType(type);
    let parsed: ReturnType<typeof parseXmlBody>;
    try {
      parsed = parseXmlBody(call.request.body);
    } catch (error) {
      if (error instanceof XmlBodyError) throw badRequest(`Bad request: ${error.message}`);
      throw error;
    }
    if (parsed.name !== rootName) {
      throw badRequest(`Bad request: expected a ${rootName} document, got ${parsed.name}.`);
    }
    return parsed.node;
  }

  #xml(call: Call, mediaType: string, body: string, status = 200): SimResponse {
    return { status, headers: { 'content-type': xmlType(mediaType, call.version) }, body };
  }

  #taskAnswer(call: Call, task: TaskRecord): SimResponse {
    return this.#xml(
      call,
      MEDIA.task,
      taskXml(this.#render(call), task, this.inventory.tasks.stateOf(task)),
      202,
    );
  }
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Hrefs start with the address the client called: vCD builds them from its public URL. */
function hrefsOf(request: SimRequest): Hrefs {
  const host = header(request, 'host') ?? '127.0.0.1';
  return new Hrefs(`http://${host}`);
}

function entityId(call: Call, group: number): string {
  return (call.match[group] ?? '').toLowerCase();
}

function queryOperation(request: SimRequest): string {
  const type = request.url.searchParams.get('type');
  return type ? `query:${type}` : 'query';
}

function commonHeaders(requestId: string): Record<string, string> {
  return {
    'x-vmware-vcloud-request-id': requestId,
    'x-vmware-vcloud-request-execution-time': '1',
    'cache-control': 'no-store, must-revalidate',
  };
}
