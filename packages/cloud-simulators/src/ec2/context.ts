import { createHash } from 'node:crypto';
import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import type { Params } from './params.js';
import type { Ec2State } from './state.js';
import type { XmlNode } from './xml.js';

/** What an action handler gets: the model, EC2's own state, the caller and the request's parameters. */
export interface Ec2Context {
  readonly cloud: SimCloud;
  readonly state: Ec2State;
  readonly account: SimAccount;
  /** The caller's 12-digit account number. */
  readonly ownerId: string;
  readonly region: string;
  readonly params: Params;
}

/** An action: its answer's body under `<{Action}Response>`, after `<requestId>`. */
export type ActionHandler = (context: Ec2Context) => XmlNode;

/** A digest of the request's parameters other than paging ones: what a NextToken is bound to. */
export function querySignature(context: Ec2Context, action: string): string {
  const relevant = context.params
    .entries()
    .filter(([name]) => name !== 'NextToken' && name !== 'MaxResults' && !name.startsWith('X-Amz-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([action, context.account.id, relevant]))
    .digest('base64url')
    .slice(0, 16);
}

/** EC2's timestamps: ISO 8601 with milliseconds, UTC. */
export function isoTime(time: number): string {
  return new Date(time).toISOString();
}

/** `Tag.N` items of a tag set. */
export function tagItems(tags: Readonly<Record<string, string>>): XmlNode[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
