import type { SimImage } from '../../model/types.js';
import { booleanParam, type CommandContext, type CommandSpec, like } from '../context.js';
import { invalidValue, paramError } from '../errors.js';
import { offeringParam, templateParam, zoneParam } from '../lookups.js';
import { listBody } from '../paging.js';
import { CLOUDSTACK_VERSION, type JsonObject } from '../render.js';
import { offeringView, templateView, zoneView } from '../views.js';

/** listZones, listTemplates, listServiceOfferings and listCapabilities. */

/** The template filters CloudStack knows (TemplateFilter). */
const TEMPLATE_FILTERS = [
  'featured',
  'self',
  'selfexecutable',
  'sharedexecutable',
  'executable',
  'community',
  'all',
] as const;
type TemplateFilter = (typeof TEMPLATE_FILTERS)[number];

/**
 * Which templates a filter shows a user. The shared catalog has no owners: featured templates
 * belong to the cloud (`system`), the others to the caller, as if every account had registered
 * them. Nothing is shared with the caller by another account or published to the community.
 */
function passes(filter: TemplateFilter, image: SimImage): boolean {
  switch (filter) {
    case 'featured':
      return image.featured;
    case 'self':
    case 'selfexecutable':
      return !image.featured;
    case 'executable':
    case 'all':
      return true;
    case 'sharedexecutable':
    case 'community':
      return false;
  }
}

export const listZones: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, params } = context;
    const zone = zoneParam(context, 'id');
    const name = params.get('name');
    const keyword = params.get('keyword');
    const networkType = params.get('networktype');
    // Every simulated zone is enabled and open to users, so `available` changes nothing.
    booleanParam(context, 'available');
    const zones = cloud.zones.filter(
      (z) =>
        (!zone || z.id === zone.id) &&
        (name === undefined || z.name === name) &&
        (keyword === undefined || like(z.name, keyword)) &&
        (networkType === undefined || networkType.toLowerCase() === 'advanced'),
    );
    return listBody(context.command, params, 'zone', zones.map(zoneView), context.settings.defaultPageSize);
  },
};

export const listTemplates: CommandSpec = {
  required: ['templatefilter'],
  handle(context) {
    const { cloud, params, account } = context;
    const filterText = params.get('templatefilter') ?? '';
    const filter = TEMPLATE_FILTERS.find((f) => f === filterText);
    if (!filter) throw paramError('Please specify a valid template filter.');
    if (filter === 'all') throw invalidValue('Filter all can be specified by admin only');
    const template = templateParam(context, 'id');
    const zone = zoneParam(context, 'zoneid');
    const name = params.get('name');
    const keyword = params.get('keyword');
    const items: JsonObject[] = [];
    for (const image of cloud.images) {
      if (!passes(filter, image)) continue;
      if (template && image.id !== template.id) continue;
      if (name !== undefined && image.name !== name) continue;
      if (keyword !== undefined && !like(image.name, keyword)) continue;
      for (const z of cloud.zones) {
        if (zone && z.id !== zone.id) continue;
        if (image.zones && !image.zones.includes(z.id)) continue;
        items.push(templateView(image, z, account));
      }
    }
    return listBody(context.command, params, 'template', items, context.settings.defaultPageSize);
  },
};

export const listServiceOfferings: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, params } = context;
    const offering = offeringParam(context, 'id');
    zoneParam(context, 'zoneid');
    const name = params.get('name');
    const keyword = params.get('keyword');
    const created = Math.min(...cloud.images.map((i) => i.createdAt));
    const offerings = cloud.sizes.filter(
      (s) =>
        (!offering || s.id === offering.id) &&
        (name === undefined || s.name === name) &&
        (keyword === undefined || like(s.name, keyword)),
    );
    return listBody(
      context.command,
      params,
      'serviceoffering',
      offerings.map((s) => offeringView(s, created)),
      context.settings.defaultPageSize,
    );
  },
};

export const listCapabilities: CommandSpec = {
  required: [],
  handle(context: CommandContext) {
    const { settings } = context;
    return {
      capability: {
        securitygroupsenabled: false,
        dynamicrolesenabled: true,
        cloudstackversion: CLOUDSTACK_VERSION,
        userpublictemplateenabled: true,
        supportELB: 'false',
        projectinviterequired: false,
        allowusercreateprojects: true,
        customdiskofferingminsize: 1,
        customdiskofferingmaxsize: 1024,
        regionsecondaryenabled: false,
        kvmsnapshotenabled: true,
        allowuserviewdestroyedvm: settings.allowUserViewDestroyedVm,
        allowuserexpungerecovervm: settings.allowUserExpungeRecoverVm,
        allowuserexpungerecovervolume: settings.allowUserExpungeRecoverVm,
        allowuserviewalldomainaccounts: false,
        kubernetesserviceenabled: false,
        kubernetesclusterexperimentalfeaturesenabled: false,
        defaultuipagesize: 20,
      },
    };
  },
};
