import type { SimRequest } from '../server/frontend.js';
import { API_ERROR, CloudStackApiError } from './errors.js';

/**
 * The parameters of one API request, merged the way CloudStack's ApiServlet merges them: the
 * form body of a POST (`application/x-www-form-urlencoded`) first, then the query string, whose
 * values win (its `utf8Fixup` re-reads the query and overwrites, keeping the last of repeated
 * names). The body of any other request is not read, as a servlet container does not read it.
 */
export class ApiParams {
  /** Names as the client sent them: the signature covers these. */
  readonly raw: ReadonlyMap<string, string>;
  /** The same parameters under lowercased names: commands read these (ParamUnpackWorker). */
  readonly #lower: Map<string, string>;

  constructor(raw: ReadonlyMap<string, string>) {
    this.raw = raw;
    this.#lower = new Map();
    for (const [name, value] of raw) this.#lower.set(name.toLowerCase(), value);
  }

  /** A parameter by name, case-insensitively; undefined when absent. */
  get(name: string): string | undefined {
    return this.#lower.get(name.toLowerCase());
  }

  /** Whether a parameter is present, as a plain value or as a map (`name[0].field=...`). */
  has(name: string): boolean {
    const lower = name.toLowerCase();
    if (this.#lower.has(lower)) return true;
    for (const key of this.#lower.keys()) if (key.startsWith(`${lower}[`)) return true;
    return false;
  }

  /** Lowercased names of every parameter. */
  names(): string[] {
    return [...this.#lower.keys()];
  }

  /**
   * A map parameter such as `tags[0].key=a&tags[0].value=b`, as a list of records ordered by
   * index, field names lowercased. A name with two index groups is CloudStack's 430
   * MALFORMED_PARAMETER_ERROR.
   */
  map(name: string): Array<Record<string, string>> {
    const prefix = `${name.toLowerCase()}[`;
    const groups = new Map<number, Record<string, string>>();
    for (const [key, value] of this.#lower) {
      if (!key.startsWith(prefix)) continue;
      const match = /^[^[\]]+\[(\d+)\]\.([^[\]]+)$/.exec(key);
      if (!match) {
        throw new CloudStackApiError(
          API_ERROR.MALFORMED_PARAMETER_ERROR,
          `Unable to decode parameter ${key}; if specifying an object array, please use parameter[index].field=XXX, e.g. userGroupList[0].group=httpGroup`,
        );
      }
      const index = Number(match[1]);
      const group = groups.get(index) ?? {};
      group[match[2] as string] = value;
      groups.set(index, group);
    }
    return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
  }
}

/** Reads a request's parameters as ApiServlet does (see {@link ApiParams}). */
export function readParams(request: SimRequest): ApiParams {
  const merged = new Map<string, string>();
  if (request.method === 'POST' && isFormBody(request)) {
    for (const [name, value] of new URLSearchParams(request.body)) {
      // The servlet's parameter map gives the first value of a repeated name.
      if (!merged.has(name)) merged.set(name, value);
    }
  }
  for (const [name, value] of request.url.searchParams) merged.set(name, value);
  return new ApiParams(merged);
}

function isFormBody(request: SimRequest): boolean {
  const type = request.headers['content-type'];
  // Servlet containers parse a POST body as parameters only when it is declared as a form.
  return type?.toLowerCase().startsWith('application/x-www-form-urlencoded') === true;
}

/** The `command` parameter, read the way ApiServlet reads it: by its exact, lowercase name. */
export function commandOf(params: ApiParams): string | undefined {
  return params.raw.get('command');
}
