/**
 * SSH keys. vCloud Director keeps no key pairs: the user's key reaches the VM through its guest
 * customization script, which appends it to root's authorized_keys on first boot. Core has
 * checked a launch's key already (one OpenSSH public key line).
 */

/** The authorized_keys lines a launch installs: its key, or none. */
export function authorizedKeys(publicKey: string | undefined): string[] {
  const key = publicKey?.trim();
  return key === undefined || key === '' ? [] : [key];
}
