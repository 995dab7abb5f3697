import type { HttpResponse, HttpTransport } from '@slipstream/connector-core';
import { errorFromFailure, errorFromResponse, malformedAnswer } from './errors.js';
import { type OpenNebulaIdentity, sessionString } from './signing.js';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcParameter, type XmlRpcValue } from './xmlrpc.js';

/**
 * One user's calls to oned's XML-RPC API over core's transport. The session string is the first
 * parameter of every call; it is put into the body by the transport's `sign` hook, attempt by
 * attempt, so that it is one of the secrets the transport scrubs from events and errors and the
 * request as the transport sees it before signing carries none. An answer is the array
 * `[success, result-or-message, code, …]`; failures become ConnectorErrors.
 */

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  /**
   * Whether sending the call twice is harmless, so that the transport may retry it after a lost
   * answer: true for reads; false for instantiate, whose retry is the idempotent launch's.
   */
  readonly idempotent?: boolean | undefined;
}

export class OpenNebulaClient {
  readonly #http: HttpTransport;
  readonly #endpoint: string;
  readonly #session: string;
  readonly #secrets: readonly string[];

  constructor(http: HttpTransport, endpoint: string, identity: OpenNebulaIdentity) {
    this.#http = http;
    this.#endpoint = endpoint;
    this.#session = sessionString(identity);
    this.#secrets = [identity.password, this.#session];
  }

  /** The result of a successful call: the second element of oned's answer. */
  async call(
    method: string,
    parameters: readonly XmlRpcParameter[],
    options: CallOptions = {},
  ): Promise<XmlRpcValue> {
    const response = await this.#http.request({
      method: 'POST',
      url: this.#endpoint,
      headers: { 'content-type': 'text/xml', accept: 'text/xml' },
      idempotent: options.idempotent ?? true,
      signal: options.signal,
      secrets: this.#secrets,
      sign: () => ({ body: encodeMethodCall(method, [this.#session, ...parameters]) }),
      mapError: (answer) => errorFromResponse(method, answer, this.#secrets),
    });
    if (response.status >= 300) throw errorFromResponse(method, response, this.#secrets);
    return resultOf(method, response);
  }

  /** A call whose result is an XML document (an object's or a pool's `info`). */
  async document(
    method: string,
    parameters: readonly XmlRpcParameter[],
    options: CallOptions = {},
  ): Promise<string> {
    const result = await this.call(method, parameters, options);
    if (typeof result !== 'string') throw malformedAnswer(method, new Error('the result is not a string'));
    return result;
  }

  /** A call whose result is an object id (instantiate, action). */
  async id(
    method: string,
    parameters: readonly XmlRpcParameter[],
    options: CallOptions = {},
  ): Promise<number> {
    const result = await this.call(method, parameters, options);
    if (typeof result !== 'number')
      throw malformedAnswer(method, new Error('the result is not an integer id'));
    return result;
  }
}

function resultOf(method: string, response: HttpResponse): XmlRpcValue {
  let answer: XmlRpcValue;
  try {
    answer = decodeMethodResponse(response.body);
  } catch (error) {
    throw malformedAnswer(method, error, response);
  }
  if (!Array.isArray(answer) || typeof answer[0] !== 'boolean' || answer.length < 2) {
    throw malformedAnswer(method, new Error('the answer is not the array [success, result, code]'), response);
  }
  const [success, result, code] = answer as readonly XmlRpcValue[];
  if (success) return result as XmlRpcValue;
  throw errorFromFailure(
    method,
    typeof result === 'string' ? result : '(no message)',
    typeof code === 'number' ? code : -1,
  );
}
