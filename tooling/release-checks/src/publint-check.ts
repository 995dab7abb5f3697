import { publint } from 'publint';
import { formatMessage, formatMessagePath } from 'publint/utils';
import type { Failure } from './failure.js';

/** A publint message accepted for a package, with the reason it is right for that package. */
export interface AllowedMessage {
  readonly package: string;
  readonly code: string;
  readonly reason: string;
}

/**
 * publint messages accepted on purpose. Empty: every package is clean, suggestions included. An
 * entry must say why the message does not apply, or the check is not worth having.
 */
export const PUBLINT_ALLOWED: readonly AllowedMessage[] = [];

/** publint on the packed tarball: every error, warning and suggestion not allowed is a failure. */
export async function checkPublint(
  name: string,
  tarball: Uint8Array,
  allowed: readonly AllowedMessage[] = PUBLINT_ALLOWED,
): Promise<Failure[]> {
  // publint reads the tarball itself (`pack: { tarball }`), so it lints exactly what is published.
  const copy = new Uint8Array(tarball);
  const { messages, pkg } = await publint({ pack: { tarball: copy.buffer }, level: 'suggestion' });
  return messages
    .filter((message) => !allowed.some((entry) => entry.package === name && entry.code === message.code))
    .map((message) => ({
      package: name,
      check: `publint ${message.type}`,
      problem: `${message.code} at ${message.path.length === 0 ? 'package.json' : formatMessagePath(message.path)}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`,
      fix: `fix package.json as publint says (https://publint.dev/rules), or add it to PUBLINT_ALLOWED in tooling/release-checks/src/publint-check.ts with the reason.`,
    }));
}
