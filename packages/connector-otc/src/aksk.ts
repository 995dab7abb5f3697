import { ConnectorError, type HttpTransport, raceSignal, throwIfAborted } from '@slipstream/connector-core';
import type { Authenticator, Authorization, OutgoingRequest } from '@slipstream/connector-openstack/extend';
import { otcErrorFromResponse } from './errors.js';
import { type AccessKeyPair, signRequest } from './signing.js';

/**
 * AK/SK access: every request signed with SDK-HMAC-SHA256 and sent with the project it works in
 * (X-Project-Id), no token involved. The project id is the one given, or found once per session
 * by name with IAM's project query (GET /v3/projects?name=…), as Huawei's SDKs find it.
 */

/** Keystone and IAM make project ids as 32 lowercase hexadecimal digits. */
export function isProjectId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

export interface ProjectLookupOptions {
  readonly http: HttpTransport;
  readonly keys: AccessKeyPair;
  /** IAM's v3 root, e.g. `https://iam.eu-de.otc.t-systems.com/v3`. */
  readonly iamUrl: string;
  /** The project's id, or its name (the region, or a sub-project `eu-de_name`). */
  readonly project: string;
  readonly now?: (() => number) | undefined;
}

/** The id of the session's project: given, or asked of IAM once and shared by every caller. */
export class ProjectLookup {
  readonly #options: ProjectLookupOptions;
  #pending: Promise<string> | undefined;

  constructor(options: ProjectLookupOptions) {
    this.#options = options;
  }

  id(signal?: AbortSignal): Promise<string> {
    throwIfAborted(signal, 'Finding the project');
    const { project } = this.#options;
    if (isProjectId(project)) return Promise.resolve(project);
    // Not the caller's signal: one caller giving up must not fail the others sharing the lookup.
    this.#pending ??= this.#find().catch((error: unknown) => {
      this.#pending = undefined;
      throw error;
    });
    return raceSignal(this.#pending, signal, 'Finding the project');
  }

  async #find(): Promise<string> {
    const { http, keys, iamUrl, project, now } = this.#options;
    const url = new URL(`${iamUrl.replace(/\/+$/, '')}/projects`);
    url.searchParams.set('name', project);
    // Every attempt's signature, scrubbed from what IAM may echo back.
    const secrets = [keys.secretKey];
    const response = await http.request({
      method: 'GET',
      url,
      headers: { accept: 'application/json' },
      secrets,
      // Signed per attempt, so that a retry carries a fresh X-Sdk-Date.
      sign: (outgoing) => {
        const signed = signRequest(outgoing, keys, (now ?? Date.now)());
        const signature = signatureOf(signed.Authorization ?? '');
        if (!secrets.includes(signature)) secrets.push(signature);
        return { headers: signed, secrets: [signature] };
      },
      mapError: (answer) => otcErrorFromResponse('IAM', 'list-projects', answer, secrets),
    });
    const body = response.json<{ projects?: unknown }>();
    const projects = Array.isArray(body?.projects) ? body.projects : [];
    const match = projects.find(
      (entry): entry is { id: string; name: string } =>
        typeof entry === 'object' &&
        entry !== null &&
        (entry as { name?: unknown }).name === project &&
        typeof (entry as { id?: unknown }).id === 'string',
    );
    if (!match) {
      throw new ConnectorError(
        'CREDENTIALS_INVALID',
        `The tenant of access key ${keys.accessKey} has no project named "${project}". Set the credential "project" to the name of one of its projects (the region, e.g. eu-de, or a sub-project such as eu-de_name) or to a project id.`,
        { problems: [{ key: 'project', message: `No project is named "${project}".` }] },
      );
    }
    return match.id;
  }
}

/**
 * Signs each attempt of a request (the client asks through the transport's `sign` hook, so a retry
 * carries a fresh X-Sdk-Date) and names its project; a refused signature is not worth a second try.
 */
export class AccessKeySigner implements Authenticator {
  readonly secrets: readonly string[];
  readonly #keys: AccessKeyPair;
  readonly #project: ProjectLookup;
  readonly #now: () => number;

  constructor(keys: AccessKeyPair, project: ProjectLookup, now: () => number = Date.now) {
    this.#keys = keys;
    this.#project = project;
    this.#now = now;
    this.secrets = [keys.secretKey];
  }

  async authorize(request: OutgoingRequest, signal?: AbortSignal): Promise<Authorization> {
    const projectId = await this.#project.id(signal);
    const signed = signRequest(
      {
        method: request.method,
        url: request.url,
        headers: { ...request.headers, 'x-project-id': projectId },
        body: request.body,
      },
      this.#keys,
      this.#now(),
    );
    const authorization = signed.Authorization ?? '';
    return {
      headers: {
        'x-project-id': projectId,
        'x-sdk-date': signed['X-Sdk-Date'] ?? '',
        authorization,
      },
      secrets: [signatureOf(authorization)],
    };
  }

  rejected(): boolean {
    // The same keys would sign the same way: a 401 stands.
    return false;
  }
}

function signatureOf(authorization: string): string {
  return /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
}
