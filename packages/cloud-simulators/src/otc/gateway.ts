import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimCloud } from '../model/cloud.js';
import type { AuthOutcome } from '../openstack/caller.js';
import { header, jsonResponse } from '../openstack/http.js';
import type { IdentityDirectory, User } from '../openstack/identity/directory.js';
import { callerFrom } from '../openstack/identity/keystone.js';
import type { SimResponse } from '../server/frontend.js';
import type { AccessKeys } from './access-keys.js';
import { SDK_HMAC_SHA256, verifySdkRequest } from './signature.js';

/**
 * The API gateway in front of OTC's services, for requests signed with an access key: it checks
 * the SDK-HMAC-SHA256 signature and its X-Sdk-Date, finds the IAM user the key belongs to and,
 * for project-level services (ECS, IMS, VPC), the project X-Project-Id names. It refuses in its own
 * format, `{"error_msg", "error_code", "request_id"}`: APIGW.0301 (401) for bad IAM
 * authentication information, APIGW.0302 (403) for a user without access to the project.
 */

export interface SignedRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export const APIGW_AUTH_FAILED = 'APIGW.0301';
export const APIGW_FORBIDDEN = 'APIGW.0302';

/** An answer of the gateway itself, with the 32-hex-digit request id it tags errors with. */
export function gatewayError(status: number, code: string, message: string): SimResponse {
  return jsonResponse(status, {
    error_msg: message,
    error_code: code,
    request_id: randomBytes(16).toString('hex'),
  });
}

const authFailed = (detail: string): SimResponse =>
  gatewayError(401, APIGW_AUTH_FAILED, `Incorrect IAM authentication information: ${detail}`);

/** True when the request carries an access-key signature rather than a token. */
export function isSigned(headers: IncomingHttpHeaders): boolean {
  return header(headers, 'authorization')?.startsWith(`${SDK_HMAC_SHA256} `) === true;
}

export class ApiGateway {
  readonly #cloud: SimCloud;
  readonly #directory: IdentityDirectory;
  readonly #keys: AccessKeys;

  constructor(cloud: SimCloud, directory: IdentityDirectory, keys: AccessKeys) {
    this.#cloud = cloud;
    this.#directory = directory;
    this.#keys = keys;
  }

  /** The IAM user a signed request comes from (global services such as IAM need no project). */
  user(request: SignedRequest): { readonly user: User } | { readonly refusal: SimResponse } {
    const verdict = verifySdkRequest(
      request,
      (accessKey) => this.#keys.get(accessKey)?.secretKey,
      this.#cloud.clock.now(),
    );
    if (!verdict.ok) return { refusal: gatewayError(401, APIGW_AUTH_FAILED, verdict.message) };
    const account = this.#keys.accountOf(verdict.accessKey);
    if (!account) return { refusal: authFailed('ak not exist') };
    // IAM disables the keys of a disabled user, and of one whose credentials expired.
    if (account.status !== 'active') return { refusal: authFailed(`the access key is ${account.status}`) };
    return { user: this.#directory.userOf(account) };
  }

  /** A signed request to a project-level service: the user, and the project X-Project-Id names. */
  project(request: SignedRequest): AuthOutcome {
    const found = this.user(request);
    if ('refusal' in found) return found;
    const projectId = header(request.headers, 'x-project-id')?.trim();
    if (!projectId) {
      return {
        refusal: authFailed('X-Project-Id is required to call a project-level API with an access key'),
      };
    }
    const { user } = found;
    // The user has a role on one project only; any other is not the user's to call.
    if (projectId !== user.project.id) {
      return {
        refusal: gatewayError(403, APIGW_FORBIDDEN, 'The IAM user is not authorized to access the API.'),
      };
    }
    return { caller: callerFrom(user, user.project) };
  }
}
