import type { EC2Client } from '@aws-sdk/client-ec2';
import { ConnectorError, type HttpTransport } from '@slipstream/connector-core';
import type {
  HttpHandler,
  HttpHandlerOptions,
  HttpRequest as SdkRequest,
  HttpResponse as SdkResponse,
} from '@smithy/protocol-http';
import { errorFromResponse, type FaultReader, loadFaultReader } from './errors.js';
import type { AwsSettings } from './parameters.js';
import { type AwsCredentialIdentity, credentialSecrets, signedRequestSecrets } from './signing.js';

/** The AWS SDK's EC2 module, imported on the first session rather than when the definition loads. */
export type Ec2Sdk = typeof import('@aws-sdk/client-ec2');

let sdkModule: Promise<Ec2Sdk> | undefined;

/** Imports `@aws-sdk/client-ec2` once per process, when a session first needs it. */
export function importSdk(): Promise<Ec2Sdk> {
  sdkModule ??= import('@aws-sdk/client-ec2');
  return sdkModule;
}

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function queryString(query: SdkRequest['query']): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(item === null ? encode(name) : `${encode(name)}=${encode(item)}`);
    }
  }
  return parts.join('&');
}

/**
 * The text each answer's bytes were made from. The SDK wants an answer's body as bytes and decodes
 * them to text before parsing; the transport has decoded them already, and decoding a page of a
 * thousand instances again costs as much as a tenth of reading it.
 */
const answerTexts = new WeakMap<Uint8Array, string>();

/** The SDK's bytes-to-text step: the text the transport read for an answer's body, or a decoding. */
function answerText(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  return (
    answerTexts.get(input) ?? Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8')
  );
}

/**
 * The SDK's request handler, over the instance's core HTTP transport: the SDK builds and signs each
 * EC2 request (Signature Version 4) and reads each answer; the transport sends it, on the
 * instance's keep-alive pool, under its `max.iaas.workers` cap, with its timeouts, the caller's
 * AbortSignal, its retries and its secret scrubbing. Every EC2 call we make is safe to repeat (reads,
 * a RunInstances carrying a ClientToken, state changes), so each is marked idempotent. An error
 * answer becomes a ConnectorError here, from EC2's error body, so the SDK only ever reads successes.
 */
export class TransportRequestHandler implements HttpHandler {
  readonly #http: HttpTransport;
  readonly #secrets: readonly string[];
  readonly #readFault: FaultReader;

  constructor(http: HttpTransport, secrets: readonly string[], readFault: FaultReader) {
    this.#http = http;
    this.#secrets = secrets;
    this.#readFault = readFault;
  }

  async handle(request: SdkRequest, options?: HttpHandlerOptions): Promise<{ response: SdkResponse }> {
    const query = queryString(request.query);
    const port = request.port === undefined ? '' : `:${request.port}`;
    const url = `${request.protocol}//${request.hostname}${port}${request.path}${query ? `?${query}` : ''}`;
    const body =
      typeof request.body === 'string' || request.body instanceof Uint8Array ? request.body : undefined;
    const text =
      typeof body === 'string' ? body : body === undefined ? '' : Buffer.from(body).toString('utf8');
    const action =
      new URLSearchParams(text).get('Action') ?? new URLSearchParams(query).get('Action') ?? 'request';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      // undici computes the length of the body it sends.
      if (name.toLowerCase() !== 'content-length') headers[name] = value;
    }
    const secrets = [...this.#secrets, ...signedRequestSecrets(request.headers, query)];
    const response = await this.#http.request({
      method: request.method as 'GET' | 'POST',
      url,
      headers,
      body,
      idempotent: true,
      signal: options?.abortSignal as AbortSignal | undefined,
      secrets,
      mapError: (answer) => errorFromResponse(action, answer, this.#readFault, secrets),
    });
    const bytes = Buffer.from(response.body);
    answerTexts.set(bytes, response.body);
    return { response: { statusCode: response.status, headers: { ...response.headers }, body: bytes } };
  }

  updateHttpClientConfig(): void {
    // Timeouts and pooling are the transport's, set per instance by core.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

/** One user's EC2 API: the SDK client on the transport, and the SDK module to build commands from. */
export class AwsClient {
  readonly sdk: Ec2Sdk;
  readonly ec2: EC2Client;
  readonly region: string;

  private constructor(sdk: Ec2Sdk, ec2: EC2Client, region: string) {
    this.sdk = sdk;
    this.ec2 = ec2;
    this.region = region;
  }

  static async open(
    http: HttpTransport,
    settings: AwsSettings,
    identity: AwsCredentialIdentity,
  ): Promise<AwsClient> {
    const [sdk, readFault] = await Promise.all([importSdk(), loadFaultReader()]);
    const ec2 = new sdk.EC2Client({
      region: settings.region,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      credentials: { ...identity },
      requestHandler: new TransportRequestHandler(http, credentialSecrets(identity), readFault),
      utf8Encoder: answerText,
      // The transport retries (resets, 503 throttling, timeouts); the SDK must not multiply them.
      maxAttempts: 1,
      // Set here so that the SDK reads nothing of them from the environment or ~/.aws/config.
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    });
    return new AwsClient(sdk, ec2, settings.region);
  }

  /**
   * Runs one SDK call. A ConnectorError from the transport passes through; anything else the SDK
   * throws is an answer it could not read (a body that is not EC2's XML), CLOUD_ERROR without
   * quoting it.
   */
  async call<T>(action: string, send: (sdk: Ec2Sdk, ec2: EC2Client) => Promise<T>): Promise<T> {
    try {
      return await send(this.sdk, this.ec2);
    } catch (error) {
      if (ConnectorError.is(error)) throw error;
      const reason = error instanceof Error && error.name !== 'Error' ? ` (${error.name})` : '';
      throw new ConnectorError(
        'CLOUD_ERROR',
        `EC2 ${action} answered with a body that is not EC2's XML${reason}.`,
      );
    }
  }

  /** Every item of a paginated EC2 listing, following NextToken to the end. */
  async all<T>(
    action: string,
    page: (
      sdk: Ec2Sdk,
      ec2: EC2Client,
      token: string | undefined,
    ) => Promise<{ items: readonly T[]; next?: string | undefined }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const answer = await this.call(action, (sdk, ec2) => page(sdk, ec2, token));
      items.push(...answer.items);
      token = answer.next === '' ? undefined : answer.next;
      if (token !== undefined) {
        // A token seen before would loop forever; EC2 never sends one, a broken proxy might.
        if (seen.has(token))
          throw new ConnectorError('CLOUD_ERROR', `EC2 ${action} returned the same NextToken twice.`);
        seen.add(token);
      }
    } while (token !== undefined);
    return items;
  }

  close(): void {
    this.ec2.destroy();
  }
}
