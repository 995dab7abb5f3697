/**
 * The part of node-semver's range semantics a peer-dependency check needs: `||`, hyphen ranges,
 * `^`, `~`, comparators and x-ranges, with prereleases matching only a comparator on the same
 * major.minor.patch that has a prerelease itself. (semver is not resolvable from the workspace
 * root, and adding it as a dependency is not worth these few rules.)
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly (string | number)[];
}

type Operator = '<' | '<=' | '>' | '>=' | '=';

interface Comparator {
  readonly operator: Operator;
  readonly version: Version;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
// A partial version in a range: `1`, `1.2`, `1.x`, `*`, `1.2.3-beta.1`.
const PARTIAL =
  /^v?(\d+|[xX*])(?:\.(\d+|[xX*])(?:\.(\d+|[xX*])(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?)?)?$/;

/** Parses a full version (`1.2.3`, `1.2.3-rc.1`), or undefined when it is not one. */
export function parseVersion(text: string): Version | undefined {
  const match = VERSION.exec(text.trim());
  if (match === null) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: parsePrerelease(match[4]),
  };
}

function parsePrerelease(text: string | undefined): (string | number)[] {
  if (text === undefined) return [];
  return text.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** -1, 0 or 1, by semver precedence (build metadata ignored). */
export function compareVersions(a: Version, b: Version): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  // A version without prerelease ranks above the same version with one.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    // Numeric identifiers rank below alphanumeric ones.
    if (typeof x === 'number' && typeof y === 'string') return -1;
    if (typeof x === 'string' && typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Whether `version` satisfies `range`. Throws with the range in the message when it cannot be read,
 * so that a typo in a peer dependency is reported as such rather than as "out of range".
 */
export function satisfies(version: string, range: string): boolean {
  const parsed = parseVersion(version);
  if (parsed === undefined) throw new Error(`"${version}" is not a semver version (expected e.g. 1.2.3).`);
  return parseRange(range).some((set) => matchesSet(parsed, set));
}

/** Parses a range into its `||` alternatives, each a set of comparators that must all hold. */
export function parseRange(range: string): Comparator[][] {
  return range.split('||').map((alternative) => {
    const text = alternative.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1');
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    if (hyphen?.[1] !== undefined && hyphen[2] !== undefined) {
      return [...lowerBound('>=', hyphen[1], range), ...upperBound(hyphen[2], range)];
    }
    if (text === '') return [];
    return text.split(/\s+/).flatMap((part) => comparatorsOf(part, range));
  });
}

function matchesSet(version: Version, set: readonly Comparator[]): boolean {
  if (!set.every((comparator) => test(version, comparator))) return false;
  if (version.prerelease.length === 0) return true;
  // node-semver: a prerelease only matches when a comparator names the same tuple with a prerelease.
  return set.some(
    ({ version: bound }) =>
      bound.prerelease.length > 0 &&
      bound.major === version.major &&
      bound.minor === version.minor &&
      bound.patch === version.patch,
  );
}

function test(version: Version, { operator, version: bound }: Comparator): boolean {
  const order = compareVersions(version, bound);
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
  }
}

interface Partial {
  readonly major: number | undefined;
  readonly minor: number | undefined;
  readonly patch: number | undefined;
  readonly prerelease: (string | number)[];
}

function parsePartial(text: string, range: string): Partial {
  const match = PARTIAL.exec(text);
  if (match === null) {
    throw new Error(`"${range}" is not a semver range: cannot read "${text}" (expected e.g. ^1.2.0).`);
  }
  const number = (part: string | undefined): number | undefined =>
    part === undefined || /^[xX*]$/.test(part) ? undefined : Number(part);
  const major = number(match[1]);
  const minor = major === undefined ? undefined : number(match[2]);
  const patch = minor === undefined ? undefined : number(match[3]);
  return { major, minor, patch, prerelease: patch === undefined ? [] : parsePrerelease(match[4]) };
}

const version = (
  major: number,
  minor: number,
  patch: number,
  prerelease: (string | number)[] = [],
): Version => ({
  major,
  minor,
  patch,
  prerelease,
});

// `<0.0.0-0` matches nothing, which is what an impossible bound means.
const NOTHING: Comparator = { operator: '<', version: version(0, 0, 0, [0]) };

function comparatorsOf(part: string, range: string): Comparator[] {
  const match = /^(<=|>=|<|>|=|\^|~>?|)(.*)$/.exec(part);
  const operator = match?.[1] ?? '';
  const partial = parsePartial(match?.[2] ?? '', range);
  const { major, minor, patch, prerelease } = partial;
  switch (operator) {
    case '^': {
      if (major === undefined) return [];
      const low = version(major, minor ?? 0, patch ?? 0, prerelease);
      // The first non-zero part of the version is the one that may not change.
      let high: Version;
      if (major > 0 || minor === undefined) high = version(major + 1, 0, 0, [0]);
      else if (minor > 0 || patch === undefined) high = version(0, minor + 1, 0, [0]);
      else high = version(0, 0, patch + 1, [0]);
      return [
        { operator: '>=', version: low },
        { operator: '<', version: high },
      ];
    }
    case '~':
    case '~>': {
      if (major === undefined) return [];
      const low = version(major, minor ?? 0, patch ?? 0, prerelease);
      const high = minor === undefined ? version(major + 1, 0, 0, [0]) : version(major, minor + 1, 0, [0]);
      return [
        { operator: '>=', version: low },
        { operator: '<', version: high },
      ];
    }
    case '':
    case '=':
      return [...lowerBound('>=', match?.[2] ?? '', range), ...upperBound(match?.[2] ?? '', range)];
    case '>=':
    case '>':
      return lowerBound(operator, match?.[2] ?? '', range);
    default:
      return upperBoundWith(operator as '<' | '<=', partial);
  }
}

function lowerBound(operator: '>=' | '>', text: string, range: string): Comparator[] {
  const { major, minor, patch, prerelease } = parsePartial(text, range);
  if (major === undefined) return operator === '>' ? [NOTHING] : [];
  if (patch !== undefined) return [{ operator, version: version(major, minor ?? 0, patch, prerelease) }];
  // `>1.2` means `>=1.3.0`; `>=1.2` means `>=1.2.0`.
  if (operator === '>=') return [{ operator, version: version(major, minor ?? 0, 0) }];
  return [
    {
      operator: '>=',
      version: minor === undefined ? version(major + 1, 0, 0) : version(major, minor + 1, 0),
    },
  ];
}

/** The upper bound an x-range or full version as the right end of `a - b` (or alone) sets. */
function upperBound(text: string, range: string): Comparator[] {
  const { major, minor, patch, prerelease } = parsePartial(text, range);
  if (major === undefined) return [];
  if (patch !== undefined)
    return [{ operator: '<=', version: version(major, minor ?? 0, patch, prerelease) }];
  const high = minor === undefined ? version(major + 1, 0, 0, [0]) : version(major, minor + 1, 0, [0]);
  return [{ operator: '<', version: high }];
}

function upperBoundWith(operator: '<' | '<=', partial: Partial): Comparator[] {
  const { major, minor, patch, prerelease } = partial;
  if (major === undefined) return operator === '<' ? [NOTHING] : [];
  if (patch !== undefined) return [{ operator, version: version(major, minor ?? 0, patch, prerelease) }];
  if (operator === '<') return [{ operator, version: version(major, minor ?? 0, 0, [0]) }];
  // `<=1.2` takes every 1.2.x.
  const high = minor === undefined ? version(major + 1, 0, 0, [0]) : version(major, minor + 1, 0, [0]);
  return [{ operator: '<', version: high }];
}
