import type { ConnectorDefinition } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { plainDataProblems, secretMarkingProblems, stateTableProblems } from './definition-checks.js';
import { fakeConnector } from './testing/fake-connector.js';

const field = (key: string, type: 'string' | 'secret', secret?: boolean) => ({
  key,
  label: key,
  description: key,
  type,
  ...(secret === undefined ? {} : { secret }),
});

describe('secretMarkingProblems', () => {
  it('accepts secrets marked by type or by flag, and ordinary keys', () => {
    const credentials = [
      field('key', 'string'),
      field('secret', 'secret'),
      field('api.token', 'string', true),
    ];
    expect(secretMarkingProblems({ credentials })).toEqual([]);
  });

  it.each(['password', 'secret.key', 'auth.token', 'private.key', 'privatekey', 'passphrase'])(
    'reports "%s" when it is not marked secret',
    (key) => {
      expect(secretMarkingProblems({ credentials: [field(key, 'string')] })).toEqual([
        expect.stringContaining(`credential "${key}" looks secret but is not marked`),
      ]);
    },
  );

  it('tolerates a definition whose credentials are not an array (checkDefinition reports that)', () => {
    expect(secretMarkingProblems({ credentials: undefined as never })).toEqual([]);
  });
});

describe('plainDataProblems', () => {
  it('accepts a well-formed definition', () => {
    expect(plainDataProblems(fakeConnector())).toEqual([]);
  });

  it('reports each value JSON would drop or change, with its path', () => {
    class Spec {
      key = 'x';
    }
    const cyclic: Record<string, unknown> = { key: 'loop' };
    cyclic.self = cyclic;
    const definition = {
      name: 'x',
      cloud: 'X',
      contract: Number.NaN,
      parameters: [{ key: 'a', check: () => true }, new Spec(), cyclic],
      credentials: [{ key: 'b', values: ['one', undefined], max: Number.POSITIVE_INFINITY }],
      capabilities: { tags: true, when: new Date(0) },
      states: { UP: 'running', sym: Symbol('x'), big: 1n, json: { toJSON: () => 'x' } },
    } as unknown as Partial<ConnectorDefinition>;
    expect(plainDataProblems(definition)).toEqual([
      'contract is NaN, which JSON turns into null',
      'parameters[0].check is a function, which JSON drops; specs must be plain data',
      'parameters[1] is a Spec, not a plain object; JSON would not give it back unchanged',
      'parameters[2].self refers back to itself, which JSON cannot encode',
      'credentials[0].values[1] is missing, which JSON turns into null',
      'credentials[0].max is Infinity, which JSON turns into null',
      'capabilities.when is a Date, not a plain object; JSON would not give it back unchanged',
      'states.sym is a symbol, which JSON drops',
      'states.big is a BigInt, which JSON cannot encode',
      'states.json has a toJSON method, so its JSON form differs from it',
    ]);
  });

  it('accepts objects without a prototype and undefined optional fields', () => {
    const states = Object.assign(Object.create(null) as object, { UP: 'running' });
    expect(plainDataProblems({ states, parameters: [{ key: 'a', default: undefined }] } as never)).toEqual(
      [],
    );
  });
});

describe('stateTableProblems', () => {
  it('accepts a table of normalized states', () => {
    expect(stateTableProblems({ UP: 'running', DOWN: 'stopped' })).toEqual([]);
  });

  it('reports states that are not normalized, naming the allowed ones', () => {
    expect(stateTableProblems({ UP: 'running', REBOOTING: 'rebooting', X: 4 })).toEqual([
      expect.stringMatching(
        /^native state "REBOOTING" maps to "rebooting"; use one of pending, running, .*unknown$/,
      ),
      expect.stringMatching(/^native state "X" maps to 4;/),
    ]);
  });

  it('reports an empty or missing table', () => {
    expect(stateTableProblems({})).toEqual([expect.stringContaining('"states" is empty')]);
    expect(stateTableProblems(undefined)).toEqual([expect.stringContaining('must be an object')]);
    expect(stateTableProblems(['running'])).toEqual([expect.stringContaining('must be an object')]);
  });
});
