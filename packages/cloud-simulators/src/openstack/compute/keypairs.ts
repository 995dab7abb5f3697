import { generateKeyPairSync } from 'node:crypto';
import type { SimKeyPair } from '../../model/types.js';
import { naiveIso } from '../dates.js';
import { isObject, parseJson } from '../http.js';
import { fromSimError, type NovaCall, type NovaContext, type NovaResult } from './context.js';
import { badRequest, conflict, forbidden, notFound } from './errors.js';
import { checkKnownParameters, pageOf } from './query.js';

/**
 * os-keypairs: import (or, before 2.92, generate) SSH key pairs, list them (paginated from 2.35),
 * show and delete them. Fingerprints are the MD5 of the key blob, as Nova computes them for SSH.
 */

/** Nova's default key_pairs quota. */
export const KEY_PAIRS_LIMIT = 100;

/** When each key pair was created, and the row id Nova shows: the model does not keep them. */
export class KeypairRecords {
  readonly #records = new Map<string, { readonly id: number; readonly createdAt: number }>();
  #sequence = 0;

  add(account: string, name: string, createdAt: number): void {
    this.#sequence += 1;
    this.#records.set(`${account}/${name}`, { id: this.#sequence, createdAt });
  }

  get(account: string, name: string): { readonly id: number; readonly createdAt: number } | undefined {
    return this.#records.get(`${account}/${name}`);
  }

  delete(account: string, name: string): void {
    this.#records.delete(`${account}/${name}`);
  }
}

export function handleKeypairs(
  context: NovaContext & { keypairs: KeypairRecords },
  call: NovaCall,
): NovaResult {
  const account = call.caller.account;
  const typed = call.version.atLeast('2.2');
  switch (call.operation) {
    case 'list-keypairs':
      return list(context, call);
    case 'create-keypair':
      return create(context, call);
    case 'show-keypair': {
      checkKnownParameters(call.query, new Set(['user_id']), call.version);
      const pair = find(context, call);
      const record = context.keypairs.get(account, pair.name);
      const keypair: Record<string, unknown> = {
        ...view(pair, typed),
        user_id: call.caller.userId,
        created_at: naiveIso(record?.createdAt ?? context.cloud.clock.now()),
        deleted: false,
        deleted_at: null,
        id: record?.id ?? 0,
        updated_at: null,
      };
      return { status: 200, body: { keypair } };
    }
    case 'delete-keypair': {
      checkKnownParameters(call.query, new Set(['user_id']), call.version);
      const pair = find(context, call);
      context.cloud.deleteKeyPair(account, pair.name);
      context.keypairs.delete(account, pair.name);
      return { status: typed ? 204 : 202 };
    }
    default:
      throw new Error(`${call.operation} is not a key pair operation`);
  }
}

function find(context: NovaContext, call: NovaCall): SimKeyPair {
  const pair = context.cloud.keyPairs(call.caller.account).find((candidate) => candidate.name === call.param);
  if (!pair) throw notFound(`Keypair ${call.param} not found for user ${call.caller.userId}`);
  return pair;
}

function view(pair: SimKeyPair, typed: boolean): Record<string, unknown> {
  return {
    name: pair.name,
    public_key: pair.publicKey,
    fingerprint: pair.fingerprint,
    ...(typed ? { type: 'ssh' } : {}),
  };
}

function list(context: NovaContext, call: NovaCall): NovaResult {
  const paged = call.version.atLeast('2.35');
  checkKnownParameters(
    call.query,
    new Set(paged ? ['user_id', 'limit', 'marker'] : ['user_id']),
    call.version,
  );
  const pairs = context.cloud.keyPairs(call.caller.account);
  let page = pairs;
  let next: string | undefined;
  if (paged) {
    const { limit, marker } = pageOf(call.query, context.maxLimit);
    let start = 0;
    if (marker !== undefined) {
      start = pairs.findIndex((pair) => pair.name === marker) + 1;
      if (start === 0) throw badRequest(`Marker ${marker} could not be found.`);
    }
    page = pairs.slice(start, start + limit);
    if (limit > 0 && page.length === limit) next = page[page.length - 1]?.name;
  }
  const typed = call.version.atLeast('2.2');
  const body: Record<string, unknown> = { keypairs: page.map((pair) => ({ keypair: view(pair, typed) })) };
  if (next !== undefined) body.keypairs_links = call.links.next('os-keypairs', call.query, next);
  return { status: 200, body };
}

function create(context: NovaContext & { keypairs: KeypairRecords }, call: NovaCall): NovaResult {
  const parsed = parseJson(call.body);
  if (!parsed) throw badRequest('Malformed request body');
  const request = readKeypair(parsed.value, call);
  const account = call.caller.account;
  if (context.cloud.keyPairs(account).length >= KEY_PAIRS_LIMIT)
    throw forbidden('Quota exceeded, too many key pairs.');
  if (context.cloud.keyPairs(account).some((pair) => pair.name === request.name)) {
    throw conflict(`Key pair '${request.name}' already exists.`);
  }
  const generated = request.publicKey === undefined ? generateSshKeyPair() : undefined;
  let pair: SimKeyPair;
  try {
    pair = context.cloud.registerKeyPair(
      account,
      request.name,
      request.publicKey ?? generated?.publicKey ?? '',
    );
  } catch (error) {
    if ((error as { kind?: string }).kind === 'invalid') {
      throw badRequest('Keypair data is invalid: failed to generate fingerprint');
    }
    fromSimError(error);
  }
  context.keypairs.add(account, pair.name, context.cloud.clock.now());
  const typed = call.version.atLeast('2.2');
  const keypair: Record<string, unknown> = { ...view(pair, typed), user_id: call.caller.userId };
  if (generated) keypair.private_key = generated.privateKey;
  return { status: typed ? 201 : 200, body: { keypair } };
}

function readKeypair(body: unknown, call: NovaCall): { name: string; publicKey: string | undefined } {
  if (!isObject(body) || !isObject(body.keypair)) throw badRequest("'keypair' is a required property");
  const keypair = body.keypair;
  const allowed = ['name', 'public_key'];
  if (call.version.atLeast('2.2')) allowed.push('type');
  if (call.version.atLeast('2.10')) allowed.push('user_id');
  const unexpected = Object.keys(keypair).filter((key) => !allowed.includes(key));
  if (unexpected.length > 0) {
    throw badRequest(
      `Additional properties are not allowed (${unexpected.map((key) => `'${key}'`).join(', ')} ${unexpected.length === 1 ? 'was' : 'were'} unexpected)`,
    );
  }
  if (!('name' in keypair)) throw badRequest("'name' is a required property");
  if (call.version.atLeast('2.92') && !('public_key' in keypair)) {
    throw badRequest("'public_key' is a required property");
  }
  const name = keypair.name;
  const pattern = call.version.atLeast('2.92') ? /^[_\-@. a-zA-Z0-9]+$/ : /^[_\- a-zA-Z0-9]+$/;
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 255 ||
    !pattern.test(name) ||
    /^\s|\s$/.test(name)
  ) {
    throw badRequest(
      `Invalid input for field/attribute name. Value: ${JSON.stringify(name)}. ${JSON.stringify(name)} does not match '${pattern.source}'`,
    );
  }
  if (keypair.type !== undefined && keypair.type !== 'ssh' && keypair.type !== 'x509') {
    throw badRequest(
      `Invalid input for field/attribute type. Value: ${JSON.stringify(keypair.type)}. ${JSON.stringify(keypair.type)} is not one of ['ssh', 'x509']`,
    );
  }
  if (keypair.user_id !== undefined && keypair.user_id !== call.caller.userId) {
    throw forbidden("Policy doesn't allow os_compute_api:os-keypairs:create to be performed.");
  }
  const publicKey = keypair.public_key;
  if (publicKey !== undefined && typeof publicKey !== 'string') {
    throw badRequest(
      `Invalid input for field/attribute public_key. Value: ${JSON.stringify(publicKey)}. ${JSON.stringify(publicKey)} is not of type 'string'`,
    );
  }
  return { name: name.trim(), publicKey };
}

/** What Nova generated before 2.92: an RSA key, the private half returned once in PEM. */
function generateSshKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshString(mpint(Buffer.from(jwk.e ?? '', 'base64url'))),
    sshString(mpint(Buffer.from(jwk.n ?? '', 'base64url'))),
  ]);
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  };
}

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function mpint(data: Buffer): Buffer {
  return (data[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), data]) : data;
}
