import { describe, expect, it } from 'vitest';
import { startDemoClouds } from './demo-clouds.js';
import { runDemo } from './run-demo.js';

const from = new URL('..', import.meta.url);

describe('startDemoClouds', () => {
  it('runs CloudStack and Exoscale instances through the loader against their simulators', async () => {
    const connectors = 'cloudstack,exo2:exoscale';
    const clouds = await startDemoClouds(connectors, {
      bootDelayMs: 30,
      haltDelayMs: 30,
      pollIntervalMs: 10,
    });
    try {
      expect(clouds.started).toEqual([
        expect.stringMatching(/^CloudStack API simulator at http:\/\/127\.0\.0\.1:\d+\/client\/api$/),
        expect.stringMatching(/^Exoscale API v2 simulator at http:\/\/127\.0\.0\.1:\d+\/v2$/),
      ]);
      const lines: string[] = [];
      const result = await runDemo({
        connectors,
        from,
        parameters: clouds.parameters,
        credentials: clouds.credentials,
        write: (line) => lines.push(line),
        pollIntervalMs: 10,
      });
      expect(result.failures).toEqual([]);
      expect(result.states.cloudstack?.at(-1)).toBe('terminated');
      expect(result.states.exo2?.at(-1)).toBe('terminated');
      expect(lines.join('\n')).toMatch(
        /exo2 +Exoscale — @slipstream\/connector-exoscale@[\d.]+ \(SEE LICENSE IN LICENSE, proprietary\)/,
      );
    } finally {
      await clouds.close();
    }
  });

  it('starts no simulator for a list without those clouds, and gives local instances the demo account', async () => {
    const clouds = await startDemoClouds('local,lab2:local');
    expect(clouds.started).toEqual([]);
    expect(clouds.parameters).toEqual({});
    expect(clouds.credentials('lab2')).toEqual({ key: 'demo', secret: 'demo-secret' });
    await clouds.close();
  });
});
