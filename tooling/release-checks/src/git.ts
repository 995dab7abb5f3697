import { runCommand, tail } from './run.js';

/** Runs a read-only git command in `cwd` and returns its standard output; throws with git's reason. */
export async function git(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runCommand('git', args, { cwd, timeoutMs: 60_000 });
  if (result.status !== 0) {
    throw new Error(
      `git ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? 'signal'}): ${tail(result.stderr)}`,
    );
  }
  return result.stdout;
}

/** Non-empty output lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
