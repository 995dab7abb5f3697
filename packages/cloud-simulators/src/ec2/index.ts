import { randomBytes } from 'node:crypto';
import type { SimAccountSpec } from '../model/types.js';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../server/simulator.js';
import { EC2_DEFAULT_REGION, ec2Catalog } from './catalog.js';
import { Ec2FrontEnd } from './frontend.js';

/** An EC2 account: the shared account fields, and optionally a session token and account number. */
export interface Ec2AccountSpec extends SimAccountSpec {
  /** When set, requests signed with this key must carry it as X-Amz-Security-Token (temporary credentials). */
  readonly sessionToken?: string | undefined;
  /** The 12-digit account number EC2 reports as `ownerId`; derived from the account when absent. */
  readonly accountId?: string | undefined;
}

/** The shared simulator options, with EC2 accounts, the region and how long terminated instances stay listed. */
export interface Ec2SimulatorOptions extends SimulatorOptions {
  /** Accounts; default one with an `AKIA…` key and a random secret. */
  readonly accounts?: readonly Ec2AccountSpec[] | undefined;
  /** The region the endpoint serves (requests are signed for it); default us-east-1. */
  readonly region?: string | undefined;
  /** How long terminated instances stay visible after they are gone; default one hour (3,600,000 ms). */
  readonly terminatedVisibleMs?: number | undefined;
}

/** A running EC2 simulator; the Query API is at `url` (POST `/`). */
export interface RunningEc2 extends RunningSimulator {
  /** The region requests are signed for, and the endpoint serves. */
  readonly region: string;
  /** The first account's key, secret and session token (when it has one). */
  readonly credentials: { readonly key: string; readonly secret: string; readonly sessionToken?: string };
  /** The first account's 12-digit account number (`ownerId`, and `Owner` for its own images). */
  readonly accountId: string;
}

/**
 * Starts an Amazon EC2 Query API simulator (version 2016-11-15) on loopback, with the region's
 * zones, a few Amazon and own AMIs and common instance types (replace them through the options).
 */
export async function startEc2(options: Ec2SimulatorOptions = {}): Promise<RunningEc2> {
  const region = options.region ?? EC2_DEFAULT_REGION;
  let frontEnd: Ec2FrontEnd | undefined;
  const tokens = new Map<string, string>();
  const numbers = new Map<string, string>();
  for (const account of options.accounts ?? []) {
    if (account.sessionToken) tokens.set(account.key, account.sessionToken);
    if (account.accountId) {
      if (!/^\d{12}$/.test(account.accountId)) {
        throw new RangeError(`An AWS account id has 12 digits; got "${account.accountId}".`);
      }
      numbers.set(account.key, account.accountId);
    }
  }
  const accounts = options.accounts?.length ? options.accounts : [randomEc2Account()];
  const simulator = await startSimulator({ ...options, accounts }, ec2Catalog(region), (cloud) => {
    frontEnd = new Ec2FrontEnd(cloud, {
      region,
      sessionTokens: tokens,
      accountNumbers: numbers,
      terminatedVisibleMs: options.terminatedVisibleMs,
    });
    return frontEnd;
  });
  const front = frontEnd as Ec2FrontEnd;
  const { key, secret } = simulator.credentials;
  const sessionToken = tokens.get(key);
  return {
    ...simulator,
    region,
    credentials: sessionToken === undefined ? { key, secret } : { key, secret, sessionToken },
    accountId: front.accountNumber(key) as string,
  };
}

/** An account with a key and secret of AWS's forms: `AKIA` and 16 characters, 40 characters. */
export function randomEc2Account(): Ec2AccountSpec {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const key = `AKIA${[...randomBytes(16)].map((byte) => alphabet[byte % 32]).join('')}`;
  const secret = randomBytes(30).toString('base64');
  return { key, secret, name: 'simulated' };
}

export {
  AMAZON_OWNER_ID,
  EC2_CATALOG,
  EC2_DEFAULT_REGION,
  EC2_IMAGES,
  EC2_INSTANCE_TYPES,
  EC2_ZONES,
  ec2Catalog,
  ec2Zones,
} from './catalog.js';
export { EC2_ACTIONS, Ec2FrontEnd, type Ec2FrontEndOptions } from './frontend.js';
export { EC2_API_VERSION, EC2_NAMESPACE } from './xml.js';
