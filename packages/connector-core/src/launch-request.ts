import type { ConnectorDefinition, LaunchRequest } from './contract.js';
import { ConnectorError, formatProblems } from './errors.js';

/** Request validation done once in core for every connector, before a connector sees a call. */

const MAX_COUNT = 100;
const MAX_USER_DATA_BYTES = 1024 * 1024;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const SSH_PUBLIC_KEY =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

function invalid(message: string, problems: readonly string[] = []): ConnectorError {
  return new ConnectorError('INVALID_REQUEST', message, {
    problems: problems.map((text) => ({ message: text })),
  });
}

/** VM ids as a deduplicated array of non-empty strings; INVALID_REQUEST otherwise. */
export function checkIds(ids: unknown, what: string, allowEmpty = false): string[] {
  if (!Array.isArray(ids)) throw invalid(`${what} needs an array of VM ids, got ${typeof ids}.`);
  const bad = ids.filter((id) => typeof id !== 'string' || id.trim() === '');
  if (bad.length > 0) {
    throw invalid(`${what} needs VM ids as non-empty strings; ${bad.length} of ${ids.length} are not.`);
  }
  if (!allowEmpty && ids.length === 0) throw invalid(`${what} needs at least one VM id.`);
  return [...new Set(ids as string[])];
}

/**
 * Validates a launch request, reporting every problem together. Options the connector cannot
 * honour are refused rather than dropped: a VM launched without the SSH key the user asked for is
 * a VM nobody can log in to.
 */
export function checkLaunchRequest(
  request: LaunchRequest,
  definition: Pick<ConnectorDefinition, 'capabilities' | 'name'>,
): LaunchRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw invalid('The launch request must be an object with name, image, size and idempotencyKey.');
  }
  const problems: string[] = [];
  const input = request as Partial<Record<keyof LaunchRequest, unknown>>;
  const text = (key: keyof LaunchRequest, required: boolean, max = 255): void => {
    const value = input[key];
    if (value === undefined || value === null) {
      if (required) problems.push(`"${key}" is required.`);
    } else if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`"${key}" must be a non-empty string.`);
    } else if (value.length > max) problems.push(`"${key}" must be at most ${max} characters.`);
  };
  text('name', true);
  text('image', true);
  text('size', true);
  text('zone', false);
  if (typeof input.idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    problems.push(
      '"idempotencyKey" is required: 1 to 128 letters, digits, ".", "_", ":" or "-" (a UUID works).',
    );
  }
  const count = input.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    problems.push(`"count" must be a whole number from 1 to ${MAX_COUNT}.`);
  }
  const { capabilities } = definition;
  if (input.sshPublicKey !== undefined) {
    if (typeof input.sshPublicKey !== 'string' || !SSH_PUBLIC_KEY.test(input.sshPublicKey.trim())) {
      problems.push(
        '"sshPublicKey" must be an OpenSSH public key line such as "ssh-ed25519 AAAA... user@host".',
      );
    } else if (!capabilities.sshKeys) {
      problems.push(`"sshPublicKey" is not supported by the ${definition.name} connector.`);
    }
  }
  if (input.userData !== undefined) {
    if (typeof input.userData !== 'string') problems.push('"userData" must be a string.');
    else if (Buffer.byteLength(input.userData) > MAX_USER_DATA_BYTES)
      problems.push('"userData" must be at most 1 MiB.');
    else if (!capabilities.userData)
      problems.push(`"userData" is not supported by the ${definition.name} connector.`);
  }
  if (input.zone !== undefined && !capabilities.zones) {
    problems.push(`"zone" is not supported by the ${definition.name} connector: it has no zones.`);
  }
  if (input.tags !== undefined) {
    const tags = input.tags;
    if (
      typeof tags !== 'object' ||
      tags === null ||
      Array.isArray(tags) ||
      Object.values(tags).some((value) => typeof value !== 'string')
    ) {
      problems.push('"tags" must be an object of string values.');
    } else if (!capabilities.tags && Object.keys(tags).length > 0) {
      problems.push(`"tags" are not supported by the ${definition.name} connector.`);
    }
  }
  if (problems.length > 0) {
    throw invalid(`The launch request is invalid:\n${formatProblems(problems)}`, problems);
  }
  return {
    ...request,
    count: count as number,
    ...(request.sshPublicKey === undefined ? {} : { sshPublicKey: request.sshPublicKey.trim() }),
  };
}
