import { formatProblems } from '@slipstream/connector-core';
import { FIRST_ADMIN } from './boot/seed.js';
import type { RunningServer } from './start.js';

/** The lines an operator reads at startup. Never logged: the generated password is in them. */
export function startupBanner(running: Pick<RunningServer, 'booted' | 'url'>): string {
  const { booted, url } = running;
  const instances = booted.registry.instances.map((instance) => instance.name);
  const lines = [
    '',
    `SlipStream server listening on ${url}`,
    `  connector instances: ${instances.length === 0 ? 'none' : instances.join(', ')}`,
  ];
  if (booted.problems.length > 0) {
    lines.push(
      `  ${booted.problems.length} loading problem${booted.problems.length === 1 ? '' : 's'} (also on the connectors page and in /api/health):`,
      ...formatProblems(booted.problems)
        .split('\n')
        .map((line) => `    ${line}`),
    );
  }
  if (booted.generatedAdminPassword !== undefined) {
    lines.push(
      `  First start: log in at ${url}/login as "${FIRST_ADMIN}" with the password`,
      `    ${booted.generatedAdminPassword}`,
      '  It is shown only this once: keep it in a password manager.',
    );
  } else if (booted.firstStart) {
    lines.push(`  First start: log in at ${url}/login as "${FIRST_ADMIN}" with SLIPSTREAM_ADMIN_PASSWORD.`);
  } else {
    lines.push(`  Log in at ${url}/login`);
  }
  return `${lines.join('\n')}\n\n`;
}
