import { describe, expect, it } from 'vitest';
import { runDemo } from './run-demo.js';

const fast = { 'boot.delay.ms': 30, 'halt.delay.ms': 30 };
const from = new URL('..', import.meta.url);

describe('runDemo', () => {
  it('loads local,lab2:local through the loader and takes a VM through its life on each instance', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      connectors: 'local,lab2:local',
      from,
      parameters: { local: fast, lab2: fast },
      credentials: () => ({ key: 'demo', secret: 'demo-secret' }),
      write: (line) => lines.push(line),
      pollIntervalMs: 5,
    });
    expect(result.failures).toEqual([]);
    for (const instance of ['local', 'lab2']) {
      const states = result.states[instance] ?? [];
      expect(states[0]).toBe('pending');
      expect(states).toContain('running');
      expect(states.at(-1)).toBe('terminated');
      expect(states.indexOf('running')).toBeLessThan(states.indexOf('terminated'));
    }
    expect(lines.filter((line) => line.includes('@slipstream/connector-local@'))).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/every instance launched, ran and terminated a VM/);
  });

  it('reports a broken entry and bad credentials without stopping the other instances', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      connectors: 'local,lab2:local,lab3:locl',
      from,
      parameters: { local: fast, lab2: fast },
      credentials: (instance) => ({
        key: 'demo',
        secret: instance === 'lab2' ? 'wrong-secret' : 'demo-secret',
      }),
      write: (line) => lines.push(line),
      pollIntervalMs: 5,
    });
    expect(result.states.local?.at(-1)).toBe('terminated');
    expect(result.failures).toHaveLength(2);
    expect(result.failures.join('\n')).toMatch(/did you mean "local"/);
    expect(result.failures.join('\n')).toMatch(/lab2: AUTH_FAILED/);
    expect(lines.join('\n')).not.toContain('wrong-secret');
  });
});
