import { describe, expect, it } from 'vitest';
import { FilterError, matches, parseFilter } from './fiql.js';

const record = (attributes: Record<string, string | undefined>) => ({ attributes });
const REFS = new Set(['vdc', 'container']);
const VDC = 'http://127.0.0.1:1/api/vdc/3d9ae28c-1de9-4307-8107-9356ff8ba6d0';

describe('FIQL filters', () => {
  it('reads constraints, AND (;) over OR (,), parentheses and quoted values', () => {
    expect(parseFilter('name==a;isVAppTemplate==false')).toEqual({
      kind: 'and',
      parts: [
        { kind: 'test', attribute: 'name', op: '==', value: 'a' },
        { kind: 'test', attribute: 'isVAppTemplate', op: '==', value: 'false' },
      ],
    });
    expect(parseFilter('a==1,b==2;c==3')).toMatchObject({
      kind: 'or',
      parts: [{ kind: 'test' }, { kind: 'and' }],
    });
    expect(parseFilter('(a==1,b==2);c=ge=3')).toMatchObject({
      kind: 'and',
      parts: [{ kind: 'or' }, { op: '=ge=' }],
    });
    expect(parseFilter('name=="a;b"')).toEqual({ kind: 'test', attribute: 'name', op: '==', value: 'a;b' });
  });

  it('refuses what is not FIQL', () => {
    for (const text of ['name', 'name=~x', '(name==a', 'name==a)', '==a']) {
      expect(() => parseFilter(text), text).toThrow(FilterError);
    }
  });

  it('matches exact values, * wildcards, booleans, numbers and != ', () => {
    const vm = record({ name: 'web-01', isVAppTemplate: 'false', numberOfCpus: '4', status: 'POWERED_ON' });
    const test = (filter: string) => matches(parseFilter(filter), vm, REFS);
    expect(test('name==web-01')).toBe(true);
    expect(test('name==web-0')).toBe(false);
    expect(test('name==web*')).toBe(true);
    expect(test('name==*01')).toBe(true);
    expect(test('name==w*b-0?')).toBe(false);
    expect(test('isVAppTemplate==FALSE')).toBe(true);
    expect(test('numberOfCpus=gt=2;numberOfCpus=le=4')).toBe(true);
    expect(test('numberOfCpus=lt=10')).toBe(true);
    expect(test('status!=POWERED_OFF;status!=UNRESOLVED')).toBe(true);
    expect(test('name==nope,status==POWERED_ON')).toBe(true);
    expect(test('missing==x')).toBe(false);
  });

  it('matches a reference by href, URN or bare uuid', () => {
    const vm = record({ vdc: VDC });
    for (const value of [
      VDC,
      'urn:vcloud:vdc:3d9ae28c-1de9-4307-8107-9356ff8ba6d0',
      '3D9AE28C-1de9-4307-8107-9356ff8ba6d0',
    ]) {
      expect(matches(parseFilter(`vdc==${value}`), vm, REFS), value).toBe(true);
    }
    expect(matches(parseFilter('vdc==urn:vcloud:vdc:00000000-1de9-4307-8107-9356ff8ba6d0'), vm, REFS)).toBe(
      false,
    );
  });
});
