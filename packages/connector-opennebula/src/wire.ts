import { ConnectorError } from '@slipstream/connector-core';
import { XMLParser } from 'fast-xml-parser';

/**
 * The XML documents oned returns as the result string of `info` calls, as its XML schemas
 * (share/doc/xsd: vm.xsd, vm_pool.xsd, vmtemplate_pool.xsd, vnet_pool.xsd) define them. Every
 * value is read as text (OpenNebula writes numbers as text and names as CDATA); the elements that
 * repeat are always arrays. Readers of the fields go through core's WireReader.
 */

// Repeat in the documents read here: pool items (not the root of an object's own document), a
// VM's NICs, disks and history records.
const REPEATED = new Set(['VM', 'VMTEMPLATE', 'VNET', 'NIC', 'NIC_ALIAS', 'DISK', 'HISTORY']);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  isArray: (name, path) => REPEATED.has(name) && String(path).includes('.'),
});

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The root element of a result document; CLOUD_ERROR naming the call when it is another one. */
function rootOf(document: string, root: string, method: string): Node {
  let parsed: unknown;
  try {
    parsed = parser.parse(document);
  } catch (error) {
    throw unexpectedDocument(method, `it is not XML (${(error as Error).message})`);
  }
  const element = isNode(parsed) ? parsed[root] : undefined;
  // An empty pool is `<VM_POOL/>`, read as an empty string.
  if (element === '') return {};
  if (!isNode(element)) throw unexpectedDocument(method, `it has no <${root}> element`);
  return element;
}

function unexpectedDocument(method: string, why: string): ConnectorError {
  return new ConnectorError(
    'CLOUD_ERROR',
    `OpenNebula answered ${method} with a document it does not document: ${why}.`,
  );
}

/** The items of a pool document (`<VM_POOL><VM>…`), each as parsed. */
export function poolItems(document: string, pool: string, item: string, method: string): unknown[] {
  const items = rootOf(document, pool, method)[item];
  return Array.isArray(items) ? items : [];
}

/** The one object of an object's `info` document (`<VM>…</VM>`). */
export function objectOf(document: string, root: string, method: string): Node {
  return rootOf(document, root, method);
}
