import { ConnectorError } from '@slipstream/connector-core';

/**
 * SSH keys. OpenNebula keeps no key pairs: a VM gets its keys through its CONTEXT section's
 * SSH_PUBLIC_KEY, which the context packages (or cloud-init) install for the image's user. The
 * user's own key is registered in their OpenNebula profile (the user template's SSH_PUBLIC_KEY),
 * which templates refer to as `$USER[SSH_PUBLIC_KEY]`: a launch without a key finds it there.
 */

/** What CONTEXT/SSH_PUBLIC_KEY refers to when a launch brings no key: the user's profile key. */
export const PROFILE_SSH_KEY = '$USER[SSH_PUBLIC_KEY]';

// OpenSSH's public key line: a key type, the base64 key blob, and an optional comment.
const PUBLIC_KEY_LINE =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;

/**
 * The CONTEXT/SSH_PUBLIC_KEY value of a launch: the key given (several keys one per line, as
 * OpenNebula accepts them), or the user's profile key. INVALID_REQUEST names a line that is not an
 * OpenSSH public key.
 */
export function contextSshKey(publicKey: string | undefined): string {
  if (publicKey === undefined || publicKey.trim() === '') return PROFILE_SSH_KEY;
  const lines = publicKey
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const bad = lines.find((line) => !PUBLIC_KEY_LINE.test(line));
  if (bad !== undefined) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `"sshPublicKey" has "${bad.slice(0, 40)}${bad.length > 40 ? '…' : ''}", which is not an OpenSSH public key line ("ssh-ed25519 AAAA… comment"); paste the .pub file's content.`,
    );
  }
  return lines.join('\n');
}
