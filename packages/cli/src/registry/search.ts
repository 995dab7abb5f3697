import { classifyLicense, connectorNameOf, redactUrl } from '@slipstream/connector-core';
import { Agent, request, errors as undiciErrors } from 'undici';
import { EXIT } from '../command.js';
import { CliError } from '../errors.js';

/**
 * Finding connector packages in an npm registry. Registries differ in what their search endpoint
 * understands (Verdaccio does not index keywords; npmjs.org does), so we ask several broad queries,
 * merge the answers by name and filter locally, then read each package's packument for the facts
 * search results may lack or abbreviate (the latest version's license).
 */

export interface FoundConnector {
  readonly name: string;
  /** The connector name the package implements, when its name says it; null for keyword-only finds. */
  readonly connector: string | null;
  readonly version: string;
  readonly license: string;
  readonly openSource: boolean;
  readonly description: string;
}

export interface SearchOptions {
  readonly term?: string | undefined;
  /** Per request: connecting, waiting for the headers, and between body chunks. */
  readonly timeoutMs?: number | undefined;
  /** Per request, from sending it to the end of the body: a registry dripping bytes is given up on. */
  readonly deadlineMs?: number | undefined;
  /** Per answer: more is not a registry's search result or package document but a runaway body. */
  readonly maxBodyBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export const CONNECTOR_KEYWORD = 'slipstream-connector';
const QUERIES = ['slipstream-connector', '@slipstream/connector', `keywords:${CONNECTOR_KEYWORD}`];
const PREFIXED = /^(?:@slipstream\/connector-|slipstream-connector-)/;
const SEARCH_SIZE = 250;
// npm package names, upper case allowed for old packages. A registry's answer becomes a URL path,
// so `//other.host/x` or `../x` must never get through.
const PACKAGE_NAME = /^(?:@[A-Za-z0-9][A-Za-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~-]*$/;

interface SearchHit {
  readonly name: string;
  readonly keywords: readonly string[];
  readonly description: string;
  readonly version: string | undefined;
}

export async function searchConnectors(
  registry: string,
  options: SearchOptions = {},
): Promise<FoundConnector[]> {
  const timeout = options.timeoutMs ?? 30_000;
  const agent = new Agent({ connect: { timeout }, headersTimeout: timeout, bodyTimeout: timeout });
  const client = new RegistryClient(registry, agent, {
    signal: options.signal,
    deadlineMs: options.deadlineMs ?? 4 * timeout,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
  });
  try {
    const term = options.term?.trim() ?? '';
    const queries = term === '' ? QUERIES : [...QUERIES, term];
    const answers = await Promise.all(queries.map((text) => client.search(text)));
    const hits = new Map<string, SearchHit>();
    for (const hit of answers.flat())
      if (!hits.has(hit.name) && isConnectorPackage(hit)) hits.set(hit.name, hit);
    const wanted = [...hits.values()].filter((hit) => matchesTerm(hit, term));
    const found = await Promise.all(wanted.map((hit) => client.details(hit)));
    return found.filter((item) => item !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    await agent.close();
  }
}

/** Connector packages by name, or by keyword unless the name is one of core's own (core, testkit). */
function isConnectorPackage(hit: SearchHit): boolean {
  if (!PACKAGE_NAME.test(hit.name)) return false;
  if (connectorNameOf(hit.name) !== undefined) return true;
  return !PREFIXED.test(hit.name) && hit.keywords.includes(CONNECTOR_KEYWORD);
}

function matchesTerm(hit: SearchHit, term: string): boolean {
  if (term === '') return true;
  const needle = term.toLowerCase();
  return [hit.name, hit.description, connectorNameOf(hit.name) ?? '', ...hit.keywords].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

class RegistryClient {
  /** The registry as shown to the user: credentials in the URL are never printed. */
  private readonly shown: string;

  constructor(
    private readonly registry: string,
    private readonly agent: Agent,
    private readonly limits: {
      readonly signal: AbortSignal | undefined;
      readonly deadlineMs: number;
      readonly maxBodyBytes: number;
    },
  ) {
    this.shown = redactUrl(registry);
  }

  async search(text: string): Promise<SearchHit[]> {
    const url = new URL(`-/v1/search?text=${encodeURIComponent(text)}&size=${SEARCH_SIZE}`, this.registry);
    const body = await this.get(url);
    const objects = isRecord(body) ? body.objects : undefined;
    if (!Array.isArray(objects)) throw this.garbage('search result', url);
    return objects.map((item: unknown) => {
      const pkg = isRecord(item) ? item.package : undefined;
      if (!isRecord(pkg) || typeof pkg.name !== 'string' || pkg.name === '')
        throw this.garbage('search result', url);
      return {
        name: pkg.name,
        keywords: Array.isArray(pkg.keywords)
          ? pkg.keywords.filter((k): k is string => typeof k === 'string')
          : [],
        description: typeof pkg.description === 'string' ? pkg.description : '',
        version: typeof pkg.version === 'string' ? pkg.version : undefined,
      };
    });
  }

  /** The latest version's facts from the packument; undefined when the registry no longer has it. */
  async details(hit: SearchHit): Promise<FoundConnector | undefined> {
    // Scoped names keep the @ and encode the slash: `@slipstream%2fconnector-aws`.
    const url = new URL(hit.name.replace('/', '%2f'), this.registry);
    const body = await this.get(url, { notFound: 'undefined' });
    if (body === undefined) return undefined;
    if (!isRecord(body) || !isRecord(body.versions))
      throw this.garbage(`package document for ${hit.name}`, url);
    const tags = isRecord(body['dist-tags']) ? body['dist-tags'] : {};
    const latest = typeof tags.latest === 'string' ? tags.latest : hit.version;
    const manifest = latest !== undefined && isRecord(body.versions[latest]) ? body.versions[latest] : {};
    const { license, openSource } = classifyLicense(manifest.license ?? manifest.licenses ?? body.license);
    const description = [manifest.description, body.description, hit.description].find(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    return {
      name: hit.name,
      connector: connectorNameOf(hit.name) ?? null,
      version: latest ?? '(none)',
      license,
      openSource,
      description: description ?? '',
    };
  }

  private async get(url: URL, options: { notFound?: 'undefined' } = {}): Promise<unknown> {
    const shownUrl = redactUrl(url);
    const deadline = AbortSignal.timeout(this.limits.deadlineMs);
    const { signal: interrupt } = this.limits;
    const signal = interrupt === undefined ? deadline : AbortSignal.any([interrupt, deadline]);
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, {
        dispatcher: this.agent,
        headers: { accept: 'application/json' },
        signal,
      });
    } catch (error) {
      throw this.unreachable(error, deadline);
    }
    let text: string | undefined;
    try {
      text = await readAtMost(response.body, this.limits.maxBodyBytes);
    } catch (error) {
      throw this.unreachable(error, deadline);
    }
    if (text === undefined) {
      throw new CliError(
        EXIT.EXTERNAL,
        'REGISTRY_BAD_ANSWER',
        `The registry at ${this.shown} answered more than ${this.limits.maxBodyBytes} bytes to GET ${shownUrl}, more than any npm registry answer. Check that --registry names an npm registry.`,
      );
    }
    if (response.statusCode === 404 && options.notFound === 'undefined') return undefined;
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new CliError(
        EXIT.EXTERNAL,
        'REGISTRY_HTTP_ERROR',
        `The registry at ${this.shown} answered HTTP ${response.statusCode} to GET ${shownUrl}. Check the registry URL (--registry) and that the registry works.`,
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.garbage('search result', url);
    }
  }

  private garbage(what: string, url: URL): CliError {
    return new CliError(
      EXIT.EXTERNAL,
      'REGISTRY_BAD_ANSWER',
      `The registry at ${this.shown} answered something that is not a ${what} (GET ${redactUrl(url)}). Check that --registry names an npm registry.`,
    );
  }

  private unreachable(error: unknown, deadline: AbortSignal): CliError {
    if (this.limits.signal?.aborted) return new CliError(EXIT.INTERRUPTED, 'INTERRUPTED', 'Interrupted.');
    if (
      deadline.aborted ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError
    ) {
      return new CliError(
        EXIT.EXTERNAL,
        'REGISTRY_TIMEOUT',
        `The registry at ${this.shown} did not answer in time. Check the network or try again later.`,
      );
    }
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    return new CliError(
      EXIT.EXTERNAL,
      'REGISTRY_UNREACHABLE',
      `Cannot reach the registry at ${this.shown}${code ? ` (${code})` : ''}. Check the URL (--registry, npm_config_registry or .npmrc) and the network.`,
    );
  }
}

/** The body as text, or undefined (and the connection dropped) once it passes `maxBytes`. */
async function readAtMost(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
