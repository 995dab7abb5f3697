import { badRequest } from './errors.js';

/**
 * Request-body validation against the API v2 specification's constraints, answered 400 with one
 * message listing every problem, each naming the field. Fields the simulator does not model
 * (anti-affinity groups, deploy targets, IPv6...) are accepted and ignored, as an API that keeps
 * unknown fields backwards compatible does.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SSH_KEY_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,254}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const PUBLIC_IP_ASSIGNMENTS = ['inet4', 'dual', 'none'];

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The body as a JSON object; 400 when it is not one. */
export function jsonObject(body: string, required: boolean): Record<string, unknown> {
  if (body.trim() === '') {
    if (required) throw badRequest('Missing request body: a JSON object is expected');
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest('Malformed request body: invalid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Malformed request body: a JSON object is expected');
  }
  return parsed as Record<string, unknown>;
}

export interface CreateInstanceRequest {
  readonly name: string | undefined;
  readonly instanceType: string;
  readonly template: string;
  readonly diskSize: number;
  readonly sshKey: string | undefined;
  readonly userData: string | undefined;
  readonly securityGroups: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

function refId(body: Record<string, unknown>, field: string, problems: string[]): string {
  const ref = body[field];
  if (ref === undefined) {
    problems.push(`${field}: missing required field`);
    return '';
  }
  const id = (ref as { id?: unknown } | null)?.id;
  if (typeof ref !== 'object' || ref === null || !isUuid(id)) {
    problems.push(`${field}: expected an object with a UUID "id"`);
    return '';
  }
  return id;
}

function sshKeyName(body: Record<string, unknown>, problems: string[]): string | undefined {
  const names: unknown[] = [];
  const single = body['ssh-key'];
  if (single !== undefined) names.push((single as { name?: unknown } | null)?.name);
  const many = body['ssh-keys'];
  if (many !== undefined) {
    if (!Array.isArray(many)) problems.push('ssh-keys: expected an array of {"name": ...} objects');
    else for (const item of many) names.push((item as { name?: unknown } | null)?.name);
  }
  const bad = names.filter((name) => typeof name !== 'string' || !SSH_KEY_NAME.test(name));
  if (bad.length > 0) problems.push('ssh-key: expected {"name": ...} naming a registered SSH key');
  const unique = [...new Set(names.filter((name): name is string => typeof name === 'string'))];
  // The shared model holds one key per VM; say so rather than drop the others silently.
  if (unique.length > 1) problems.push('ssh-keys: this simulator supports one SSH key per instance');
  return unique[0];
}

function labels(value: unknown, problems: string[]): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('labels: expected an object of string values');
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') problems.push(`labels.${key}: expected a string`);
    else if (key === '' || key.length > 255 || item.length > 255)
      problems.push(`labels.${key}: keys and values must be 1 to 255 characters`);
    else result[key] = item;
  }
  return result;
}

export function parseCreateInstance(body: Record<string, unknown>): CreateInstanceRequest {
  const problems: string[] = [];
  const name = body.name;
  if (name !== undefined && (typeof name !== 'string' || name.length < 1 || name.length > 255)) {
    problems.push('name: expected a string of 1 to 255 characters');
  }
  const instanceType = refId(body, 'instance-type', problems);
  const template = refId(body, 'template', problems);
  const diskSize = body['disk-size'];
  if (diskSize === undefined) problems.push('disk-size: missing required field');
  else if (typeof diskSize !== 'number' || !Number.isInteger(diskSize) || diskSize < 10 || diskSize > 51200) {
    problems.push('disk-size: expected an integer between 10 and 51200 (GiB)');
  }
  const userData = body['user-data'];
  if (userData !== undefined) {
    if (typeof userData !== 'string' || userData.length < 1 || userData.length > 32768) {
      problems.push('user-data: expected a base64 string of 1 to 32768 characters');
    } else if (!BASE64.test(userData)) problems.push('user-data: must be base64 encoded');
  }
  const groups = body['security-groups'];
  const securityGroups: string[] = [];
  if (groups !== undefined) {
    if (!Array.isArray(groups)) problems.push('security-groups: expected an array of {"id": ...} objects');
    else
      for (const group of groups) {
        const id = (group as { id?: unknown } | null)?.id;
        if (isUuid(id)) securityGroups.push(id);
        else problems.push('security-groups: each item must be an object with a UUID "id"');
      }
  }
  const assignment = body['public-ip-assignment'];
  if (assignment !== undefined && !PUBLIC_IP_ASSIGNMENTS.includes(assignment as string)) {
    problems.push(`public-ip-assignment: expected one of ${PUBLIC_IP_ASSIGNMENTS.join(', ')}`);
  }
  const sshKey = sshKeyName(body, problems);
  const parsedLabels = labels(body.labels, problems);
  if (problems.length > 0) throw badRequest(`Invalid request: ${problems.join('; ')}`);
  return {
    name: name as string | undefined,
    instanceType,
    template,
    diskSize: diskSize as number,
    sshKey,
    userData: userData as string | undefined,
    securityGroups: [...new Set(securityGroups)],
    labels: parsedLabels,
  };
}

export function parseRegisterSshKey(body: Record<string, unknown>): { name: string; publicKey: string } {
  const problems: string[] = [];
  const { name } = body;
  const publicKey = body['public-key'];
  if (typeof name !== 'string' || !SSH_KEY_NAME.test(name)) {
    problems.push(
      'name: expected 1 to 255 characters: letters, digits, ".", "_" or "-", starting alphanumeric',
    );
  }
  if (typeof publicKey !== 'string' || publicKey.trim() === '') {
    problems.push('public-key: missing required field');
  }
  if (problems.length > 0) throw badRequest(`Invalid request: ${problems.join('; ')}`);
  return { name: name as string, publicKey: publicKey as string };
}

/** `labels` query filter: space-separated `key=value` terms (a bare `key` asks for presence). */
export function labelFilter(
  value: string | null,
): ((tags: Readonly<Record<string, string>>) => boolean) | undefined {
  if (value === null || value.trim() === '') return undefined;
  const terms = value
    .trim()
    .split(/\s+/)
    .map((term) => {
      const equals = term.indexOf('=');
      return equals < 0
        ? { key: term, value: undefined }
        : { key: term.slice(0, equals), value: term.slice(equals + 1) };
    });
  return (tags) =>
    terms.every(
      ({ key, value: wanted }) => Object.hasOwn(tags, key) && (wanted === undefined || tags[key] === wanted),
    );
}
