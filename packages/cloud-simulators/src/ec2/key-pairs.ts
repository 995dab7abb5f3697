import { SimError } from '../model/errors.js';
import type { SimKeyPair } from '../model/types.js';
import { type ActionHandler, type Ec2Context, isoTime } from './context.js';
import { Ec2Error, invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, filtersOf } from './params.js';
import type { XmlNode } from './xml.js';
import { itemSet } from './xml.js';

/** ImportKeyPair, DescribeKeyPairs, DeleteKeyPair on the model's key pairs. */

const keyType = (pair: SimKeyPair): string => (pair.publicKey.startsWith('ssh-ed25519') ? 'ed25519' : 'rsa');

export const importKeyPair: ActionHandler = (context) => {
  const { params, cloud, state, account } = context;
  const name = params.required('KeyName');
  const material = params.required('PublicKeyMaterial');
  if (name.length > 255) throw invalidParameterValue('The key pair name must be at most 255 characters.');
  const line = Buffer.from(material, 'base64').toString('utf8');
  let pair: SimKeyPair;
  try {
    pair = cloud.registerKeyPair(account.id, name, line);
  } catch (error) {
    if (error instanceof SimError && error.kind === 'conflict') {
      throw new Ec2Error('InvalidKeyPair.Duplicate', `The keypair '${name}' already exists.`);
    }
    if (error instanceof SimError && error.kind === 'invalid') {
      throw new Ec2Error('InvalidKey.Format', 'Key is not in valid OpenSSH public key format');
    }
    throw error;
  }
  const record = state.keyPair(account.id, name);
  return { keyFingerprint: pair.fingerprint, keyName: pair.name, keyPairId: record.keyPairId };
};

function renderKeyPair(context: Ec2Context, pair: SimKeyPair, includePublicKey: boolean): XmlNode {
  const record = context.state.keyPair(context.account.id, pair.name);
  return {
    keyPairId: record.keyPairId,
    keyType: keyType(pair),
    tagSet: '',
    publicKey: includePublicKey ? pair.publicKey : undefined,
    createTime: isoTime(record.createTime),
    keyName: pair.name,
    keyFingerprint: pair.fingerprint,
  };
}

export const describeKeyPairs: ActionHandler = (context) => {
  const { params, cloud, account, state } = context;
  let pairs = cloud.keyPairs(account.id);
  const names = params.list('KeyName');
  const ids = params.list('KeyPairId');
  for (const name of names) {
    if (!pairs.some((pair) => pair.name === name)) {
      throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`);
    }
  }
  for (const id of ids) {
    if (!pairs.some((pair) => state.keyPair(account.id, pair.name).keyPairId === id)) {
      throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
    }
  }
  if (names.length || ids.length) {
    pairs = pairs.filter(
      (pair) => names.includes(pair.name) || ids.includes(state.keyPair(account.id, pair.name).keyPairId),
    );
  }
  pairs = applyFilters(
    pairs,
    filtersOf(params),
    ['key-name', 'key-pair-id', 'fingerprint', 'key-type', 'tag:', 'tag-key'],
    (pair, name) => {
      switch (name) {
        case 'key-name':
          return [pair.name];
        case 'key-pair-id':
          return [state.keyPair(account.id, pair.name).keyPairId];
        case 'fingerprint':
          return [pair.fingerprint];
        case 'key-type':
          return [keyType(pair)];
        default:
          return [];
      }
    },
  );
  const includePublicKey = params.boolean('IncludePublicKey') ?? false;
  return { keySet: itemSet(pairs.map((pair) => renderKeyPair(context, pair, includePublicKey))) };
};

/** Deleting a key pair that does not exist succeeds, as it does on EC2. */
export const deleteKeyPair: ActionHandler = (context) => {
  const { params, cloud, account, state } = context;
  const name = params.get('KeyName');
  const id = params.get('KeyPairId');
  if (!name && !id) throw missingParameter('KeyName');
  const pair = cloud
    .keyPairs(account.id)
    .find((candidate) =>
      name ? candidate.name === name : state.keyPair(account.id, candidate.name).keyPairId === id,
    );
  if (!pair) return { return: true };
  const keyPairId = state.keyPair(account.id, pair.name).keyPairId;
  cloud.deleteKeyPair(account.id, pair.name);
  state.forgetKeyPair(account.id, pair.name);
  return { return: true, keyPairId };
};
