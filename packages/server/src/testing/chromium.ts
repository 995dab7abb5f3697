import { existsSync } from 'node:fs';
import type { Browser, BrowserType } from 'playwright-core';

/**
 * Debian's chromium for the browser test, driven by playwright-core (never a downloaded browser).
 * `.ci/run` installs it; elsewhere the test is skipped with the reason, unless
 * SLIPSTREAM_REQUIRE_BROWSER=1 makes a missing browser a failure.
 */

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Why the browser test cannot run here; throws when CI requires it. */
export function chromiumUnavailableReason(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is missing; install Debian's chromium (apt-get install chromium), as .ci/run does`;
  if (env.SLIPSTREAM_REQUIRE_BROWSER === '1')
    throw new Error(`SLIPSTREAM_REQUIRE_BROWSER is set but ${reason}.`);
  return reason;
}

export function launchChromium(browserType: BrowserType): Promise<Browser> {
  return browserType.launch({ executablePath: CHROMIUM, args: FLAGS });
}
