import type { SimCloud } from '../model/cloud.js';
import { SIM_DEFAULTS } from '../model/cloud.js';
import type { FrontEnd, SimRequest, SimResponse } from '../server/frontend.js';
import type { Caller } from './access.js';
import {
  OPENNEBULA_DEFAULT_NETWORKS,
  OPENNEBULA_DEFAULT_PATH,
  type OpenNebulaNetworkSpec,
} from './catalog.js';
import { authenticationFailed, OpenNebulaError, XMLRPC_FAULTS, XmlRpcFault } from './errors.js';
import { OPENNEBULA_METHODS } from './methods.js';
import { Params } from './params.js';
import { OneRegistry } from './registry.js';
import type { ActionDelays } from './vm-actions.js';
import { faultResponseXml, methodResponseXml, parseMethodCall, rpc, type XmlRpcValue } from './xmlrpc.js';

/**
 * OpenNebula's XML-RPC API as oned 6.x serves it (through xmlrpc-c): `POST /RPC2` (or the path a
 * proxy serves it at) with a `text/xml` methodCall; every answer HTTP 200 with a methodResponse
 * holding one array — `[true, result, 0]`, or `[false, "[method] message", error code, id at
 * fault, replication index]` — or, when xmlrpc-c refuses the call before oned sees it, a
 * `<fault>`. The first argument of every method is the session, `username:password`.
 */

export interface OpenNebulaFrontEndOptions {
  /** Where XML-RPC is served; default /RPC2. */
  readonly path?: string | undefined;
  readonly networks?: readonly OpenNebulaNetworkSpec[] | undefined;
  /** The model's delays, which the front-end splits into oned's steps. */
  readonly bootDelayMs?: number | undefined;
  readonly haltDelayMs?: number | undefined;
}

/** What xmlrpc-c's Abyss server sends with every XML-RPC answer. */
const XML_HEADERS = { 'content-type': 'text/xml; charset="utf-8"' };

export class OpenNebulaFrontEnd implements FrontEnd {
  readonly registry: OneRegistry;
  readonly path: string;
  readonly #cloud: SimCloud;
  readonly #delays: ActionDelays;

  constructor(cloud: SimCloud, options: OpenNebulaFrontEndOptions = {}) {
    this.#cloud = cloud;
    this.path = options.path ?? OPENNEBULA_DEFAULT_PATH;
    this.registry = new OneRegistry(cloud, { networks: options.networks ?? OPENNEBULA_DEFAULT_NETWORKS });
    this.#delays = {
      bootMs: options.bootDelayMs ?? SIM_DEFAULTS.bootDelayMs,
      haltMs: options.haltDelayMs ?? SIM_DEFAULTS.haltDelayMs,
    };
  }

  /** The XML-RPC method called (`one.vmpool.info`…); `unknown` when the body is not a methodCall. */
  operationOf(request: SimRequest): string {
    try {
      return parseMethodCall(request.body).methodName || 'unknown';
    } catch {
      return 'unknown';
    }
  }

  handle(request: SimRequest): SimResponse {
    if (request.url.pathname !== this.path) return htmlError(404, 'Not Found', 'No such resource.');
    if (request.method.toUpperCase() !== 'POST') {
      return htmlError(405, 'Method Not Allowed', 'XML-RPC calls are POSTed.');
    }
    const type = String(request.headers['content-type'] ?? '');
    if (type.split(';')[0]?.trim().toLowerCase() !== 'text/xml') {
      return {
        status: 400,
        headers: { 'content-type': 'text/plain' },
        body: `Your content-type HTTP header value '${type}' does not have a base type of 'text/xml'`,
      };
    }
    try {
      const call = parseMethodCall(request.body);
      const method = Object.hasOwn(OPENNEBULA_METHODS, call.methodName)
        ? OPENNEBULA_METHODS[call.methodName]
        : undefined;
      if (!method)
        throw new XmlRpcFault(XMLRPC_FAULTS.NO_SUCH_METHOD, `Method '${call.methodName}' not defined`);
      const params = new Params(call.params);
      const session = params.string(0);
      try {
        const caller = this.#authenticate(session);
        const result = method({ registry: this.registry, caller, params, delays: this.#delays });
        return answer(rpc.array([rpc.boolean(true), result, rpc.int(0)]));
      } catch (error) {
        if (!(error instanceof OpenNebulaError)) throw error;
        return answer(
          rpc.array([
            rpc.boolean(false),
            rpc.string(`[${call.methodName}] ${error.message}`),
            rpc.int(error.code),
            rpc.int(error.respId),
            // oned's replication index when it replicated nothing: UINT64_MAX, sent as a signed <i8>.
            rpc.i8(-1),
          ]),
        );
      }
    } catch (error) {
      if (error instanceof XmlRpcFault) {
        return { status: 200, headers: XML_HEADERS, body: faultResponseXml(error.faultCode, error.message) };
      }
      throw error;
    }
  }

  /**
   * A proxy's or web server's answer in front of oned (oned itself answers every call 200): a
   * small HTML page with the status.
   */
  errorResponse(status: number, message: string): SimResponse {
    const reason = REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error');
    return htmlError(status, reason, message.startsWith('Simulated ') ? undefined : message);
  }

  /** The session's user: `username:password`, split at the first colon; disabled keys are refused. */
  #authenticate(session: string): Caller {
    const colon = session.indexOf(':');
    if (colon <= 0) throw authenticationFailed();
    const account = this.#cloud.accountByKey(session.slice(0, colon));
    if (account?.status !== 'active' || account.secret !== session.slice(colon + 1)) {
      throw authenticationFailed();
    }
    return this.registry.callerOf(account);
  }
}

function answer(value: XmlRpcValue): SimResponse {
  return { status: 200, headers: XML_HEADERS, body: methodResponseXml(value) };
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function htmlError(status: number, reason: string, detail?: string): SimResponse {
  const title = `${status} ${reason}`;
  const paragraph = detail ? `<p>${detail.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` : '';
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center>${paragraph}</body></html>\n`,
  };
}
