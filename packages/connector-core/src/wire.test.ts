import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Vm } from './contract.js';
import type { Logger } from './logger.js';
import { readId, readVms, WireReader } from './wire.js';

describe('readId', () => {
  it('reads a string as is and an integer as its decimal string', () => {
    expect(readId('i-123')).toBe('i-123');
    expect(readId(12065)).toBe('12065');
    expect(readId(0)).toBe('0');
    for (const bad of ['', 1.5, Number.NaN, 2 ** 60, null, undefined, {}, [], true])
      expect(readId(bad)).toBeUndefined();
  });

  it('reads every safe integer as the same text JSON gives it', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(readId(n)).toBe(JSON.stringify(n));
      }),
    );
  });
});

describe('WireReader', () => {
  it('reads documented shapes and notes, by path, each field present with another', () => {
    const wire = new WireReader({
      id: 42,
      name: 'web',
      count: '3',
      ready: 'true',
      status: 7,
      nested: { ok: 'yes', when: {} },
      tags: { a: 'b', c: 1 },
      list: 'nope',
      gone: null,
    });
    expect(wire.id('id')).toBe('42');
    expect(wire.string('name')).toBe('web');
    expect(wire.number('count')).toBe(3);
    expect(wire.boolean('ready')).toBe(true);
    expect(wire.string('status')).toBeUndefined();
    const nested = wire.object('nested');
    expect(nested?.string('ok')).toBe('yes');
    expect(nested?.string('when')).toBeUndefined();
    expect(wire.strings('tags')).toEqual({ a: 'b' });
    expect(wire.list('list')).toEqual([]);
    expect(wire.string('gone')).toBeUndefined();
    expect(wire.string('absent')).toBeUndefined();
    expect(wire.unread).toEqual(['status', 'nested.when', 'tags.c', 'list']);
  });

  it('never throws, whatever the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, key) => {
        const wire = new WireReader(value);
        wire.id(key);
        wire.string(key);
        wire.number(key);
        wire.boolean(key);
        wire.object(key)?.string(key);
        wire.list(key);
        wire.strings(key);
      }),
    );
  });
});

function recordingLogger(): Logger & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const ignore = () => {};
  return { debug: ignore, info: ignore, error: ignore, warn: (...args) => warnings.push(args), warnings };
}

const toVm = (wire: WireReader): Vm => {
  const status = wire.string('status') ?? '';
  return {
    id: wire.id('id') ?? '',
    name: wire.string('name') ?? '',
    state: status === 'ACTIVE' ? 'running' : 'unknown',
    rawState: status,
    publicIps: [],
    privateIps: [],
    tags: wire.strings('metadata'),
  };
};

describe('readVms', () => {
  it('keeps an item with an unreadable field as unknown, leaves out one without an id, and warns once naming the fields', () => {
    const logger = recordingLogger();
    const items = [
      { id: 'a', name: 'ok', status: 'ACTIVE' },
      { id: 12065, name: 'old nova', status: 'ACTIVE' },
      { id: 'b', name: 'odd', status: 'ACTIVE', metadata: { team: 5 } },
      { name: 'no id', status: 'ACTIVE' },
      'not an object',
    ];
    const vms = readVms(items, toVm, { logger, what: 'Nova list-servers-detail' });
    expect(vms.map((vm) => [vm.id, vm.state])).toEqual([
      ['a', 'running'],
      ['12065', 'running'],
      ['b', 'unknown'],
    ]);
    expect(vms[2]).toMatchObject({ name: 'odd', rawState: 'ACTIVE', tags: {} });
    expect(logger.warnings).toHaveLength(1);
    const [fields, message] = logger.warnings[0] as [Record<string, unknown>, string];
    expect(fields).toMatchObject({
      listing: 'Nova list-servers-detail',
      unknownState: 1,
      vms: ['b'],
      leftOut: 2,
    });
    expect(fields.fields).toEqual(expect.arrayContaining(['metadata.team', 'id']));
    expect(message).toContain('metadata.team');
  });

  it('keeps an item the reader fails on as an unknown VM with its id and name', () => {
    const logger = recordingLogger();
    const vms = readVms(
      [{ id: 'x', name: 'boom' }],
      () => {
        throw new Error('cannot map');
      },
      { logger, what: 'list' },
    );
    expect(vms).toEqual([
      { id: 'x', name: 'boom', state: 'unknown', rawState: '', publicIps: [], privateIps: [], tags: {} },
    ]);
    expect(String(logger.warnings[0]?.[1])).toContain('cannot map');
  });

  it('lists thousands of items whatever they hold, never failing the listing', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 50 }), (items) => {
        const vms = readVms(items, toVm, { logger: recordingLogger(), what: 'list' });
        for (const vm of vms) expect(vm.id).not.toBe('');
      }),
    );
  });
});
