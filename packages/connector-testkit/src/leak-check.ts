import { ConnectorError } from '@slipstream/connector-core';
import { secretsOf } from './credentials.js';
import { findSecretLeaks } from './leaks.js';
import type { LogEntry } from './log-capture.js';
import { assertNoProblems, type RecordedError } from './run.js';
import type { ResolvedTarget } from './target.js';

/**
 * Fails listing every place a secret value (good and bad secret credentials, secret parameters)
 * shows in an error the run recorded or in a log entry it captured; also fails when the run
 * recorded no error, because then there was nothing to check.
 */
export function assertNoSecretLeaks(
  run: { readonly errors: readonly RecordedError[]; readonly logs: readonly LogEntry[] },
  t: ResolvedTarget,
): void {
  const secrets = secretsOf(t.definition, t);
  const values = secrets.map((secret) => secret.value);
  const problems: string[] = [];
  for (const { what, error } of run.errors) {
    for (const leak of findSecretLeaks(error, values)) {
      const code = ConnectorError.is(error) ? error.code : error instanceof Error ? error.name : typeof error;
      problems.push(
        `the value of ${secrets[leak.index]?.label} (${leak.hint}) appears${leak.form === 'verbatim' ? '' : ' percent-encoded'} in ${leak.where} of the ${code} error from ${what}`,
      );
    }
  }
  run.logs.forEach((entry, i) => {
    for (const leak of findSecretLeaks({ message: entry.message, fields: entry.fields }, values)) {
      if (leak.where === 'stack') continue;
      problems.push(
        `the value of ${secrets[leak.index]?.label} (${leak.hint}) appears in log entry ${i} (${entry.level} "${entry.message ?? ''}")`,
      );
    }
  });
  assertNoProblems(
    [...new Set(problems)],
    `Secrets must never appear in errors (message, stack, cause chain, problems) or logs. Build error messages from what you know, not from request URLs, headers or bodies that hold credentials. ${run.errors.length} errors and ${run.logs.length} log entries were checked:`,
  );
  if (run.errors.length === 0)
    throw new Error('The suite collected no errors to check; the checks that provoke them did not run.');
}
