import { describe, expect, it } from 'vitest';
import { classifyLicense } from './licenses.js';
import { OSI_APPROVED_LICENSES } from './osi-licenses.js';

describe('OSI_APPROVED_LICENSES', () => {
  it('contains common OSI-approved ids, including deprecated ones', () => {
    for (const id of [
      'MIT',
      'Apache-2.0',
      'ISC',
      'BSD-3-Clause',
      'MPL-2.0',
      'GPL-2.0',
      'GPL-2.0+',
      'LGPL-2.1',
    ]) {
      expect(OSI_APPROVED_LICENSES.has(id), id).toBe(true);
    }
  });

  it('excludes source-available and non-OSI licenses', () => {
    for (const id of ['SSPL-1.0', 'BUSL-1.1', 'Elastic-2.0', 'CC-BY-NC-4.0', 'JSON', 'UNLICENSED']) {
      expect(OSI_APPROVED_LICENSES.has(id), id).toBe(false);
    }
  });
});

describe('classifyLicense', () => {
  it.each([
    ['Apache-2.0', 'Apache-2.0'],
    ['MIT', 'MIT'],
    ['apache-2.0', 'apache-2.0'],
    ['(MIT OR Apache-2.0)', '(MIT OR Apache-2.0)'],
    ['GPL-2.0-only WITH Classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['MPL-2.0+', 'MPL-2.0+'],
    ['LicenseRef-Proprietary OR MIT', 'LicenseRef-Proprietary OR MIT'],
    ['ISC AND (MIT OR BUSL-1.1)', 'ISC AND (MIT OR BUSL-1.1)'],
    ['  MIT  ', 'MIT'],
  ])('%j is open source', (field, license) => {
    expect(classifyLicense(field)).toEqual({ license, openSource: true });
  });

  it.each([
    'SEE LICENSE IN LICENSE',
    'UNLICENSED',
    'MIT AND LicenseRef-Foo',
    'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
    'BUSL-1.1',
    'SSPL-1.0',
    'Elastic-2.0',
    'MIT OR',
    '((MIT)',
    'MIT)',
    '()',
    'MIT and Apache-2.0',
    'mit or apache-2.0',
    'MIT WITH',
    '(MIT) WITH Classpath-exception-2.0',
    'MIT, Apache-2.0',
  ])('%j is proprietary', (field) => {
    expect(classifyLicense(field)).toEqual({ license: field, openSource: false });
  });

  it('reports missing or blank fields as (none)', () => {
    expect(classifyLicense(undefined)).toEqual({ license: '(none)', openSource: false });
    expect(classifyLicense(null)).toEqual({ license: '(none)', openSource: false });
    expect(classifyLicense('')).toEqual({ license: '(none)', openSource: false });
    expect(classifyLicense('   ')).toEqual({ license: '(none)', openSource: false });
    expect(classifyLicense([])).toEqual({ license: '(none)', openSource: false });
  });

  it('treats values of the wrong type as proprietary without throwing', () => {
    for (const field of [42, true, {}, { type: 7 }, [[{ type: 'MIT' }]], Symbol('x')]) {
      expect(classifyLicense(field).openSource).toBe(false);
    }
    const hostile = {
      get type(): string {
        throw new Error('boom');
      },
    };
    expect(classifyLicense(hostile)).toEqual({ license: '(invalid)', openSource: false });
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(classifyLicense(cyclic).openSource).toBe(false);
    // Deep enough to overflow a recursive parser's stack.
    expect(() => classifyLicense(`${'('.repeat(100_000)}MIT${')'.repeat(100_000)}`)).not.toThrow();
  });

  it('accepts the legacy { type } object', () => {
    expect(classifyLicense({ type: 'MIT', url: 'https://opensource.org/licenses/MIT' })).toEqual({
      license: 'MIT',
      openSource: true,
    });
    expect(classifyLicense({ type: 'UNLICENSED' })).toEqual({ license: 'UNLICENSED', openSource: false });
  });

  it('treats the legacy licenses array as a choice between its entries', () => {
    expect(classifyLicense([{ type: 'MIT' }])).toEqual({ license: 'MIT', openSource: true });
    expect(classifyLicense([{ type: 'BUSL-1.1' }, { type: 'Apache-2.0' }])).toEqual({
      license: 'BUSL-1.1 OR Apache-2.0',
      openSource: true,
    });
    expect(classifyLicense([{ type: 'MIT AND LicenseRef-X' }, 'SSPL-1.0'])).toEqual({
      license: '(MIT AND LicenseRef-X) OR SSPL-1.0',
      openSource: false,
    });
  });
});
