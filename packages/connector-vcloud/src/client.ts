import {
  ConnectorError,
  type HttpMethod,
  type HttpResponse,
  type HttpTransport,
} from '@slipstream/connector-core';
import { errorFromResponse } from './errors.js';
import type { VcloudSettings } from './parameters.js';
import {
  bearerAuthorization,
  jsonAccept,
  loginAuthorization,
  type VcloudIdentity,
  xmlAccept,
} from './signing.js';

/**
 * One user's access to a vCloud Director cell over core's transport. The session is opened once
 * (`POST /cloudapi/1.0.0/sessions`, Basic) and its bearer token sent on every /api call through
 * the transport's `sign` hook, so that the password, the Basic value and the token are secrets the
 * transport scrubs. A call answered 401 (the token expired, or the session was ended elsewhere)
 * logs in once more and is tried again; `logout` ends the session.
 */

export interface ApiCall {
  /** What the call is, for messages: "instantiateVAppTemplate". */
  readonly operation: string;
  readonly method: HttpMethod;
  /** An href vCloud gave, or a path below the endpoint (`/api/query?…`). */
  readonly url: string;
  /** An XML body and its media type. */
  readonly body?: { readonly xml: string; readonly type: string } | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Whether sending it twice is harmless; default from the method (GET, PUT, DELETE are). */
  readonly idempotent?: boolean | undefined;
  /** Statuses the caller handles itself (404 of a lookup): answered, not thrown. */
  readonly acceptStatus?: readonly number[] | undefined;
}

const SESSIONS = '/cloudapi/1.0.0/sessions';
const TOKEN_HEADER = 'x-vmware-vcloud-access-token';

export class VcloudClient {
  readonly #http: HttpTransport;
  readonly #settings: VcloudSettings;
  readonly #authorization: string;
  readonly #secrets: string[];
  #token: Promise<string> | undefined;

  constructor(http: HttpTransport, settings: VcloudSettings, identity: VcloudIdentity) {
    this.#http = http;
    this.#settings = settings;
    this.#authorization = loginAuthorization(identity);
    this.#secrets = [identity.password, this.#authorization, this.#authorization.slice('Basic '.length)];
  }

  /** The session's token, opening the session when there is none (one login for concurrent calls). */
  #session(signal: AbortSignal | undefined): Promise<string> {
    this.#token ??= this.#login(signal).catch((error: unknown) => {
      this.#token = undefined;
      throw error;
    });
    return this.#token;
  }

  async #login(signal: AbortSignal | undefined): Promise<string> {
    const response = await this.#http.request({
      method: 'POST',
      url: `${this.#settings.endpoint}${SESSIONS}`,
      headers: { accept: jsonAccept(this.#settings.apiVersion) },
      // Opening a session twice is harmless: the first one expires unused.
      idempotent: true,
      signal,
      secrets: this.#secrets,
      sign: () => ({ headers: { authorization: this.#authorization } }),
      mapError: (answer) => errorFromResponse('the login (cloudapi sessions)', answer, this.#secrets),
    });
    if (response.status >= 300)
      throw errorFromResponse('the login (cloudapi sessions)', response, this.#secrets);
    const token = response.headers[TOKEN_HEADER];
    if (token === undefined || token === '') {
      throw new ConnectorError(
        'CLOUD_ERROR',
        `vCloud Director opened a session without an ${TOKEN_HEADER} header: check that "endpoint" is a vCloud Director 10.x cell and "api.version" (${this.#settings.apiVersion}) one it supports.`,
      );
    }
    this.#secrets.push(token);
    return token;
  }

  /** An /api call with the session's token; a 401 opens a new session and tries once more. */
  async call(call: ApiCall): Promise<HttpResponse> {
    const token = await this.#session(call.signal);
    try {
      return await this.#send(call, token);
    } catch (error) {
      if (!ConnectorError.is(error) || error.status !== 401) throw error;
      // Another call may have logged in again already.
      if (this.#token !== undefined && (await this.#token) === token) this.#token = undefined;
      return this.#send(call, await this.#session(call.signal));
    }
  }

  async #send(call: ApiCall, token: string): Promise<HttpResponse> {
    const response = await this.#http.request({
      method: call.method,
      url: new URL(call.url, `${this.#settings.endpoint}/`),
      headers: {
        accept: xmlAccept(this.#settings.apiVersion),
        ...(call.body === undefined ? {} : { 'content-type': call.body.type }),
      },
      body: call.body?.xml,
      idempotent: call.idempotent,
      signal: call.signal,
      secrets: this.#secrets,
      sign: () => ({ headers: { authorization: bearerAuthorization(token) } }),
      acceptStatus: call.acceptStatus,
      mapError: (answer) => errorFromResponse(call.operation, answer, this.#secrets),
    });
    if (response.status >= 300 && !call.acceptStatus?.includes(response.status)) {
      throw errorFromResponse(call.operation, response, this.#secrets);
    }
    return response;
  }

  /** The error of an answer a caller accepted and then refuses, quoting it with the secrets scrubbed. */
  errorOf(operation: string, response: HttpResponse): ConnectorError {
    return errorFromResponse(operation, response, this.#secrets);
  }

  /** Opens the session now: a wrong password shows here. */
  async checkCredentials(signal: AbortSignal | undefined): Promise<void> {
    await this.#session(signal);
  }

  /** Ends the session, if one is open; a failure to do so is not the caller's concern. */
  async logout(): Promise<void> {
    const pending = this.#token;
    this.#token = undefined;
    const token = await pending?.catch(() => undefined);
    if (token === undefined) return;
    await this.#http
      .request({
        method: 'DELETE',
        url: `${this.#settings.endpoint}${SESSIONS}/current`,
        headers: { accept: jsonAccept(this.#settings.apiVersion) },
        secrets: this.#secrets,
        sign: () => ({ headers: { authorization: bearerAuthorization(token) } }),
        acceptStatus: [401, 404],
      })
      .catch(() => undefined);
  }
}
