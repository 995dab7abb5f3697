import { generateKeyPairSync } from 'node:crypto';

/**
 * A syntactically valid OpenSSH ed25519 public key line for launch requests. Generated per run
 * (the private half is dropped): the conformance VMs must never be reachable with a known key.
 */
export function conformanceSshPublicKey(comment = 'slipstream-conformance'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(String(jwk.x), 'base64url');
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

// The SSH wire format: a 32-bit big-endian length, then the bytes.
function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
