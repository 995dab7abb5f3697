import type { SimCloud } from '../../model/cloud.js';
import type { SimResponse } from '../../server/frontend.js';
import type { Caller } from '../caller.js';
import { emptyResponse, jsonResponse, type ServiceRequest } from '../http.js';
import { webobError } from '../webob.js';
import type { NovaCall, NovaContext, NovaResult } from './context.js';
import { badRequest, faultResponse, NovaError } from './errors.js';
import { handleFlavors } from './flavors.js';
import { handleKeypairs, KeypairRecords } from './keypairs.js';
import { handleLimits } from './limits.js';
import { NovaLinks } from './links.js';
import { negotiate, versionHeaders } from './microversion.js';
import { ServerRecords } from './records.js';
import { matchNova, type NovaRoute } from './routes.js';
import { handleServers } from './servers.js';
import { versionDocument, versionList } from './versions.js';

/**
 * Nova's compute API 2.1 on the model. The front-end routes a request (matchNova), answers the
 * version documents without a token, and hands API calls here with the caller its credentials
 * stand for; Nova then checks the microversion and the project in the URL before the handler.
 */

export const DEFAULT_MAX_LIMIT = 1000;

export interface NovaServiceOptions {
  /** osapi_max_limit: the largest page, and the page size when the client sends no limit. */
  readonly maxLimit?: number | undefined;
  /** The floating address bound to a port (Neutron's), shown in server addresses; default none. */
  readonly floatingAddress?: ((portId: string) => string | undefined) | undefined;
}

export class NovaService {
  readonly records = new ServerRecords();
  readonly keypairs = new KeypairRecords();
  readonly #context: NovaContext & { keypairs: KeypairRecords };

  constructor(cloud: SimCloud, options: NovaServiceOptions = {}) {
    const maxLimit = options.maxLimit ?? DEFAULT_MAX_LIMIT;
    if (!Number.isInteger(maxLimit) || maxLimit < 1) {
      throw new RangeError(`maxLimit must be a positive integer; got ${maxLimit}.`);
    }
    this.#context = {
      cloud,
      records: this.records,
      keypairs: this.keypairs,
      maxLimit,
      floatingAddress: options.floatingAddress ?? (() => undefined),
    };
  }

  route(request: ServiceRequest): NovaRoute {
    return matchNova(request.method, request.path);
  }

  /** The answer to a request that needs no token: version documents and unknown paths. */
  public(request: ServiceRequest, route: Exclude<NovaRoute, { kind: 'api' }>): SimResponse {
    switch (route.kind) {
      case 'versions':
        return withComputeId(jsonResponse(200, versionList(request.root)));
      case 'version':
        return withComputeId(jsonResponse(200, versionDocument(request.root)));
      case 'not-found':
        // Nova's router answers unknown paths (and known ones with another method) with WebOb's 404.
        return withComputeId(webobError(404, undefined, request.headers));
    }
  }

  handleApi(
    request: ServiceRequest,
    route: Extract<NovaRoute, { kind: 'api' }>,
    caller: Caller,
  ): SimResponse {
    const negotiated = negotiate(request.headers);
    if (negotiated.kind !== 'ok') {
      return withComputeId(faultResponse(negotiated.kind === 'malformed' ? 400 : 406, negotiated.message));
    }
    const headers = versionHeaders(negotiated.version);
    try {
      if (route.projectId !== undefined && route.projectId !== caller.projectId) {
        throw badRequest(
          `Malformed request URL: URL's project_id '${route.projectId}' doesn't match Context's project_id '${caller.projectId}'`,
        );
      }
      const call: NovaCall = {
        operation: route.operation,
        param: route.param,
        subParam: route.subParam,
        query: request.query,
        body: request.body,
        caller,
        version: negotiated.version,
        links: new NovaLinks(request.root, route.projectId),
      };
      const result = this.#dispatch(call);
      const answerHeaders = { ...headers, ...result.headers };
      return withComputeId(
        result.body === undefined
          ? emptyResponse(result.status, answerHeaders)
          : jsonResponse(result.status, result.body, answerHeaders),
      );
    } catch (error) {
      if (error instanceof NovaError)
        return withComputeId(faultResponse(error.status, error.message, headers));
      throw error;
    }
  }

  /** Nova's own fault body for a status, as injected faults answer. */
  errorResponse(status: number, message: string): SimResponse {
    return withComputeId(faultResponse(status, message));
  }

  #dispatch(call: NovaCall): NovaResult {
    const context = this.#context;
    switch (call.operation) {
      case 'list-flavors':
      case 'list-flavors-detail':
      case 'show-flavor':
      case 'list-flavor-extra-specs':
      case 'show-flavor-extra-spec':
        return handleFlavors(context, call);
      case 'list-keypairs':
      case 'create-keypair':
      case 'show-keypair':
      case 'delete-keypair':
        return handleKeypairs(context, call);
      case 'get-limits':
        return handleLimits(context, call);
      case 'list-availability-zones':
        return {
          status: 200,
          body: {
            availabilityZoneInfo: context.cloud.zones.map((zone) => ({
              zoneName: zone.name,
              zoneState: { available: true },
              // Only administrators see the hosts of a zone.
              hosts: null,
            })),
          },
        };
      default:
        return handleServers(context, call);
    }
  }
}

/** Nova repeats its request id as x-compute-request-id. */
function withComputeId(response: SimResponse): SimResponse {
  const id = response.headers?.['x-openstack-request-id'];
  return id === undefined
    ? response
    : { ...response, headers: { ...response.headers, 'x-compute-request-id': id } };
}
