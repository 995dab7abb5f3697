import type { SimCloud } from '../model/cloud.js';
import type { SimAccount } from '../model/types.js';
import { parseTzDate } from './dates.js';
import { API_ERROR, CloudStackApiError, CS_ERROR, UNVERIFIED_TEXT } from './errors.js';
import type { ApiParams } from './params.js';
import { computeSignature, signaturesMatch } from './signature.js';

/**
 * ApiServer.verifyRequest for API-key requests, in CloudStack's order: the command, the
 * `signature` and `apiKey` parameters, the expiry of a `signatureVersion=3` request (against the
 * cloud's clock), the key's account and its state, whether the command is available to it, and
 * last the signature itself. Each failure is the same 401, which does not say which check failed;
 * only a command the account may not call is answered otherwise (432).
 */
export function verifyRequest(
  cloud: SimCloud,
  params: ApiParams,
  command: string | undefined,
  isAvailable: (command: string) => boolean,
): { readonly account: SimAccount; readonly command: string } {
  const refuse = (): CloudStackApiError => new CloudStackApiError(API_ERROR.UNAUTHORIZED, UNVERIFIED_TEXT);
  if (command === undefined) throw refuse();
  let signature: string | undefined;
  let apiKey: string | undefined;
  let signatureVersion: string | undefined;
  let expires: string | undefined;
  for (const [name, value] of params.raw) {
    switch (name.toLowerCase()) {
      case 'signature':
        signature = value;
        break;
      case 'apikey':
        apiKey = value;
        break;
      case 'signatureversion':
        signatureVersion = value;
        break;
      case 'expires':
        expires = value;
        break;
    }
  }
  if (signature === undefined || apiKey === undefined) throw refuse();
  if (signatureVersion === '3') {
    const expiry = expires === undefined ? undefined : parseTzDate(expires);
    if (expiry === undefined || expiry < cloud.clock.now()) throw refuse();
  }
  const account = cloud.accountByKey(apiKey);
  // Expired and revoked keys are CloudStack's disabled or locked users: refused like bad keys.
  if (account?.status !== 'active') throw refuse();
  if (!isAvailable(command)) {
    // The role-based API checker answers before the signature is looked at.
    throw new CloudStackApiError(
      API_ERROR.UNSUPPORTED_ACTION_ERROR,
      `The API [${command}] does not exist or is not available for the account ${account.name}.`,
      CS_ERROR.ServerApiException,
    );
  }
  if (!signaturesMatch(computeSignature(account.secret, params.raw), signature)) throw refuse();
  return { account, command };
}
