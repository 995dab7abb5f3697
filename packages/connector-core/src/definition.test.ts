import { describe, expect, it } from 'vitest';
import { checkDefinition } from './definition.js';

const valid = {
  name: 'demo',
  cloud: 'Demo Cloud',
  contract: 1,
  parameters: [{ key: 'endpoint', label: 'Endpoint', description: 'API URL.', type: 'url', required: true }],
  credentials: [{ key: 'secret', label: 'Secret', description: 'API secret.', type: 'secret' }],
  capabilities: { stopStart: true, zones: true, sshKeys: true, userData: true, tags: true },
  states: { up: 'running', down: 'stopped' },
  create: () => ({ session: () => ({}) }),
};

describe('checkDefinition', () => {
  it('accepts a complete definition', () => {
    expect(checkDefinition(valid)).toEqual([]);
  });

  it('rejects non-objects', () => {
    expect(checkDefinition(undefined)).toHaveLength(1);
    expect(checkDefinition(null)[0]).toMatch(/got null/);
  });

  it('lists every problem of a broken definition', () => {
    const problems = checkDefinition({
      ...valid,
      name: 'Demo Cloud',
      contract: '1',
      create: undefined,
      parameters: [
        { key: 'quota.vm', label: 'Quota', description: '', type: 'integer' },
        { key: 'zone', label: 'Zone', description: '', type: 'enum' },
        { key: 'zone', label: '', description: '', type: 'colour' },
      ],
      capabilities: { stopStart: 'yes' },
      states: { up: 'alive' },
    });
    expect(problems).toEqual([
      expect.stringMatching(/"name"/),
      expect.stringMatching(/"contract"/),
      expect.stringMatching(/"create"/),
      expect.stringMatching(/"quota.vm" is a common parameter/),
      expect.stringMatching(/"zone"\) is an enum without "values"/),
      expect.stringMatching(/"zone" is declared twice/),
      expect.stringMatching(/needs a label/),
      expect.stringMatching(/type colour/),
      expect.stringMatching(/capabilities.stopStart/),
      expect.stringMatching(/capabilities.zones/),
      expect.stringMatching(/capabilities.sshKeys/),
      expect.stringMatching(/capabilities.userData/),
      expect.stringMatching(/capabilities.tags/),
      expect.stringMatching(/"states.up" maps to "alive"/),
    ]);
  });
});
