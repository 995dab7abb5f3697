import { describe, expect, it } from 'vitest';
import { startDemoClouds } from './demo-clouds.js';
import { runDemo } from './run-demo.js';

const from = new URL('..', import.meta.url);

describe('startDemoClouds', () => {
  it('runs EC2, CloudStack, Exoscale, OpenNebula, NuvlaBox, OpenStack, OTC and vCloud instances through the loader against their simulators', async () => {
    const connectors = 'aws,cloudstack,exo2:exoscale,opennebula,nuvlabox,openstack,otc,vcloud';
    const clouds = await startDemoClouds(connectors, {
      bootDelayMs: 30,
      haltDelayMs: 30,
      pollIntervalMs: 10,
    });
    try {
      expect(clouds.started).toEqual([
        expect.stringMatching(/^Amazon EC2 simulator at http:\/\/127\.0\.0\.1:\d+$/),
        expect.stringMatching(/^CloudStack API simulator at http:\/\/127\.0\.0\.1:\d+\/client\/api$/),
        expect.stringMatching(/^Exoscale API v2 simulator at http:\/\/127\.0\.0\.1:\d+\/v2$/),
        expect.stringMatching(/^OpenNebula XML-RPC simulator at http:\/\/127\.0\.0\.1:\d+\/RPC2$/),
        expect.stringMatching(
          /^NuvlaBox \(OpenNebula\) simulator at http:\/\/127\.0\.0\.1:\d+\/one-proxy\/xmlrpc$/,
        ),
        expect.stringMatching(/^OpenStack simulator, Keystone at http:\/\/127\.0\.0\.1:\d+\/identity\/v3$/),
        expect.stringMatching(/^Open Telekom Cloud simulator, IAM at http:\/\/127\.0\.0\.1:\d+\/v3$/),
        expect.stringMatching(/^VMware Cloud Director simulator at http:\/\/127\.0\.0\.1:\d+$/),
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
      for (const instance of [
        'aws',
        'cloudstack',
        'exo2',
        'opennebula',
        'nuvlabox',
        'openstack',
        'otc',
        'vcloud',
      ]) {
        expect(result.states[instance]?.at(-1), instance).toBe('terminated');
      }
      expect(lines.join('\n')).toMatch(
        /exo2 +Exoscale — @slipstream\/connector-exoscale@[\d.]+ \(SEE LICENSE IN LICENSE, proprietary\)/,
      );
    } finally {
      await clouds.close();
    }
    // Eight simulators, eight clouds through a launch each, and the AWS SDK imported on the way.
  }, 60_000);

  it('starts no simulator for a list without those clouds, and gives local instances the demo account', async () => {
    const clouds = await startDemoClouds('local,lab2:local');
    expect(clouds.started).toEqual([]);
    expect(clouds.parameters).toEqual({});
    expect(clouds.credentials('lab2')).toEqual({ key: 'demo', secret: 'demo-secret' });
    await clouds.close();
  });
});
