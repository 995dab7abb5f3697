import { describe, expect, it } from 'vitest';
import { ScaffoldError } from './errors.js';
import { displayName, resolveOptions, type ScaffoldOptions } from './options.js';

const cwd = '/work/space';

function problemsOf(options: ScaffoldOptions): readonly string[] {
  try {
    resolveOptions({ cwd, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ScaffoldError);
    expect((error as ScaffoldError).code).toBe('INVALID_OPTIONS');
    return (error as ScaffoldError).problems;
  }
  throw new Error('resolveOptions accepted the options');
}

describe('resolveOptions', () => {
  it('applies the defaults: unscoped package, Apache-2.0, display name from the name, directory under cwd', () => {
    const resolved = resolveOptions({ name: 'acme-cloud', cwd, year: 2030 });
    expect(resolved).toMatchObject({
      name: 'acme-cloud',
      packageName: 'slipstream-connector-acme-cloud',
      scope: undefined,
      license: { kind: 'spdx', field: 'Apache-2.0' },
      cloud: 'Acme Cloud',
      dir: '/work/space/slipstream-connector-acme-cloud',
      year: 2030,
    });
    expect(resolved.notes).toEqual([]);
  });

  it('names a @slipstream package @slipstream/connector-<name>, in ./connector-<name>, and accepts the scope without "@"', () => {
    const resolved = resolveOptions({ name: 'acme', scope: 'slipstream', cwd });
    expect(resolved.packageName).toBe('@slipstream/connector-acme');
    expect(resolved.dir).toBe('/work/space/connector-acme');
    expect(resolved.notes.join('\n')).toContain('"workspace:^"');
  });

  it.each(['@acmecorp', 'acmecorp', '@Acme!'])(
    'refuses the scope %j: the loader would never find the package by name',
    (scope) => {
      const [problem] = problemsOf({ name: 'acme', scope });
      expect(problem).toContain(`Scope "${scope}" cannot be used`);
      expect(problem).toContain(
        'the SlipStream loader finds connector "acme" only as @slipstream/connector-acme (SlipStream\'s own) or slipstream-connector-acme',
      );
      expect(problem).toContain('Leave out --scope: the package is then named slipstream-connector-acme');
    },
  );

  it('resolves --dir against cwd and keeps an absolute one', () => {
    expect(resolveOptions({ name: 'acme', dir: 'pkgs/acme', cwd }).dir).toBe('/work/space/pkgs/acme');
    expect(resolveOptions({ name: 'acme', dir: '/elsewhere/acme', cwd }).dir).toBe('/elsewhere/acme');
  });

  it('accepts proprietary in any case and a custom cloud name', () => {
    const resolved = resolveOptions({
      name: 'acme',
      license: 'Proprietary',
      cloud: '  Acme  Cloud (EU)  ',
      cwd,
    });
    expect(resolved.license).toEqual({ kind: 'file', field: 'SEE LICENSE IN LICENSE', file: 'LICENSE' });
    expect(resolved.cloud).toBe('Acme Cloud (EU)');
  });

  it.each([
    ['Apache-2.0', 'Apache-2.0', ['Apache-2.0']],
    ['apache-2.0', 'Apache-2.0', ['Apache-2.0']],
    ['MIT', 'MIT', ['MIT']],
    ['mit', 'MIT', ['MIT']],
    ['MPL-2.0', 'MPL-2.0', ['MPL-2.0']],
    ['CC-BY-4.0', 'CC-BY-4.0', ['CC-BY-4.0']],
    ['(mit OR apache-2.0)', '(MIT OR Apache-2.0)', ['MIT', 'Apache-2.0']],
    ['mit or apache-2.0', 'MIT OR Apache-2.0', ['MIT', 'Apache-2.0']],
    [
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      ['GPL-2.0-or-later'],
    ],
    ['LicenseRef-Acme-Terms', 'LicenseRef-Acme-Terms', ['LicenseRef-Acme-Terms']],
  ])('accepts the SPDX expression %j as %j', (license, field, licenses) => {
    expect(resolveOptions({ name: 'acme', license, cwd }).license).toMatchObject({
      kind: 'spdx',
      field,
      licenses,
    });
  });

  it('accepts UNLICENSED and SEE LICENSE IN <file>', () => {
    expect(resolveOptions({ name: 'acme', license: 'UNLICENSED', cwd }).license).toEqual({
      kind: 'unlicensed',
      field: 'UNLICENSED',
    });
    expect(resolveOptions({ name: 'acme', license: 'SEE LICENSE IN TERMS.md', cwd }).license).toEqual({
      kind: 'file',
      field: 'SEE LICENSE IN TERMS.md',
      file: 'TERMS.md',
    });
  });

  it('notes an SPDX id that SPDX has deprecated, with the current one', () => {
    const { license, notes } = resolveOptions({ name: 'acme', license: 'GPL-2.0', cwd });
    expect(license.field).toBe('GPL-2.0');
    expect(notes.join('\n')).toContain(
      'SPDX has deprecated the license id GPL-2.0; the current one is GPL-2.0-only',
    );
  });

  it.each([
    [
      'Acme-Public-License',
      'License "Acme-Public-License" is not a valid SPDX expression: give an SPDX license id or expression (MIT, Apache-2.0, "MIT OR Apache-2.0"; the list: https://spdx.org/licenses/), UNLICENSED, or "SEE LICENSE IN <file>"',
    ],
    ['gpl', 'License "gpl" is not a valid SPDX expression (did you mean "GPL-3.0-or-later"?)'],
    ['apache 2', '(did you mean "Apache-2.0"?)'],
    ['MIT OR Acme-1.0', 'License "MIT OR Acme-1.0" is not a valid SPDX expression: give'],
    ['SEE LICENSE IN ../terms.txt', "is not a file name at the package's root"],
    ['SEE LICENSE IN README.md', 'names README.md, which the scaffold writes for something else'],
    [' ', 'The license (--license) is empty'],
  ])('refuses the license %j, saying how to fix it', (license, message) => {
    const [problem] = problemsOf({ name: 'acme', license });
    expect(problem).toContain(message);
  });

  it.each([
    ['Acme_Cloud', '"Acme_Cloud" is not valid', 'e.g. "acme-cloud"'],
    ['acme--cloud', '"acme--cloud" is not valid', 'kebab-case'],
    ['-acme', '"-acme" is not valid', 'e.g. "acme"'],
    ['slipstream-connector-acme', 'is a package name', '("acme")'],
    ['@acme/connector-foo', 'is a package name', '("foo")'],
    ['core', '"core" is reserved', 'Choose another name, e.g. "core-cloud"'],
    ['testkit', '"testkit" is reserved', 'SlipStream library'],
    ['aws', '"aws" is reserved', "SlipStream's own Amazon EC2 connector (@slipstream/connector-aws)"],
    ['aws', 'which the loader picks over slipstream-connector-aws', 'e.g. "aws-acme"'],
    ['openstack', '"openstack" is reserved', '"acme-openstack"'],
    ['local', '"local" is reserved', '@slipstream/connector-local'],
    ['', 'A connector name is required', 'acme-cloud'],
  ])('refuses the name %j, naming it and saying how to fix it', (name, what, fix) => {
    const [problem] = problemsOf({ name });
    expect(problem).toContain(what);
    expect(problem).toContain(fix);
  });

  it('refuses a bad scope, license and cloud name, reporting every problem at once', () => {
    const problems = problemsOf({
      name: 'Bad Name',
      scope: '@Acme!',
      license: 'gpl',
      cloud: "Bob's {cloud}",
    });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('"Bad Name"');
    expect(problems[1]).toContain('Scope "@Acme!" cannot be used');
    expect(problems[2]).toContain('License "gpl" is not a valid SPDX expression');
    expect(problems[3]).toContain('Cloud display name "Bob\'s {cloud}" is not valid');
  });

  it('refuses an empty --dir, a relative cwd and a package name npm would refuse', () => {
    expect(problemsOf({ name: 'acme', dir: ' ' })[0]).toContain('--dir');
    expect(() => resolveOptions({ name: 'acme', cwd: 'relative' })).toThrow(/absolute path/);
    expect(problemsOf({ name: `a${'-b'.repeat(100)}` })[0]).toContain('npm allows 214');
  });

  it("accepts a catalog name for SlipStream's own package only", () => {
    const resolved = resolveOptions({ name: 'aws', scope: '@slipstream', cwd });
    expect(resolved.packageName).toBe('@slipstream/connector-aws');
  });

  it('derives display names word by word', () => {
    expect(displayName('acme-cloud-2')).toBe('Acme Cloud 2');
  });
});
