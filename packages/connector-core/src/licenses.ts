/**
 * License classification for package.json `license` fields. A connector counts as open source only
 * when its license expression lets the user pick OSI-approved terms; anything we cannot read as such
 * (custom text, `UNLICENSED`, `LicenseRef-…`, typos) is treated as proprietary, the safe default.
 */

import { OSI_APPROVED_LICENSES } from './osi-licenses.js';

export interface LicenseInfo {
  /** The license as written (trimmed), or `(none)` / `(invalid)` when there is nothing usable. */
  readonly license: string;
  /** True when the expression can be satisfied with OSI-approved licenses only. */
  readonly openSource: boolean;
}

const NONE = '(none)';
const INVALID = '(invalid)';

// SPDX ids are case-insensitive, but the generated set keeps the canonical spelling.
const OSI_LOWERCASE: ReadonlySet<string> = new Set([...OSI_APPROVED_LICENSES].map((id) => id.toLowerCase()));

// SPDX operators are case-sensitive: `mit and isc` is not a valid expression.
const OPERATORS: ReadonlySet<string> = new Set(['AND', 'OR', 'WITH']);
// idstring from the SPDX grammar, optionally with the "or later" `+`, or a (Document)LicenseRef.
const LICENSE_ID = /^(?:[A-Za-z0-9.-]+\+?|(?:DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+)$/;
const EXCEPTION_ID = /^[A-Za-z0-9.-]+$/;

/** Classifies a package.json `license` field. */
export function classifyLicense(field: unknown): LicenseInfo {
  // The field comes from arbitrary package.json files (or hostile objects with throwing getters,
  // or absurdly deep parentheses); a bad license must never crash the caller.
  try {
    return classifyField(field);
  } catch {
    return { license: INVALID, openSource: false };
  }
}

function classifyField(field: unknown): LicenseInfo {
  if (field === undefined || field === null) return { license: NONE, openSource: false };
  if (typeof field === 'string') return classifyExpression(field);
  // Legacy `licenses: [{ type }]`: several licenses offered side by side, i.e. a choice.
  if (Array.isArray(field)) return classifyList(field);
  const type = legacyType(field);
  return type === undefined ? { license: INVALID, openSource: false } : classifyExpression(type);
}

/** The `type` of the legacy `{ "type": "MIT", "url": "…" }` form, if `value` has that shape. */
function legacyType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const type: unknown = (value as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function classifyList(items: readonly unknown[]): LicenseInfo {
  // Elements are strings or `{ type }` objects only; nested arrays are junk (and could be cyclic).
  const parts = items.map((item) => {
    const text = typeof item === 'string' ? item : legacyType(item);
    return text === undefined ? { license: INVALID, openSource: false } : classifyExpression(text);
  });
  if (parts.length === 0) return { license: NONE, openSource: false };
  // Parenthesise compound parts so the joined text reads as the OR it stands for.
  const license = parts
    .map((part) => (parts.length > 1 && /\s/.test(part.license) ? `(${part.license})` : part.license))
    .join(' OR ');
  return { license, openSource: parts.some((part) => part.openSource) };
}

function classifyExpression(text: string): LicenseInfo {
  const license = text.trim();
  if (license === '') return { license: NONE, openSource: false };
  return { license, openSource: evaluate(license) === true };
}

/**
 * Parses an SPDX license expression and returns whether it is open source, or undefined when it is
 * not a valid expression. Precedence, loosest first: OR, AND, WITH.
 */
function evaluate(expression: string): boolean | undefined {
  const tokens = expression.split(/(\(|\)|\s+)/).filter((token) => token.trim() !== '');
  let pos = 0;

  // An OR is open source if any branch is: the user may choose that branch.
  const parseOr = (): boolean | undefined => {
    let result = parseAnd();
    while (result !== undefined && tokens[pos] === 'OR') {
      pos++;
      const right = parseAnd();
      result = right === undefined ? undefined : result || right;
    }
    return result;
  };

  // An AND binds the user to every operand, so all of them must be open source.
  const parseAnd = (): boolean | undefined => {
    let result = parseTerm();
    while (result !== undefined && tokens[pos] === 'AND') {
      pos++;
      const right = parseTerm();
      result = right === undefined ? undefined : result && right;
    }
    return result;
  };

  const parseTerm = (): boolean | undefined => {
    const token = tokens[pos++];
    if (token === '(') {
      const inner = parseOr();
      return inner !== undefined && tokens[pos++] === ')' ? inner : undefined;
    }
    if (token === undefined || OPERATORS.has(token) || !LICENSE_ID.test(token)) return undefined;
    if (tokens[pos] === 'WITH') {
      pos++;
      const exception = tokens[pos++];
      if (exception === undefined || OPERATORS.has(exception) || !EXCEPTION_ID.test(exception))
        return undefined;
    }
    // An exception only grants extra permissions, so `X WITH exc` is as open as X.
    return isOsiApproved(token);
  };

  const result = parseOr();
  // Leftover tokens (`MIT MIT`, `MIT)`, `mit and isc`) mean the text was not one expression.
  return pos === tokens.length ? result : undefined;
}

function isOsiApproved(id: string): boolean {
  const lower = id.toLowerCase();
  // `X+` means "X or any later version", so X being approved is enough.
  return OSI_LOWERCASE.has(lower) || (lower.endsWith('+') && OSI_LOWERCASE.has(lower.slice(0, -1)));
}
