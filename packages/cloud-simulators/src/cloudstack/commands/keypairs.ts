import { SimError } from '../../model/errors.js';
import { type CommandSpec, like } from '../context.js';
import { invalidValue } from '../errors.js';
import { listBody } from '../paging.js';
import { keyPairView } from '../views.js';

/** listSSHKeyPairs, registerSSHKeyPair and deleteSSHKeyPair. */

/** Key types SSHKeysHelper accepts (4.18+): RSA, DSA, ECDSA and Ed25519. */
const KEY_TYPES = /^(ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|ssh-ed25519) /;

/**
 * The key material as SSHKeysHelper reads it: a whole OpenSSH line, or that line base64-encoded;
 * undefined when it is not a key CloudStack accepts.
 */
function keyMaterial(given: string): string | undefined {
  let text = given.trim();
  if (!text.includes(' ')) text = Buffer.from(text, 'base64').toString('utf8').trim();
  return KEY_TYPES.test(text) ? text : undefined;
}

/** The `type blob` part that identifies a key, without its comment. */
function keyIdentity(material: string): string {
  return material.split(/\s+/).slice(0, 2).join(' ');
}

export const listSSHKeyPairs: CommandSpec = {
  required: [],
  handle(context) {
    const { cloud, account, params } = context;
    const name = params.get('name');
    const fingerprint = params.get('fingerprint');
    const keyword = params.get('keyword');
    const pairs = cloud
      .keyPairs(account.id)
      .filter(
        (pair) =>
          (name === undefined || pair.name === name) &&
          (fingerprint === undefined || pair.fingerprint === fingerprint) &&
          (keyword === undefined || like(pair.name, keyword)),
      );
    return listBody(
      context.command,
      params,
      'sshkeypair',
      pairs.map((pair) => keyPairView(pair, account)),
      context.settings.defaultPageSize,
    );
  },
};

export const registerSSHKeyPair: CommandSpec = {
  required: ['name', 'publickey'],
  handle(context) {
    const { cloud, account, params } = context;
    const name = params.get('name') ?? '';
    const given = params.get('publickey') ?? '';
    const existing = cloud.keyPairs(account.id);
    if (existing.some((pair) => pair.name === name)) {
      throw invalidValue(`A key pair with name '${name}' already exists for this account.`);
    }
    const material = keyMaterial(given);
    if (material === undefined) throw invalidValue('Public key is invalid');
    if (existing.some((pair) => keyIdentity(pair.publicKey) === keyIdentity(material))) {
      throw invalidValue(`A key pair with key '${given}' already exists for this account.`);
    }
    try {
      return { keypair: keyPairView(cloud.registerKeyPair(account.id, name, material), account) };
    } catch (error) {
      if (error instanceof SimError) throw invalidValue('Public key is invalid');
      throw error;
    }
  },
};

export const deleteSSHKeyPair: CommandSpec = {
  required: ['name'],
  handle(context) {
    const { cloud, account } = context;
    const name = context.params.get('name') ?? '';
    if (!cloud.keyPairs(account.id).some((pair) => pair.name === name)) {
      throw invalidValue(
        `A key pair with name '${name}' does not exist for account ${account.name} in specified domain id`,
      );
    }
    cloud.deleteKeyPair(account.id, name);
    return { success: true };
  },
};
