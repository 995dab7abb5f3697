import type { Problem } from './errors.js';
import { redactUrl } from './redact.js';
import { didYouMean } from './suggest.js';

/**
 * Parameter and credential specs are plain serializable data: the server renders its forms from
 * them and core validates values against them, so a connector never writes validation by hand.
 */
export const FIELD_TYPES = ['string', 'url', 'integer', 'boolean', 'enum', 'secret'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type FieldValue = string | number | boolean;

export interface FieldSpec {
  /** Dotted lowercase key as SlipStream names it, e.g. `endpoint`, `quota.vm`, `service.region`. */
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly type: FieldType;
  readonly required?: boolean;
  readonly default?: FieldValue;
  /** The allowed values of an `enum` field. */
  readonly values?: readonly string[];
  /** Inclusive bounds of an `integer` field. */
  readonly min?: number;
  readonly max?: number;
  /**
   * Marks a value that must never be shown, logged or returned. Fields of type `secret` are always
   * secret; set this on other types (an API key id that is sensitive too, say) to hide them as well.
   */
  readonly secret?: boolean;
}

/** Instance parameters: set by the administrator per connector instance. */
export type ParameterSpec = FieldSpec;
/** Credentials: set by each user per connector instance. */
export type CredentialSpec = FieldSpec;

export type FieldValues = Readonly<Record<string, FieldValue>>;
export type Credentials = Readonly<Record<string, string>>;

export function isSecretField(spec: FieldSpec): boolean {
  return spec.type === 'secret' || spec.secret === true;
}

/** The instance parameters core adds to every connector. */
export const COMMON_PARAMETERS: readonly ParameterSpec[] = Object.freeze([
  {
    key: 'quota.vm',
    label: 'VM quota',
    description: 'Maximum number of VMs a user may run on this instance (overridable per user).',
    type: 'integer',
    default: 20,
    min: 0,
  },
  {
    key: 'max.iaas.workers',
    label: 'Maximum concurrent requests',
    description: 'Maximum number of requests in flight to this cloud at any moment.',
    type: 'integer',
    default: 5,
    min: 1,
    max: 1000,
  },
]);

export interface ValidationResult {
  readonly values: FieldValues;
  readonly problems: readonly Problem[];
}

export interface ValidateOptions {
  /** Word used in messages: "parameter" or "credential". */
  readonly subject?: string;
  /** Instance name, added to every problem. */
  readonly instance?: string;
}

/**
 * Validates and coerces raw values (strings from a configuration file, or typed JSON) against the
 * specs, applying defaults. Every problem is reported, never only the first; unknown keys are
 * problems too, with a did-you-mean, because a typo silently ignored is a setting silently lost.
 * Messages never contain the value of a secret field.
 */
export function validateFields(
  specs: readonly FieldSpec[],
  input: Readonly<Record<string, unknown>> | undefined,
  options: ValidateOptions = {},
): ValidationResult {
  const subject = options.subject ?? 'parameter';
  const values: Record<string, FieldValue> = {};
  const problems: Problem[] = [];
  const raw = input ?? {};
  const known = new Set(specs.map((spec) => spec.key));
  const problem = (key: string, message: string): void => {
    problems.push({
      key,
      message,
      ...(options.instance === undefined ? {} : { instance: options.instance }),
    });
  };
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    problem(
      '',
      `The ${subject}s must be an object of key/value pairs, got ${Array.isArray(input) ? 'an array' : typeof input}.`,
    );
    return { values: Object.freeze(values), problems };
  }

  for (const key of Object.keys(raw)) {
    if (known.has(key)) continue;
    const suggestion = didYouMean(key, known);
    problem(
      key,
      `Unknown ${subject} "${key}"${suggestion ? `: did you mean "${suggestion}"?` : '.'} Known ${subject}s: ${[...known].join(', ') || 'none'}.`,
    );
  }

  for (const spec of specs) {
    const given = Object.hasOwn(raw, spec.key) ? raw[spec.key] : undefined;
    if (given === undefined || given === null || given === '') {
      if (spec.default !== undefined) values[spec.key] = spec.default;
      else if (spec.required)
        problem(
          spec.key,
          `${capitalize(subject)} "${spec.key}" (${spec.label}) is required: ${spec.description}`,
        );
      continue;
    }
    const coerced = coerceField(spec, given);
    if (coerced.ok) values[spec.key] = coerced.value;
    else problem(spec.key, `${capitalize(subject)} "${spec.key}" (${spec.label}) ${coerced.reason}`);
  }
  return { values: Object.freeze(values), problems };
}

type Coerced =
  | { readonly ok: true; readonly value: FieldValue }
  | { readonly ok: false; readonly reason: string };

const ok = (value: FieldValue): Coerced => ({ ok: true, value });
const invalid = (reason: string): Coerced => ({ ok: false, reason });

/** How a rejected value is quoted: never a secret, never a URL's user info, never a throw. */
function quote(spec: FieldSpec, value: unknown): string {
  if (isSecretField(spec)) return 'the given value';
  if (typeof value === 'string') {
    return JSON.stringify(
      spec.type === 'url' ? redactUrl(value) : value.length > 80 ? `${value.slice(0, 80)}…` : value,
    );
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}

function coerceField(spec: FieldSpec, value: unknown): Coerced {
  const show = quote(spec, value);
  switch (spec.type) {
    case 'string':
    case 'secret':
      if (typeof value !== 'string') return invalid(`must be text, got ${typeof value}.`);
      return ok(value);
    case 'url': {
      if (typeof value !== 'string') return invalid(`must be a URL, got ${typeof value}.`);
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return invalid(`must be an absolute http(s) URL such as https://cloud.example.org/api, got ${show}.`);
      }
      if (url.username || url.password) {
        return invalid('must not embed a user name or password; use the credentials instead.');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return invalid(`must use http or https, got ${show}.`);
      }
      return ok(value);
    }
    case 'integer': {
      const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
        return invalid(`must be a whole number, got ${show}.`);
      }
      if (spec.min !== undefined && number < spec.min)
        return invalid(`must be at least ${spec.min}, got ${show}.`);
      if (spec.max !== undefined && number > spec.max)
        return invalid(`must be at most ${spec.max}, got ${show}.`);
      return ok(number);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return ok(value);
      const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      if (text === 'true') return ok(true);
      if (text === 'false') return ok(false);
      return invalid(`must be true or false, got ${show}.`);
    }
    case 'enum': {
      const allowed = spec.values ?? [];
      if (typeof value === 'string' && allowed.includes(value)) return ok(value);
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return invalid(
        `must be one of ${allowed.join(', ')}, got ${show}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
      );
    }
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
