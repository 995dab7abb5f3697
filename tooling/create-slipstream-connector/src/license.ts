import { createRequire } from 'node:module';
import correctSpdx from 'spdx-correct';
import parseSpdx from 'spdx-expression-parse';

/**
 * The `--license` choices: any SPDX license expression (validated by spdx-expression-parse, the
 * parser npm itself uses for `license` fields), `UNLICENSED`, or `SEE LICENSE IN <file>` for terms
 * of your own; `proprietary` is short for `SEE LICENSE IN LICENSE`.
 */
export type ResolvedLicense =
  /** An SPDX expression, its ids in their canonical spelling. */
  | {
      readonly kind: 'spdx';
      readonly field: string;
      /** License ids as written (`MIT`, `GPL-2.0+`, `LicenseRef-Acme`), in order of appearance, once each. */
      readonly licenses: readonly string[];
      readonly exceptions: readonly string[];
      /** Ids deprecated by SPDX, each with the id SPDX names instead, when there is one. */
      readonly deprecated: readonly (readonly [id: string, replacement: string | undefined])[];
    }
  /** npm's word for "no license is granted". */
  | { readonly kind: 'unlicensed'; readonly field: 'UNLICENSED' }
  /** Terms of your own in a file of the package (npm's `SEE LICENSE IN <file>`). */
  | { readonly kind: 'file'; readonly field: string; readonly file: string };

export const DEFAULT_LICENSE = 'Apache-2.0';

const require = createRequire(import.meta.url);
const LICENSE_IDS = require('spdx-license-ids') as readonly string[];
const DEPRECATED_IDS = require('spdx-license-ids/deprecated.json') as readonly string[];
const EXCEPTION_IDS = require('spdx-exceptions') as readonly string[];

// SPDX matches ids case-insensitively; the parser does not, so each id is put in its canonical
// spelling first: `apache-2.0` is Apache-2.0, as it always was here.
const CANONICAL: ReadonlyMap<string, string> = new Map(
  [...LICENSE_IDS, ...DEPRECATED_IDS, ...EXCEPTION_IDS].map((id) => [id.toLowerCase(), id]),
);
const OPERATORS: ReadonlySet<string> = new Set(['AND', 'OR', 'WITH']);
const SEE_LICENSE_IN = /^SEE LICENSE IN (.+)$/i;
// A file at the package's root (so that it cannot land in src/ or dist/), named without characters
// a shell, a URL or a Markdown link would trip over.
const LICENSE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELP =
  'give an SPDX license id or expression (MIT, Apache-2.0, "MIT OR Apache-2.0"; the list: https://spdx.org/licenses/), UNLICENSED, or "SEE LICENSE IN <file>" (or proprietary) for terms of your own';

/**
 * Reads `--license`. `generated` lists the files the scaffold writes anyway, which a
 * `SEE LICENSE IN <file>` must not name. Pushes a problem and returns undefined when it is invalid.
 */
export function resolveLicense(
  value: unknown,
  generated: readonly string[],
  problems: string[],
): ResolvedLicense | undefined {
  if (value === undefined) return resolveLicense(DEFAULT_LICENSE, generated, problems);
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`The license (--license) is empty: ${HELP}.`);
    return undefined;
  }
  const given = value.trim();
  if (given.toLowerCase() === 'proprietary')
    return { kind: 'file', field: 'SEE LICENSE IN LICENSE', file: 'LICENSE' };
  if (given.toUpperCase() === 'UNLICENSED') return { kind: 'unlicensed', field: 'UNLICENSED' };
  const seeFile = SEE_LICENSE_IN.exec(given);
  if (seeFile !== null) {
    const file = (seeFile[1] ?? '').trim().replace(/^\.\//, '');
    if (!LICENSE_FILE.test(file)) {
      problems.push(
        `License "${given}" names ${JSON.stringify(file)}, which is not a file name at the package's root: give one such as LICENSE, LICENSE.md or TERMS.txt.`,
      );
      return undefined;
    }
    if (file !== 'LICENSE' && generated.includes(file)) {
      problems.push(
        `License "${given}" names ${file}, which the scaffold writes for something else: give another file, such as LICENSE.`,
      );
      return undefined;
    }
    return { kind: 'file', field: `SEE LICENSE IN ${file}`, file };
  }
  // The parser also takes `and`/`or`/`with`; core's classifyLicense, like the SPDX grammar, only
  // capitals, so they are written in capitals for the server to read the field as meant.
  const canonical = given.replace(/[A-Za-z0-9.-]+/g, (token) =>
    OPERATORS.has(token.toUpperCase()) ? token.toUpperCase() : (CANONICAL.get(token.toLowerCase()) ?? token),
  );
  let parsed: parseSpdx.Info;
  try {
    parsed = parseSpdx(canonical);
  } catch {
    problems.push(`License "${given}" is not a valid SPDX expression${suggestion(given)}: ${HELP}.`);
    return undefined;
  }
  const licenses: string[] = [];
  const exceptions: string[] = [];
  const walk = (node: parseSpdx.Info): void => {
    if ('conjunction' in node) {
      walk(node.left);
      walk(node.right);
      return;
    }
    const id = node.plus === true ? `${node.license}+` : node.license;
    if (!licenses.includes(id)) licenses.push(id);
    if (node.exception !== undefined && !exceptions.includes(node.exception)) exceptions.push(node.exception);
  };
  walk(parsed);
  const deprecated = licenses
    .filter((id) => DEPRECATED_IDS.includes(id.replace(/\+$/, '')))
    .map((id): [string, string | undefined] => {
      const replacement = correctSpdx(id);
      return [id, replacement !== null && replacement !== id ? replacement : undefined];
    });
  return { kind: 'spdx', field: canonical, licenses, exceptions, deprecated };
}

/** A hint for an expression the parser refused: spdx-correct's repair of a single id, if any. */
function suggestion(given: string): string {
  // spdx-correct repairs one id; given an expression it may return one of its parts, not a fix.
  if (/\s(?:AND|OR|WITH)\s|[()]/.test(given)) return '';
  let corrected: string | null;
  try {
    corrected = correctSpdx(given);
  } catch {
    corrected = null;
  }
  return corrected === null ? '' : ` (did you mean "${corrected}"?)`;
}

/** The SPDX page of a license or exception id (its name, text and references); `+` is dropped. */
export function spdxUrl(id: string): string {
  return `https://spdx.org/licenses/${id.replace(/\+$/, '')}.html`;
}

/** A `LicenseRef-` (or `DocumentRef-…:LicenseRef-`) id: a license of one's own, not on the SPDX list. */
export function isLicenseRef(id: string): boolean {
  return /(?:^|:)LicenseRef-/.test(id);
}
