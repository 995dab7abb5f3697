/**
 * Whether the server's secret key is the one the store's secrets were sealed with, checked at boot
 * before anything is written: a server started with another key (a different SLIPSTREAM_SECRET_KEY,
 * a lost secret.key replaced by a new one) would otherwise run, fail to open every stored secret
 * later, and seal new ones with a key the old ones do not share.
 */

import { randomBytes } from 'node:crypto';
import { parameterAad } from '../configuration/instance-values.js';
import { credentialAad } from '../credentials/credentials.js';
import { ServerError } from '../errors.js';
import type { Store } from '../store/types.js';
import { SecretBox } from './secret-box.js';
import { type LoadedSecretKey, loadSecretKey, SECRET_KEY_ENV, SECRET_KEY_FILE_ENV } from './secret-key.js';

/** A sealed value and the associated data it was sealed with. */
export interface SealedSample {
  readonly blob: string;
  readonly aad: string;
}

/** How many sealed values are tried: one that opens proves the key; several that fail disprove it. */
const SAMPLES = 5;

/**
 * A few of the store's sealed values: the configuration's secret parameters first, then users'
 * credentials. Empty when nothing sealed is stored, so any key will do.
 */
export async function sealedSamples(store: Store): Promise<SealedSample[]> {
  const samples: SealedSample[] = [];
  const configuration = await store.getConfiguration();
  for (const [instance, values] of Object.entries(configuration?.instances ?? {})) {
    for (const [key, value] of Object.entries(values)) {
      if (value.kind === 'secret') samples.push({ blob: value.blob, aad: parameterAad(instance, key) });
      if (samples.length >= SAMPLES) return samples;
    }
  }
  for (const user of await store.listUsers()) {
    for (const summary of await store.listCredentials(user.id)) {
      const set = await store.getCredentials(user.id, summary.instance);
      for (const [key, value] of Object.entries(set?.values ?? {})) {
        if (value.kind !== 'secret') continue;
        samples.push({ blob: value.blob, aad: credentialAad(user.id, summary.instance, key) });
        if (samples.length >= SAMPLES) return samples;
      }
    }
  }
  return samples;
}

/**
 * CONFIG_INVALID when `box` opens none of `samples`; `keySource` says where the key came from.
 * One value that opens is enough: a damaged row is reported where it is used, not here.
 */
export function checkSecretKey(samples: readonly SealedSample[], box: SecretBox, keySource: string): void {
  if (samples.length === 0) return;
  for (const sample of samples) {
    try {
      box.open(sample.blob, sample.aad);
      return;
    } catch {
      // Try the next one.
    }
  }
  throw wrongKey(keySource);
}

function wrongKey(keySource: string): ServerError {
  return new ServerError(
    'CONFIG_INVALID',
    `The secret key (${keySource}) is not the key the stored secrets were sealed with: none of them opens. ` +
      `Start the server with the original key (restore the secret.key file from your backup, or set ` +
      `${SECRET_KEY_ENV} or ${SECRET_KEY_FILE_ENV} to it); every replica sharing a database must use ` +
      'the same key. The server did not start and wrote nothing.',
  );
}

/**
 * The key's check value, kept in the store: a value sealed with the key on the first start, so a
 * replica started with another key is refused even while no secret is stored yet.
 */
const KEY_CHECK = 'secret-key-check';
const KEY_CHECK_AAD = 'slipstream:secret-key-check';

function opens(box: SecretBox, blob: string): boolean {
  try {
    box.open(blob, KEY_CHECK_AAD);
    return true;
  } catch {
    return false;
  }
}

/**
 * The server's secret box for a store: the key loaded (a key file is created only when the store
 * holds nothing sealed) and checked against the stored secrets before anything is written with it.
 */
export async function openSecretBox(
  store: Store,
  options: { readonly home: string; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<{ readonly box: SecretBox; readonly key: LoadedSecretKey }> {
  const check = await store.getServerValue(KEY_CHECK);
  const sealed = await sealedSamples(store);
  const key = await loadSecretKey({
    home: options.home,
    env: options.env,
    create: sealed.length === 0 && check === undefined,
    shared: store.description.kind === 'postgresql',
  });
  const box = new SecretBox(key.key);
  const source = key.file === undefined ? SECRET_KEY_ENV : `the file ${key.file}`;
  if (check !== undefined && !opens(box, check)) throw wrongKey(source);
  checkSecretKey(sealed, box, source);
  if (check === undefined) {
    // Replicas starting together on an empty database: the first check value written wins, and a
    // replica whose key cannot open it is refused like any other wrong key.
    const written = await store.initServerValue(
      KEY_CHECK,
      box.seal(randomBytes(16).toString('hex'), KEY_CHECK_AAD),
    );
    if (!opens(box, written)) throw wrongKey(source);
  }
  return { box, key };
}
