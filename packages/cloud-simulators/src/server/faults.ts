import type { SimRequest } from './frontend.js';

/**
 * Fault rules: each matches requests (all, one operation, or a predicate) a number of times and
 * changes what happens to them. Rules are checked in the order they were added.
 */

/** An operation name (e.g. `deployVirtualMachine`), or a predicate over the request. */
export type FaultMatch = string | ((request: FaultRequest) => boolean);

export interface FaultRequest extends SimRequest {
  readonly operation: string;
}

export interface FaultOptions {
  /** How many matching requests the fault hits; default 1, `Infinity` for every one. */
  readonly times?: number | undefined;
  /** Which requests; default all. */
  readonly match?: FaultMatch | undefined;
}

export type Fault =
  | { readonly kind: 'latency'; readonly delayMs: number }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'reset'; readonly afterHandling: boolean }
  | { readonly kind: 'malformed' };

interface Rule {
  readonly fault: Fault;
  readonly match: FaultMatch | undefined;
  remaining: number;
}

export class FaultRules {
  #rules: Rule[] = [];

  add(fault: Fault, options: FaultOptions = {}): void {
    const times = options.times ?? 1;
    if (!(times > 0)) throw new RangeError(`A fault must hit at least one request; got times=${times}.`);
    this.#rules.push({ fault, match: options.match, remaining: times });
  }

  /** The faults that hit this request (at most one of each kind), counting them down. */
  take(request: FaultRequest): Fault[] {
    const hits: Fault[] = [];
    const kinds = new Set<Fault['kind']>();
    for (const rule of this.#rules) {
      if (kinds.has(rule.fault.kind) || !matches(rule.match, request)) continue;
      kinds.add(rule.fault.kind);
      hits.push(rule.fault);
      rule.remaining -= 1;
    }
    this.#rules = this.#rules.filter((rule) => rule.remaining > 0);
    return hits;
  }

  clear(): void {
    this.#rules = [];
  }

  get size(): number {
    return this.#rules.length;
  }
}

function matches(match: FaultMatch | undefined, request: FaultRequest): boolean {
  if (match === undefined) return true;
  if (typeof match === 'string') return match.toLowerCase() === request.operation.toLowerCase();
  return match(request);
}
