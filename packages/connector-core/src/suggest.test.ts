import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['aws', 'aws', 0],
    ['aws', 'awz', 1],
    ['alpah', 'alpha', 1],
    ['openstak', 'openstack', 1],
    ['kitten', 'sitting', 3],
    ['', 'otc', 3],
  ])('%j → %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('didYouMean', () => {
  const names = ['aws', 'cloudstack', 'exoscale', 'opennebula', 'openstack', 'otc', 'nuvlabox', 'vcloud'];

  it.each([
    ['cloudstak', 'cloudstack'],
    ['OpenStack', 'openstack'],
    ['exoscal', 'exoscale'],
    ['vclod', 'vcloud'],
    ['nuvla', 'nuvlabox'],
  ])('suggests %j for %j', (input, expected) => {
    expect(didYouMean(input, names)).toBe(expected);
  });

  it('suggests nothing for a name that is not close to any', () => {
    expect(didYouMean('azure', names)).toBeUndefined();
    expect(didYouMean('x', names)).toBeUndefined();
  });

  it('accepts any iterable, including a one-shot generator', () => {
    function* generate(): Generator<string> {
      yield* names;
    }
    expect(didYouMean('opennebul', generate())).toBe('opennebula');
  });
});
