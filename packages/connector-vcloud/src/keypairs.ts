import { ConnectorError } from '@slipstream/connector-core';

/**
 * SSH keys. vCloud Director keeps no key pairs: the user's key reaches the VM through its guest
 * customization script, which appends it to root's authorized_keys on first boot.
 */

// OpenSSH's public key line: a key type, the base64 key blob, and an optional comment.
const PUBLIC_KEY_LINE =
  /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;

/** The authorized_keys lines of a launch's key (several keys one per line); INVALID_REQUEST names a bad line. */
export function authorizedKeys(publicKey: string | undefined): string[] {
  if (publicKey === undefined) return [];
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
  return lines;
}
