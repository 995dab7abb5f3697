import { type CommandSpec, like, listParam } from '../context.js';
import { invalidValue } from '../errors.js';
import { listBody } from '../paging.js';
import { tagViews, USER_VM } from '../views.js';

/** createTags and listTags, for the one resource type the model has: VMs (`UserVm`). */

/** Other ResourceObjectType names: real types, but the simulator holds no such resources. */
const OTHER_TYPES = new Set(
  [
    'Template',
    'ISO',
    'Volume',
    'Snapshot',
    'Network',
    'Nic',
    'LoadBalancer',
    'PortForwardingRule',
    'FirewallRule',
    'SecurityGroup',
    'PublicIpAddress',
    'Project',
    'Account',
    'Vpc',
    'Zone',
    'ServiceOffering',
    'DiskOffering',
    'Domain',
    'VMSnapshot',
  ].map((type) => type.toLowerCase()),
);

export const createTags: CommandSpec = {
  // CreateTagsCmd declares tags, resourcetype and resourceids in that order.
  required: ['tags', 'resourcetype', 'resourceids'],
  handle(context) {
    const { cloud, account, params } = context;
    const type = params.get('resourcetype') ?? '';
    const ids = listParam(context, 'resourceids') ?? [];
    const isVm = type.toLowerCase() === USER_VM.toLowerCase();
    if (!isVm && !OTHER_TYPES.has(type.toLowerCase())) throw invalidValue(`Invalid resource type ${type}`);
    const tags: Record<string, string> = {};
    for (const entry of params.map('tags')) {
      const key = entry.key ?? '';
      if (key === '') throw invalidValue('Key for the tag is either null or empty');
      const value = entry.value ?? '';
      if (value === '') throw invalidValue(`Value for the key ${key} is either null or empty`);
      tags[key] = value;
    }
    for (const id of ids) {
      if (!isVm || !cloud.vm(account.id, id)) {
        throw invalidValue(`Unable to find resource by id ${id} and type ${type}`);
      }
    }
    // The job is CloudStack's; the tags exist as soon as it is queued.
    for (const id of ids) cloud.tagVm(account.id, id, tags);
    const operation = cloud.completedOperation(account.id, context.command, undefined);
    return { jobid: operation.id };
  },
};

export const listTags: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, account, params } = context;
    const type = params.get('resourcetype');
    const resource = params.get('resourceid');
    const key = params.get('key');
    const value = params.get('value');
    const keyword = params.get('keyword');
    const tags = cloud
      .vms(account.id)
      .filter(
        (vm) =>
          (type === undefined || type.toLowerCase() === USER_VM.toLowerCase()) &&
          (resource === undefined || vm.id === resource),
      )
      .flatMap((vm) => tagViews(account, vm))
      .filter(
        (tag) =>
          (key === undefined || tag.key === key) &&
          (value === undefined || tag.value === value) &&
          (keyword === undefined || like(String(tag.key), keyword) || like(String(tag.value), keyword)),
      );
    return listBody(context.command, params, 'tag', tags, context.settings.defaultPageSize);
  },
};
