/**
 * curl for the tests that run the README's curl steps. Where it is missing the harness installs
 * it when it can (as root, with apt-get), and otherwise says why the test cannot run; with
 * SLIPSTREAM_REQUIRE_CURL=1 (CI) a missing curl is a failure rather than a skip.
 */

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type CurlAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function onPath(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when curl runs from bash's PATH. */
export function hasCurl(): boolean {
  return existsSync('/usr/bin/curl') || onPath();
}

/**
 * Makes curl available, or says why it cannot be. Throws, with the reason, when it cannot be and
 * `env.SLIPSTREAM_REQUIRE_CURL` is "1".
 */
export function ensureCurl(env: NodeJS.ProcessEnv = process.env): CurlAvailability {
  if (hasCurl()) return { ok: true };
  let reason: string;
  if (process.getuid?.() === 0) {
    try {
      // An interrupted dpkg run blocks every install until it is finished.
      execFileSync('dpkg', ['--configure', '-a'], { stdio: 'ignore' });
      execFileSync('apt-get', ['update'], { stdio: 'ignore' });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'curl'], {
        stdio: 'ignore',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (error) {
      reason = `curl is not installed and "apt-get install curl" failed (${(error as Error).message.split('\n')[0]}); install curl and run the test again.`;
      return refuse(reason, env);
    }
    if (hasCurl()) return { ok: true };
    reason =
      'curl is not installed, and apt-get installed a curl that is not on PATH; install curl and run the test again.';
  } else {
    reason =
      'curl is not installed and the tests do not run as root to install it; install curl (e.g. "sudo apt-get install curl") and run the test again.';
  }
  return refuse(reason, env);
}

function refuse(reason: string, env: NodeJS.ProcessEnv): CurlAvailability {
  if (env.SLIPSTREAM_REQUIRE_CURL === '1')
    throw new Error(`${reason} (SLIPSTREAM_REQUIRE_CURL=1 makes this a failure.)`);
  return { ok: false, reason };
}
