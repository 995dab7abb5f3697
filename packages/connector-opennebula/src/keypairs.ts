/**
 * SSH keys. OpenNebula keeps no key pairs: a VM gets its keys through its CONTEXT section's
 * SSH_PUBLIC_KEY, which the context packages (or cloud-init) install for the image's user. The
 * user's own key is registered in their OpenNebula profile (the user template's SSH_PUBLIC_KEY),
 * which templates refer to as `$USER[SSH_PUBLIC_KEY]`: a launch without a key finds it there.
 * Core has checked a launch's key already (one OpenSSH public key line).
 */

/** What CONTEXT/SSH_PUBLIC_KEY refers to when a launch brings no key: the user's profile key. */
export const PROFILE_SSH_KEY = '$USER[SSH_PUBLIC_KEY]';

/** The CONTEXT/SSH_PUBLIC_KEY value of a launch: the key given, or the user's profile key. */
export function contextSshKey(publicKey: string | undefined): string {
  return publicKey === undefined || publicKey.trim() === '' ? PROFILE_SSH_KEY : publicKey.trim();
}
