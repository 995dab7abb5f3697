/** One failed check: which package, which check, what is wrong and how to fix it. */
export interface Failure {
  readonly package: string;
  readonly check: string;
  readonly problem: string;
  readonly fix: string;
}

/** Failures as a readable list, one block per failure. */
export function formatFailures(failures: readonly Failure[]): string {
  return failures
    .map((failure) => `${failure.package} — ${failure.check}: ${failure.problem}\n  fix: ${failure.fix}`)
    .join('\n');
}
