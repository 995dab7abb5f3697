import { isObject } from '../http.js';
import { badRequest } from './errors.js';
import type { Microversion } from './microversion.js';

/**
 * The body of POST /servers, checked the way Nova's JSON schema for the request's microversion
 * checks it (nova/api/openstack/compute/schemas/servers.py), with its wording: the first problem
 * found is the answer.
 */

export type NetworkRequest =
  | { readonly kind: 'auto' }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'list';
      readonly entries: readonly {
        readonly uuid?: string;
        readonly port?: string;
        readonly fixedIp?: string;
      }[];
    };

export interface CreateServerRequest {
  readonly name: string;
  /** Undefined or '' when booting from a volume, which the simulator does not model. */
  readonly imageRef: string | undefined;
  readonly flavorRef: string;
  readonly keyName: string | undefined;
  readonly userData: string | undefined;
  readonly availabilityZone: string | undefined;
  /** Undefined when the client sent none (allowed before 2.37). */
  readonly networks: NetworkRequest | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly securityGroups: readonly string[] | undefined;
  readonly minCount: number;
  readonly maxCount: number;
  readonly description: string | null | undefined;
  readonly adminPass: string | undefined;
  readonly hasBlockDevices: boolean;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The server properties each microversion's schema allows (additionalProperties is false). */
function allowedProperties(version: Microversion): Set<string> {
  const names = [
    'name',
    'imageRef',
    'flavorRef',
    'adminPass',
    'metadata',
    'networks',
    'OS-DCF:diskConfig',
    'accessIPv4',
    'accessIPv6',
    'availability_zone',
    'block_device_mapping',
    'block_device_mapping_v2',
    'config_drive',
    'key_name',
    'min_count',
    'max_count',
    'return_reservation_id',
    'security_groups',
    'user_data',
  ];
  if (!version.atLeast('2.57')) names.push('personality');
  if (version.atLeast('2.19')) names.push('description');
  if (version.atLeast('2.52')) names.push('tags');
  if (version.atLeast('2.63')) names.push('trusted_image_certificates');
  if (version.atLeast('2.74')) names.push('host', 'hypervisor_hostname');
  if (version.atLeast('2.90')) names.push('hostname');
  return new Set(names);
}

export function readCreateServer(body: unknown, version: Microversion): CreateServerRequest {
  if (!isObject(body)) throw badRequest(`${pythonRepr(body)} is not of type 'object'`);
  const unexpectedTop = Object.keys(body).filter(
    (key) => !['server', 'os:scheduler_hints', 'OS-SCH-HNT:scheduler_hints'].includes(key),
  );
  if (unexpectedTop.length > 0) throw additional(unexpectedTop);
  if (!('server' in body)) throw badRequest("'server' is a required property");
  const server = body.server;
  if (!isObject(server))
    throw badRequest(
      `Invalid input for field/attribute server. Value: ${pythonRepr(server)}. ${pythonRepr(server)} is not of type 'object'`,
    );
  const required = version.atLeast('2.37') ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef'];
  for (const name of required) if (!(name in server)) throw badRequest(`'${name}' is a required property`);
  const unexpected = Object.keys(server).filter((key) => !allowedProperties(version).has(key));
  if (unexpected.length > 0) throw additional(unexpected);

  const name = readName(server.name, 'name');
  const flavorRef = server.flavorRef;
  if ((typeof flavorRef !== 'string' && !Number.isInteger(flavorRef)) || flavorRef === '') {
    throw invalidField(
      'flavorRef',
      flavorRef,
      typeof flavorRef === 'string'
        ? "'' is too short"
        : `${pythonRepr(flavorRef)} is not of type 'string', 'integer'`,
    );
  }
  const imageRef = server.imageRef;
  if (imageRef !== undefined && (typeof imageRef !== 'string' || (imageRef !== '' && !UUID.test(imageRef)))) {
    throw invalidField(
      'imageRef',
      imageRef,
      `${pythonRepr(imageRef)} is not valid under any of the given schemas`,
    );
  }
  const minCount = readCount(server.min_count, 'min_count', 1);
  const maxCount = readCount(server.max_count, 'max_count', minCount);
  return {
    name,
    imageRef: imageRef as string | undefined,
    flavorRef: String(flavorRef),
    keyName: server.key_name === undefined ? undefined : readName(server.key_name, 'key_name'),
    userData: readUserData(server.user_data),
    availabilityZone:
      server.availability_zone === undefined
        ? undefined
        : readName(server.availability_zone, 'availability_zone'),
    networks: readNetworks(server.networks, version),
    metadata: readMetadata(server.metadata),
    securityGroups: readSecurityGroups(server.security_groups),
    minCount,
    maxCount,
    description: readDescription(server.description, version),
    adminPass: typeof server.adminPass === 'string' ? server.adminPass : undefined,
    hasBlockDevices:
      Array.isArray(server.block_device_mapping_v2) || Array.isArray(server.block_device_mapping),
  };
}

function readName(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw invalidField(field, value, `${pythonRepr(value)} is not of type 'string'`);
  if (value.length < 1) throw invalidField(field, value, "'' is too short");
  if (value.length > 255) throw invalidField(field, value, `${pythonRepr(value)} is too long`);
  // parameter_types.name: printable characters, no leading or trailing whitespace.
  if (/^\s|\s$/.test(value) || /[\p{Cc}\p{Cs}]/u.test(value)) {
    throw badRequest(
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
  }
  return value;
}

function readCount(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^[0-9]+$/.test(text)) {
    throw invalidField(field, value, `${pythonRepr(value)} does not match '^[0-9]*$'`);
  }
  const count = Number(text);
  if (count < 1) throw invalidField(field, value, `${pythonRepr(value)} is less than the minimum of 1`);
  return count;
}

/** user_data: base64 (Python's strict b64decode) of at most 65535 characters. */
function readUserData(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw invalidField('user_data', value, `${pythonRepr(value)} is not of type 'string'`);
  if (value.length > 65535) throw invalidField('user_data', value, `${pythonRepr(value)} is too long`);
  const compact = value.replace(/\s/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw invalidField('user_data', value, `${pythonRepr(value)} is not a 'base64'`);
  }
  return value;
}

function readNetworks(value: unknown, version: Microversion): NetworkRequest | undefined {
  if (value === undefined) return undefined;
  if (version.atLeast('2.37') && typeof value === 'string') {
    if (value === 'auto' || value === 'none') return { kind: value };
    throw invalidField('networks', value, `${pythonRepr(value)} is not valid under any of the given schemas`);
  }
  if (!Array.isArray(value)) {
    throw invalidField(
      'networks',
      value,
      version.atLeast('2.37')
        ? `${pythonRepr(value)} is not valid under any of the given schemas`
        : `${pythonRepr(value)} is not of type 'array'`,
    );
  }
  const allowed =
    version.atLeast('2.42') || version.toString() === '2.32' || version.toString() === '2.33'
      ? ['uuid', 'port', 'fixed_ip', 'tag']
      : ['uuid', 'port', 'fixed_ip'];
  const entries = value.map((entry) => {
    if (!isObject(entry) || Object.keys(entry).some((key) => !allowed.includes(key))) {
      throw invalidField(
        'networks',
        value,
        `${pythonRepr(value)} is not valid under any of the given schemas`,
      );
    }
    const { uuid, port, fixed_ip: fixedIp } = entry;
    if (uuid !== undefined && (typeof uuid !== 'string' || (version.atLeast('2.37') && !UUID.test(uuid)))) {
      throw invalidField(
        'networks',
        value,
        `${pythonRepr(value)} is not valid under any of the given schemas`,
      );
    }
    if (port !== undefined && port !== null && (typeof port !== 'string' || !UUID.test(port))) {
      throw invalidField('port', port, `${pythonRepr(port)} is not a 'uuid'`);
    }
    return {
      ...(typeof uuid === 'string' ? { uuid } : {}),
      ...(typeof port === 'string' ? { port } : {}),
      ...(typeof fixedIp === 'string' ? { fixedIp } : {}),
    };
  });
  return { kind: 'list', entries };
}

/** parameter_types.metadata: keys of `[a-zA-Z0-9-_:. ]{1,255}`, string values of at most 255. */
function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalidField('metadata', value, `${pythonRepr(value)} is not of type 'object'`);
  const badKeys = Object.keys(value).filter((key) => !/^[a-zA-Z0-9\-_:. ]{1,255}$/.test(key));
  if (badKeys.length > 0) {
    throw invalidField('metadata', value, additional(badKeys).message);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string')
      throw invalidField(key, item, `${pythonRepr(item)} is not of type 'string'`);
    if (item.length > 255) throw invalidField(key, item, `${pythonRepr(item)} is too long`);
  }
  return value as Record<string, string>;
}

function readSecurityGroups(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw invalidField('security_groups', value, `${pythonRepr(value)} is not of type 'array'`);
  return value.map((group) => {
    if (!isObject(group) || Object.keys(group).some((key) => key !== 'name')) {
      throw invalidField('security_groups', value, `${pythonRepr(group)} is not valid`);
    }
    return readName(group.name, 'name');
  });
}

function readDescription(value: unknown, version: Microversion): string | null | undefined {
  if (!version.atLeast('2.19')) return undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw invalidField('description', value, `${pythonRepr(value)} is not of type 'string', 'null'`);
  if (value.length > 255) throw invalidField('description', value, `${pythonRepr(value)} is too long`);
  return value;
}

function additional(names: readonly string[]): Error {
  const listed = names.map((name) => `'${name}'`).join(', ');
  return badRequest(
    `Additional properties are not allowed (${listed} ${names.length === 1 ? 'was' : 'were'} unexpected)`,
  );
}

/** Nova's wording for a property its schema refuses. */
function invalidField(field: string, value: unknown, message: string): Error {
  return badRequest(`Invalid input for field/attribute ${field}. Value: ${pythonRepr(value)}. ${message}`);
}

/** Roughly how Python prints the value in jsonschema messages. */
function pythonRepr(value: unknown): string {
  if (value === null) return 'None';
  if (value === undefined) return 'None';
  if (typeof value === 'string') return `'${value.length > 80 ? `${value.slice(0, 80)}...` : value}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return JSON.stringify(value) ?? String(value);
}
