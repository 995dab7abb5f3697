import { networkInterfaces } from 'node:os';
import { formatProblems } from '@slipstream/connector-core';
import { FIRST_ADMIN } from './boot/seed.js';
import type { RunningServer } from './start.js';

/** The lines an operator reads at startup. Never logged: the generated password is in them. */
export function startupBanner(
  running: Pick<RunningServer, 'booted' | 'url' | 'generatedAdminPassword'>,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string {
  const { booted, url } = running;
  const instances = booted.registry.instances.map((instance) => instance.name);
  const reachable = reachableUrls(url, interfaces);
  const open = reachable[0] ?? url;
  const lines = [
    '',
    `SlipStream server listening on ${url}${reachable.length > 0 ? ' (every address of this machine)' : ''}`,
  ];
  if (reachable.length > 0) lines.push(`  open it at ${reachable.join(' or ')}`);
  lines.push(`  connector instances: ${instances.length === 0 ? 'none' : instances.join(', ')}`);
  if (booted.problems.length > 0) {
    lines.push(
      `  ${booted.problems.length} loading problem${booted.problems.length === 1 ? '' : 's'} (also on the connectors page and in /api/health):`,
      ...indent(formatProblems(booted.problems)),
    );
  }
  for (const warning of booted.warnings) lines.push(...indent(`warning: ${warning}`, '  '));
  if (running.generatedAdminPassword !== undefined) {
    lines.push(
      `  First start: log in at ${open}/login as "${FIRST_ADMIN}" with the password`,
      `    ${running.generatedAdminPassword}`,
      '  It is shown only this once: keep it in a password manager. Lost, it is reset with',
      '  `slipstream admin reset-password`.',
    );
  } else if (booted.firstStart) {
    lines.push(`  First start: log in at ${open}/login as "${FIRST_ADMIN}" with SLIPSTREAM_ADMIN_PASSWORD.`);
  } else {
    lines.push(`  Log in at ${open}/login`);
  }
  return `${lines.join('\n')}\n\n`;
}

function indent(text: string, prefix = '    '): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}

/**
 * Where a browser can reach a server listening on every address (0.0.0.0, ::): "0.0.0.0" is not an
 * address to open. The machine's own IPv4 addresses, external ones first, then loopback; empty for
 * a server bound to one address, whose URL is already the one to open.
 */
export function reachableUrls(url: string, interfaces: ReturnType<typeof networkInterfaces>): string[] {
  const { hostname, port } = new URL(url);
  if (hostname !== '0.0.0.0' && hostname !== '[::]') return [];
  const addresses = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => entry.family === 'IPv4')
    .sort((a, b) => Number(a.internal) - Number(b.internal))
    .map((entry) => `http://${entry.address}:${port}`);
  return [...new Set(addresses)];
}
