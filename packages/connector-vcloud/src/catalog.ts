import { ConnectorError, type Image } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';
import { fiqlValue, queryAll } from './query.js';
import { idOfHref, text, type XmlElement } from './wire.js';

/**
 * Images and sizes. Images are the vApp templates the user may instantiate (the query service's
 * `vAppTemplate` records, those of `catalog` when it is set), every page; sizes are the
 * instance's `instance.types`: vCloud has no flavours, a VM's CPUs and memory are set at launch.
 */

export interface VAppTemplate {
  /** `vappTemplate-<uuid>`. */
  readonly id: string;
  readonly href: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly catalog: string | undefined;
}

function readTemplate(record: XmlElement): VAppTemplate | undefined {
  const href = text(record, 'href');
  const id = idOfHref(href);
  if (href === undefined || id === undefined) return undefined;
  const description = text(record, 'description');
  return {
    id,
    href,
    name: text(record, 'name') ?? id,
    description: description === '' ? undefined : description,
    catalog: text(record, 'catalogName'),
  };
}

export async function listTemplates(
  context: SessionContext,
  signal: AbortSignal | undefined,
): Promise<VAppTemplate[]> {
  const { catalog } = context.settings;
  const records = await queryAll(
    context,
    {
      type: 'vAppTemplate',
      record: 'VAppTemplateRecord',
      filter: ['isExpired==false', ...(catalog === undefined ? [] : [`catalogName==${fiqlValue(catalog)}`])],
    },
    signal,
  );
  return records.map(readTemplate).filter((template): template is VAppTemplate => template !== undefined);
}

export function toImage(template: VAppTemplate): Image {
  return {
    id: template.id,
    name: template.name,
    ...(template.description === undefined ? {} : { description: template.description }),
  };
}

/** The template a launch names, by id or by name; INVALID_REQUEST says which exist. */
export function resolveTemplate(templates: readonly VAppTemplate[], reference: string): VAppTemplate {
  const byId = templates.find((template) => template.id === reference);
  if (byId) return byId;
  const named = templates.filter((template) => template.name === reference);
  if (named.length === 1) return named[0] as VAppTemplate;
  if (named.length > 1) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Image "${reference}" names ${named.length} vApp templates (${named.map((t) => `${t.id} in ${t.catalog ?? '?'}`).join(', ')}); launch by template id instead.`,
    );
  }
  throw new ConnectorError(
    'INVALID_REQUEST',
    `Image "${reference}" is not a vApp template this user may instantiate; use an id or name from listImages(): ${templates.map((t) => t.name).join(', ') || 'none'}.`,
  );
}
