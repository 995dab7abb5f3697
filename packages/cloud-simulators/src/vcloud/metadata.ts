import { badRequest } from './errors.js';
import type { MetadataValue } from './inventory.js';
import { attrOf, child, childList, textOf, type XmlNode } from './xml.js';

/**
 * Metadata on a vApp (or its VM): `GET …/metadata` (a Metadata document of MetadataEntry elements),
 * `POST …/metadata` (a Metadata to merge), `GET|PUT|DELETE …/metadata/<key>` (a MetadataValue).
 * Values are typed with xsi:type: MetadataStringValue, MetadataNumberValue (a whole number),
 * MetadataBooleanValue, MetadataDateTimeValue; a value that is not of its type is 400. Changes answer
 * a Task (metadataUpdate, metadataDelete), done at once.
 */

const TYPES = new Set([
  'MetadataStringValue',
  'MetadataNumberValue',
  'MetadataBooleanValue',
  'MetadataDateTimeValue',
]);

/** The TypedValue of a MetadataValue or MetadataEntry. */
export function typedValueOf(node: XmlNode | undefined): MetadataValue {
  const typed = child(node, 'TypedValue');
  if (!typed) throw badRequest('Bad request: the metadata value has no TypedValue.');
  // xsi:type's value may carry its own prefix (vcloud:MetadataStringValue).
  const type = attrOf(typed, 'type')?.split(':').pop();
  if (type === undefined || !TYPES.has(type)) {
    throw badRequest(`Bad request: "${type ?? ''}" is not a metadata value type.`);
  }
  const value = textOf(typed, 'Value') ?? '';
  switch (type) {
    case 'MetadataNumberValue':
      if (!/^-?\d+$/.test(value.trim())) throw badRequest(`Bad request: "${value}" is not a number.`);
      return { type, value: value.trim() };
    case 'MetadataBooleanValue': {
      const text = value.trim().toLowerCase();
      if (text !== 'true' && text !== 'false') throw badRequest(`Bad request: "${value}" is not a boolean.`);
      return { type, value: text };
    }
    case 'MetadataDateTimeValue':
      if (Number.isNaN(Date.parse(value.trim())))
        throw badRequest(`Bad request: "${value}" is not a date and time.`);
      return { type, value: value.trim() };
    default:
      return { type, value };
  }
}

/** The entries of a Metadata document to merge. */
export function entriesOf(metadata: XmlNode): Array<[string, MetadataValue]> {
  return childList(metadata, 'MetadataEntry').map((entry) => {
    const key = textOf(entry, 'Key');
    if (key === undefined || key === '') throw badRequest('Bad request: a MetadataEntry has no Key.');
    return [key, typedValueOf(entry)];
  });
}

export function checkKey(key: string): void {
  if (key === '' || key.length > 256)
    throw badRequest('Bad request: a metadata key has 1 to 256 characters.');
}
