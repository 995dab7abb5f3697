import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import type { JobBook } from './jobs.js';
import type { ApiParams } from './params.js';
import type { JsonObject } from './render.js';

/** Cloud-wide settings a CloudStack operator configures, which change what users may do. */
export interface CloudStackSettings {
  /** `allow.user.expunge.recover.vm`: users may pass `expunge=true` to destroyVirtualMachine. */
  readonly allowUserExpungeRecoverVm: boolean;
  /** `allow.user.view.destroyed.vm`: users see their Destroyed and Expunging VMs in lists. */
  readonly allowUserViewDestroyedVm: boolean;
  /** `default.page.size`: the most items a list answers at once. */
  readonly defaultPageSize: number;
  /** `vm.userdata.max.length`: the longest base64 user data a POST may carry. */
  readonly userDataMaxLength: number;
}

/** One verified request, as a command handler sees it. */
export interface CommandContext {
  /** The API command, e.g. `listVirtualMachines`. */
  readonly command: string;
  readonly params: ApiParams;
  /** The HTTP method: user data limits depend on it. */
  readonly httpMethod: string;
  /** The caller, authenticated by its API key and signature. */
  readonly account: SimAccount;
  readonly cloud: SimCloud;
  readonly jobs: JobBook;
  readonly settings: CloudStackSettings;
}

export interface CommandSpec {
  /** Required parameters, in the order CloudStack checks them: the first missing one is reported. */
  readonly required: readonly string[];
  /** Returns the body of the `<command>response` envelope. */
  readonly handle: (context: CommandContext) => JsonObject;
}

/** A BOOLEAN parameter, read as Boolean.valueOf does: "true" in any case is true, anything else false. */
export function booleanParam(context: CommandContext, name: string): boolean | undefined {
  const text = context.params.get(name);
  return text === undefined ? undefined : text.toLowerCase() === 'true';
}

/** A LIST parameter: comma-separated values, empty ones dropped (StringTokenizer). */
export function listParam(context: CommandContext, name: string): string[] | undefined {
  const text = context.params.get(name);
  return text === undefined ? undefined : text.split(',').filter((item) => item !== '');
}

/** Case-insensitive substring match, as MySQL's LIKE '%x%' with CloudStack's collation. */
export function like(value: string, pattern: string): boolean {
  return value.toLowerCase().includes(pattern.toLowerCase());
}
