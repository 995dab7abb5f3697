import type { CloudStackSettings } from './context.js';
import { invalidValue } from './errors.js';

/**
 * User data checks of CloudStack 4.18+ (UserDataManagerImpl.validateUserData): the value must be
 * base64 (commons-codec's lenient alphabet, URL-decoded first when it contains `%`); a GET may
 * carry less than 4 KB of it, a POST less than 1 MB and at most `vm.userdata.max.length` (32 KB
 * by default); decoded it must not be empty. Returns the data re-encoded with padding, as stored.
 */

/** UserDataManager.MAX_HTTP_GET_LENGTH: 2 × 2048. */
export const MAX_HTTP_GET_LENGTH = 4096;
/** UserDataManager.MAX_HTTP_POST_LENGTH: 512 × 2048. */
export const MAX_HTTP_POST_LENGTH = 1_048_576;
/** `vm.userdata.max.length`'s default. */
export const DEFAULT_USER_DATA_MAX_LENGTH = 32_768;

/** commons-codec's Base64.isBase64: both alphabets, padding, and the four whitespace characters it skips. */
const BASE64 = /^[A-Za-z0-9+/=\-_ \t\r\n]*$/;

export function validateUserData(
  given: string | undefined,
  httpMethod: string,
  settings: Pick<CloudStackSettings, 'userDataMaxLength'>,
): string | undefined {
  if (given === undefined) return undefined;
  let userData = given;
  if (userData.includes('%')) {
    try {
      userData = decodeURIComponent(userData.replaceAll('+', ' '));
    } catch {
      throw invalidValue('Url decoding of userdata failed.');
    }
  }
  if (!BASE64.test(userData)) throw invalidValue('User data is not base64 encoded');
  const method = httpMethod === 'POST' ? 'POST' : 'GET';
  const limit = method === 'POST' ? MAX_HTTP_POST_LENGTH : MAX_HTTP_GET_LENGTH;
  if (userData.length >= limit) throw invalidValue(`User data is too long for an http ${method} request`);
  if (userData.length > settings.userDataMaxLength) {
    throw invalidValue(`User data has exceeded configurable max length : ${settings.userDataMaxLength}`);
  }
  // Node's base64 decoder, like commons-codec's, reads both alphabets and skips whitespace.
  const decoded = Buffer.from(userData, 'base64');
  if (decoded.length > limit) throw invalidValue(`User data is too long for http ${method} request`);
  if (decoded.length < 1) throw invalidValue('User data is too short');
  return decoded.toString('base64');
}
