import { randomBytes } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimVm } from '../model/types.js';
import { badRequest, notFound } from './errors.js';
import {
  renderInstance,
  renderInstanceType,
  renderOperation,
  renderSecurityGroup,
  renderSshKey,
  renderTemplate,
  renderZone,
} from './render.js';
import type { ExoscaleOperation } from './routes.js';
import type { SecurityGroups } from './security-groups.js';
import { isUuid, jsonObject, labelFilter, parseCreateInstance, parseRegisterSshKey } from './validation.js';

/** One authenticated API call, its zone and its path parameter resolved. */
export interface ApiCall {
  /** The account's model id; undefined only for the anonymous `list-zones`. */
  readonly account: string | undefined;
  readonly zone: string;
  readonly param: string | undefined;
  readonly query: URLSearchParams;
  readonly body: string;
  /** `http://host:port` as the client addressed the simulator. */
  readonly baseUrl: string;
}

type Json = Record<string, unknown>;

const RESCUE_PROFILES = ['netboot', 'netboot-efi'];

/** The API v2 operations on the shared model. Each returns the JSON body of a 200 answer. */
export class ExoscaleHandlers {
  readonly #cloud: SimCloud;
  readonly #groups: SecurityGroups;

  constructor(cloud: SimCloud, groups: SecurityGroups) {
    this.#cloud = cloud;
    this.#groups = groups;
  }

  handle(operation: ExoscaleOperation, call: ApiCall): Json {
    if (operation === 'list-zones') return this.#listZones(call);
    const account = call.account as string;
    switch (operation) {
      case 'list-templates':
        return this.#listTemplates(call);
      case 'get-template':
        return renderTemplate(this.#template(call.param, call.zone), this.#zoneIds());
      case 'list-instance-types':
        return {
          'instance-types': this.#cloud.sizes.map((size) => renderInstanceType(size, this.#zoneIds())),
        };
      case 'get-instance-type': {
        const size = this.#cloud.sizes.find((s) => s.id === uuidParam(call.param));
        if (!size) throw notFound('Instance type not found');
        return renderInstanceType(size, this.#zoneIds());
      }
      case 'create-instance':
        return this.#createInstance(account, call);
      case 'list-instances':
        return this.#listInstances(account, call);
      case 'get-instance':
        return renderInstance(this.#instance(account, call), { withUserData: true });
      case 'delete-instance':
        return renderOperation(
          this.#cloud.destroyVm(account, this.#instance(account, call).id, true, operation),
        );
      case 'start-instance': {
        const body = jsonObject(call.body, false);
        const profile = body['rescue-profile'];
        if (profile !== undefined && !RESCUE_PROFILES.includes(profile as string)) {
          throw badRequest(`Invalid request: rescue-profile: expected one of ${RESCUE_PROFILES.join(', ')}`);
        }
        return renderOperation(this.#cloud.startVm(account, this.#instance(account, call).id, operation));
      }
      case 'stop-instance':
        return renderOperation(this.#cloud.stopVm(account, this.#instance(account, call).id, operation));
      case 'get-operation': {
        const found = this.#cloud.operation(account, uuidParam(call.param));
        if (!found) throw notFound('Operation not found');
        return renderOperation(found);
      }
      case 'register-ssh-key': {
        const { name, publicKey } = parseRegisterSshKey(jsonObject(call.body, true));
        this.#cloud.registerKeyPair(account, name, publicKey);
        return renderOperation(this.#cloud.completedOperation(account, operation, name));
      }
      case 'list-ssh-keys':
        return { 'ssh-keys': this.#cloud.keyPairs(account).map(renderSshKey) };
      case 'get-ssh-key': {
        const pair = this.#cloud.keyPairs(account).find((p) => p.name === call.param);
        if (!pair) throw notFound('SSH key not found');
        return renderSshKey(pair);
      }
      case 'delete-ssh-key': {
        const name = call.param ?? '';
        if (!this.#cloud.keyPairs(account).some((p) => p.name === name)) throw notFound('SSH key not found');
        this.#cloud.deleteKeyPair(account, name);
        return renderOperation(this.#cloud.completedOperation(account, operation, name));
      }
      case 'list-security-groups': {
        const visibility = call.query.get('visibility');
        if (visibility !== null && visibility !== 'private' && visibility !== 'public') {
          throw badRequest('Invalid request: visibility: expected one of private, public');
        }
        // Exoscale's public groups (its services' source addresses) are not modelled.
        const groups = visibility === 'public' ? [] : this.#groups.list(account);
        return { 'security-groups': groups.map(renderSecurityGroup) };
      }
      case 'get-security-group': {
        const group = this.#groups.get(account, uuidParam(call.param));
        if (!group) throw notFound('Security Group not found');
        return renderSecurityGroup(group);
      }
    }
  }

  #zoneIds(): string[] {
    return this.#cloud.zones.map((zone) => zone.id);
  }

  #listZones(call: ApiCall): Json {
    return { zones: this.#cloud.zones.map((zone) => renderZone(zone, call.baseUrl)) };
  }

  /**
   * `visibility` public (the default) or private, optionally one `family`, in the zone addressed.
   * Private templates are the catalog's non-featured images, visible to every account: the shared
   * model has no per-organization images.
   */
  #listTemplates(call: ApiCall): Json {
    const visibility = call.query.get('visibility') ?? 'public';
    if (visibility !== 'public' && visibility !== 'private') {
      throw badRequest('Invalid request: visibility: expected one of private, public');
    }
    const family = call.query.get('family');
    const templates = this.#cloud.images
      .filter((image) => image.featured === (visibility === 'public'))
      .filter((image) => !image.zones || image.zones.includes(call.zone))
      .map((image) => renderTemplate(image, this.#zoneIds()))
      .filter((template) => family === null || template.family === family);
    return { templates };
  }

  #template(id: string | undefined, zone: string) {
    const image = this.#cloud.images.find((i) => i.id === uuidParam(id));
    if (!image || (image.zones && !image.zones.includes(zone))) throw notFound('Template not found');
    return image;
  }

  #createInstance(account: string, call: ApiCall): Json {
    const request = parseCreateInstance(jsonObject(call.body, true));
    const image = this.#cloud.images.find((i) => i.id === request.template);
    if (!image || (image.zones && !image.zones.includes(call.zone))) {
      throw notFound(`Template ${request.template} not found in zone ${call.zone}`);
    }
    if (!this.#cloud.sizes.some((size) => size.id === request.instanceType)) {
      throw notFound(`Instance type ${request.instanceType} not found`);
    }
    if (request.diskSize < image.sizeGb) {
      throw badRequest(
        `Invalid request: disk-size: must be at least ${image.sizeGb} GiB, the size of template "${image.name}"`,
      );
    }
    if (
      request.sshKey !== undefined &&
      !this.#cloud.keyPairs(account).some((p) => p.name === request.sshKey)
    ) {
      throw notFound(`SSH key ${request.sshKey} not found`);
    }
    const unknownGroup = request.securityGroups.find((id) => !this.#groups.get(account, id));
    if (unknownGroup) throw notFound(`Security Group ${unknownGroup} not found`);
    const securityGroups =
      request.securityGroups.length > 0 ? request.securityGroups : [this.#groups.defaultGroup(account).id];
    const { operation } = this.#cloud.createVm(
      account,
      {
        // Exoscale names an unnamed instance itself.
        name: request.name ?? `vm-${randomBytes(4).toString('hex')}`,
        zone: call.zone,
        image: image.id,
        size: request.instanceType,
        diskGb: request.diskSize,
        keyPair: request.sshKey,
        userData: request.userData,
        securityGroups,
        tags: request.labels,
      },
      'create-instance',
    );
    return renderOperation(operation);
  }

  #listInstances(account: string, call: ApiCall): Json {
    const { query } = call;
    const managerType = query.get('manager-type');
    if (managerType !== null && managerType !== 'instance-pool') {
      throw badRequest('Invalid request: manager-type: expected instance-pool');
    }
    const managerId = query.get('manager-id');
    if (managerId !== null && !isUuid(managerId))
      throw badRequest('Invalid request: manager-id: expected a UUID');
    const ip = query.get('ip-address');
    const labels = labelFilter(query.get('labels'));
    const instances = this.#cloud
      .vms(account)
      .filter((vm) => vm.zone === call.zone)
      // No simulated instance belongs to an instance pool.
      .filter(() => managerType === null && managerId === null)
      .filter((vm) => ip === null || vm.publicIp === ip)
      .filter((vm) => labels === undefined || labels(vm.tags))
      .map((vm) => renderInstance(vm));
    return { instances };
  }

  /** The instance of the path, in the request's zone: another zone's instance is not found there. */
  #instance(account: string, call: ApiCall): SimVm {
    const vm = this.#cloud.vm(account, uuidParam(call.param));
    if (!vm || vm.zone !== call.zone) throw notFound('Instance not found');
    return vm;
  }
}

/** Path ids are `format: uuid` in the specification: anything else is a bad request. */
function uuidParam(value: string | undefined): string {
  if (!isUuid(value)) throw badRequest('Invalid request: id: expected a UUID');
  return value.toLowerCase();
}
