import { ConnectorError, type Image, WireReader, type Zone } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { FILTER } from './vm.js';
import { poolItems } from './wire.js';

/**
 * Images, sizes and zones. Images are the VM templates the user may instantiate: every template
 * oned lets the user use (filter -2), so that templates the administrator shares with the user's
 * group or with everyone are there, not only the user's own (-3). Sizes are the instance's
 * `instance.types`; OpenNebula has no flavours of its own.
 */

export interface VmTemplate {
  readonly id: number;
  readonly name: string;
  readonly description: string | undefined;
  /** Operating system, from the template's LOGO (e.g. "images/logos/ubuntu.png" → "ubuntu"). */
  readonly os: string | undefined;
}

function readTemplate(item: unknown): VmTemplate | undefined {
  const wire = new WireReader(item);
  const id = wire.number('ID');
  if (id === undefined || !Number.isInteger(id)) return undefined;
  const template = wire.object('TEMPLATE');
  const logo = template?.string('LOGO');
  const os = logo?.split('/').pop()?.split('.')[0];
  return {
    id,
    name: wire.string('NAME') ?? String(id),
    description: template?.string('DESCRIPTION'),
    os: os === '' ? undefined : os,
  };
}

/** The templates the user may instantiate, in id order. */
export async function listTemplates(context: SessionContext, signal?: AbortSignal): Promise<VmTemplate[]> {
  const document = await context.client.document('one.templatepool.info', [FILTER.all, -1, -1], { signal });
  return poolItems(document, 'VMTEMPLATE_POOL', 'VMTEMPLATE', 'one.templatepool.info')
    .map(readTemplate)
    .filter((template): template is VmTemplate => template !== undefined)
    .sort((a, b) => a.id - b.id);
}

export function toImage(template: VmTemplate): Image {
  return {
    id: String(template.id),
    name: template.name,
    ...(template.description === undefined ? {} : { description: template.description }),
    ...(template.os === undefined ? {} : { os: template.os }),
  };
}

/** The template a launch names, by id or by name; INVALID_REQUEST says which exist. */
export function resolveTemplate(templates: readonly VmTemplate[], reference: string): VmTemplate {
  const byId = templates.find((template) => String(template.id) === reference);
  if (byId) return byId;
  const named = templates.filter((template) => template.name === reference);
  if (named.length === 1) return named[0] as VmTemplate;
  const known = templates.map((template) => `${template.id} (${template.name})`).join(', ') || 'none';
  if (named.length > 1) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Image "${reference}" names ${named.length} templates (${named.map((t) => t.id).join(', ')}); launch by template id instead.`,
    );
  }
  throw new ConnectorError(
    'INVALID_REQUEST',
    `Image "${reference}" is not a template this user may instantiate; use an id or name from listImages(): ${known}.`,
  );
}

/** The zone a connector instance stands for, when it stands for one (a NuvlaBox); else none. */
export function listZones(context: SessionContext): Zone[] {
  return context.zone === undefined ? [] : [context.zone];
}
