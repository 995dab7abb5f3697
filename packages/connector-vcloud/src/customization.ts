/**
 * vCloud's guest customization: the computer name, and a script vCloud runs in the guest, once
 * before and once after its own customization (`precustomization`, `postcustomization`). The
 * connector's script, on the second run, installs the SSH keys for root and runs the user data
 * (a script) or leaves it at /var/lib/slipstream/user-data for whatever reads it. Keys and user
 * data travel base64-encoded, so that no quoting in them reaches the shell.
 */

export interface CustomizationInput {
  readonly keys: readonly string[];
  readonly userData: string | undefined;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The customization script; undefined when there is nothing to install. */
export function customizationScript(input: CustomizationInput): string | undefined {
  const lines: string[] = [];
  if (input.keys.length > 0) {
    lines.push(
      '  install -d -m 700 /root/.ssh',
      `  echo ${base64(`${input.keys.join('\n')}\n`)} | base64 -d >> /root/.ssh/authorized_keys`,
      '  chmod 600 /root/.ssh/authorized_keys',
    );
  }
  if (input.userData !== undefined && input.userData !== '') {
    lines.push(
      '  install -d -m 700 /var/lib/slipstream',
      `  echo ${base64(input.userData)} | base64 -d > /var/lib/slipstream/user-data`,
      '  if head -c 2 /var/lib/slipstream/user-data | grep -q "#!"; then',
      '    chmod 700 /var/lib/slipstream/user-data && /var/lib/slipstream/user-data',
      '  fi',
    );
  }
  if (lines.length === 0) return undefined;
  return [
    '#!/bin/sh',
    '# Written by SlipStream: SSH keys and user data.',
    'if [ "$1" = "postcustomization" ]; then',
    ...lines,
    'fi',
    '',
  ].join('\n');
}

/** A host name from a VM name: letters, digits and hyphens, at most 63, as guests accept. */
export function computerName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned === '' ? 'vm' : cleaned;
}
