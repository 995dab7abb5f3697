import type { SimCloud } from '../model/cloud.js';
import { SimError } from '../model/errors.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import { type Addressed, addressOf } from './addressing.js';
import { ExoscaleApiError, errorResponse, fromSimError } from './errors.js';
import { ExoscaleHandlers } from './handlers.js';
import { matchRoute } from './routes.js';
import { SecurityGroups } from './security-groups.js';
import {
  decodedPath,
  exoscaleSignature,
  parseAuthorization,
  sameSignature,
  signablePaths,
  signedQueryValues,
} from './signature.js';

/**
 * The Exoscale API v2 front-end: zone addressing, EXO2-HMAC-SHA256 verification, routing by
 * operation id, and Exoscale's error answers. Requests act on the zone they address (see
 * addressing.ts); instances and templates are per zone, SSH keys and security groups global.
 */
export class ExoscaleFrontEnd implements FrontEnd {
  readonly #cloud: SimCloud;
  readonly #handlers: ExoscaleHandlers;
  /** Security groups per account; exposed so tests can add groups besides `default`. */
  readonly securityGroups = new SecurityGroups();

  constructor(cloud: SimCloud) {
    this.#cloud = cloud;
    this.#handlers = new ExoscaleHandlers(cloud, this.securityGroups);
  }

  operationOf(request: SimRequest): string {
    const address = this.#address(request);
    if (address.kind !== 'api') return 'unknown';
    const route = matchRoute(request.method, address.path);
    return route.kind === 'route' ? route.operation : 'unknown';
  }

  handle(request: SimRequest): SimResponse {
    try {
      return this.#handle(request);
    } catch (error) {
      if (error instanceof ExoscaleApiError) return errorResponse(error.status, error.message);
      if (error instanceof SimError) {
        const mapped = fromSimError(error);
        return errorResponse(mapped.status, mapped.message);
      }
      throw error;
    }
  }

  errorResponse(status: number, message: string): SimResponse {
    return errorResponse(status, message);
  }

  /** The zone and the path below `/v2` that a request addresses. */
  #address(request: SimRequest): Addressed {
    const zones = this.#cloud.zones.map((zone) => zone.id);
    return addressOf(decodedPath(request.url.pathname), header(request, 'host'), zones);
  }

  #handle(request: SimRequest): SimResponse {
    const address = this.#address(request);
    if (address.kind === 'outside') return errorResponse(404, 'Not found');
    if (address.kind === 'unknown-zone') return errorResponse(404, `Unknown zone: ${address.zone}`);
    const route = matchRoute(request.method, address.path);
    if (route.kind === 'not-found') return errorResponse(404, 'Not found');
    if (route.kind === 'method-not-allowed') return errorResponse(405, 'Method not allowed');
    const authorization = header(request, 'authorization');
    // Listing zones is public: clients call it unsigned to discover endpoints. A signed call is
    // still checked, as the API enforces the key's policies on authenticated requests.
    const account =
      route.operation === 'list-zones' && authorization === undefined
        ? undefined
        : this.#authenticate(request, authorization);
    const body = this.#handlers.handle(route.operation, {
      account,
      zone: address.zone,
      param: route.param,
      query: request.url.searchParams,
      body: request.body,
      baseUrl: `http://${header(request, 'host') ?? request.url.host}`,
    });
    return { status: 200, body: JSON.stringify(body) };
  }

  /**
   * Verifies the request signature and the key, answering as Exoscale does: 401 when no usable
   * credentials were presented, 403 when they are refused. An unknown key and a wrong signature
   * get the same answer, so that the API does not tell which keys exist.
   */
  #authenticate(request: SimRequest, headerValue: string | undefined): string {
    const parsed = parseAuthorization(headerValue);
    if (typeof parsed === 'string') throw new ExoscaleApiError(401, parsed);
    const account = this.#cloud.accountByKey(parsed.credential);
    const queryValues = signedQueryValues(request.url.searchParams, parsed.signedQueryArgs);
    const signed =
      account !== undefined &&
      queryValues !== undefined &&
      signablePaths(request.url.pathname).some((path) =>
        sameSignature(
          exoscaleSignature(account.secret, {
            method: request.method.toUpperCase(),
            path,
            body: request.body,
            queryValues,
            expires: parsed.expires,
          }),
          parsed.signature,
        ),
      );
    if (!account || !signed) throw new ExoscaleApiError(403, 'Invalid request signature');
    if (parsed.expires * 1000 < this.#cloud.clock.now()) {
      throw new ExoscaleApiError(403, 'Request expired: the signature expiry is in the past');
    }
    if (account.status === 'expired') throw new ExoscaleApiError(403, 'API key expired');
    if (account.status === 'revoked') throw new ExoscaleApiError(403, 'API key revoked');
    return account.id;
  }
}

function header(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
