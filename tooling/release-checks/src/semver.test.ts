import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, satisfies } from './semver.js';

describe('satisfies', () => {
  it.each([
    ['1.0.0', '^1.0.0', true],
    ['1.9.3', '^1.0.0', true],
    ['2.0.0', '^1.0.0', false],
    ['0.9.9', '^1.0.0', false],
    ['0.2.5', '^0.2.0', true],
    ['0.3.0', '^0.2.0', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['1.0.0', '>=1.0.0 <2', true],
    ['2.0.0', '>=1.0.0 <2', false],
    ['1.0.0', '>1.0.0', false],
    ['1.5.0', '1.x', true],
    ['2.0.0', '1.x', false],
    ['1.2.7', '1.2', true],
    ['3.1.4', '*', true],
    ['3.1.4', '', true],
    ['1.0.0', '1.0.0', true],
    ['1.0.1', '=1.0.0', false],
    ['1.5.0', '1.0.0 - 1.9.9', true],
    ['2.0.0', '1.0.0 - 1.9', false],
    ['2.5.0', '^1.0.0 || ^2.0.0', true],
    ['1.0.0', '<=1.0', true],
    ['1.1.0', '<=1.0', false],
    ['1.1.0-rc.1', '^1.0.0', false],
    ['1.1.0-rc.2', '>=1.1.0-rc.1 <2', true],
    ['1.1.0', '>=1.1.0-rc.1', true],
    ['2.0.0-0', '^1.0.0', false],
  ])('%s in %s → %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('names the range it cannot read', () => {
    expect(() => satisfies('1.0.0', '^one')).toThrow('"^one" is not a semver range');
    expect(() => satisfies('1.0.0', 'workspace:^')).toThrow('workspace:^');
  });

  it('names the version it cannot read', () => {
    expect(() => satisfies('latest', '^1.0.0')).toThrow('"latest" is not a semver version');
  });
});

describe('compareVersions', () => {
  const order = [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.1.0',
    '2.0.0',
  ];

  it('orders versions by semver precedence (the semver.org example list)', () => {
    const parsed = order.map((text) => parseVersion(text));
    for (let i = 1; i < parsed.length; i++) {
      const [a, b] = [parsed[i - 1], parsed[i]];
      if (a === undefined || b === undefined) throw new Error('unparsed');
      expect(compareVersions(a, b), `${order[i - 1]} < ${order[i]}`).toBe(-1);
      expect(compareVersions(b, a)).toBe(1);
    }
  });

  it('ignores build metadata', () => {
    const a = parseVersion('1.0.0+build.1');
    const b = parseVersion('1.0.0+build.2');
    if (a === undefined || b === undefined) throw new Error('unparsed');
    expect(compareVersions(a, b)).toBe(0);
  });
});
