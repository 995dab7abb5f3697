import { describe, expect, it } from 'vitest';
import { attwFailures } from './attw-check.js';

describe('attwFailures', () => {
  it('ignores problems under require and node10 resolution (the packages are ESM only)', () => {
    const failures = attwFailures('@slipstream/x', {
      types: { kind: 'included' },
      problems: [
        { kind: 'CJSResolvesToESM', entrypoint: '.', resolutionKind: 'node16-cjs' },
        { kind: 'NoResolution', entrypoint: './sub', resolutionKind: 'node10' },
      ],
    });
    expect(failures).toEqual([]);
  });

  it('reports problems under ESM and bundler resolution, and problems of no resolution kind', () => {
    const failures = attwFailures('@slipstream/x', {
      types: { kind: 'included' },
      problems: [
        { kind: 'NoResolution', entrypoint: './sub', resolutionKind: 'node16-esm' },
        { kind: 'InternalResolutionError', fileName: '/node_modules/@slipstream/x/dist/index.d.ts' },
      ],
    });
    expect(failures.map((f) => f.problem)).toEqual([
      'NoResolution for entry point "./sub" under node16-esm resolution.',
      'InternalResolutionError for entry point "(any)" (/node_modules/@slipstream/x/dist/index.d.ts).',
    ]);
    expect(failures[0]).toMatchObject({ package: '@slipstream/x', check: 'attw' });
    expect(failures[0]?.fix).toContain('docs/problems/NoResolution.md');
  });

  it('reports a package without types', () => {
    expect(attwFailures('@slipstream/x', { types: false })).toEqual([
      expect.objectContaining({ problem: 'the package ships no types.' }),
    ]);
  });
});
