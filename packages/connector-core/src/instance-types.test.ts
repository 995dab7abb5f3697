import { describe, expect, it } from 'vitest';
import { ConnectorError } from './errors.js';
import { findInstanceType, instanceTypeSize, parseInstanceTypes } from './instance-types.js';

describe('parseInstanceTypes', () => {
  it('reads name=cpus:memoryMiB pairs in order, spaces around them allowed', () => {
    expect(parseInstanceTypes('micro=1:512, small=1:2048,large=4:8192')).toEqual([
      { name: 'micro', cpus: 1, memoryMb: 512 },
      { name: 'small', cpus: 1, memoryMb: 2048 },
      { name: 'large', cpus: 4, memoryMb: 8192 },
    ]);
  });

  it.each([
    ['small=1:2048,small=2:4096', 'names "small" twice'],
    ['small=1', '"small=1", which is not name=CPUs:memoryMiB'],
    ['small=0:2048', '"small=0:2048"'],
    ['small=1:0', '"small=1:0"'],
    ['=1:512', '"=1:512"'],
    ['', '""'],
  ])('refuses "%s", naming the parameter and the pair', (value, message) => {
    let caught: unknown;
    try {
      parseInstanceTypes(value, 'sizes');
    } catch (error) {
      caught = error;
    }
    expect(ConnectorError.hasCode(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('Parameter "sizes"');
    expect((caught as Error).message).toContain(message);
  });
});

describe('findInstanceType and instanceTypeSize', () => {
  const types = parseInstanceTypes('small=1:2048,large=4:8192');

  it('finds a type by name and shows it as a size', () => {
    expect(instanceTypeSize(findInstanceType(types, 'large'))).toEqual({
      id: 'large',
      name: 'large',
      cpus: 4,
      memoryMb: 8192,
    });
  });

  it('refuses another name INVALID_REQUEST, listing the ones offered', () => {
    expect(() => findInstanceType(types, 'huge')).toThrow(
      'Size "huge" is not one of this instance\'s instance types: small, large.',
    );
  });
});
