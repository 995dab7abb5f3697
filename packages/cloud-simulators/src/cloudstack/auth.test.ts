import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../model/clock.js';
import type { RunningSimulator } from '../server/simulator.js';
import { formatTzDate } from './dates.js';
import { CLOUDSTACK_API_PATH } from './frontend.js';
import { startCloudStack } from './index.js';
import { computeSignature, javaUrlEncode } from './signature.js';
import { callCloudStack } from './test-client.js';

const UNVERIFIED = 'unable to verify user credentials and/or request signature';

describe('CloudStack request verification', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  let sim: RunningSimulator;
  const other = { key: 'second-account-key', secret: 'second-account-secret' };

  beforeAll(async () => {
    sim = await startCloudStack({
      clock,
      accounts: [
        { key: 'main-key', secret: 'main-secret', name: 'alice' },
        { ...other, name: 'bob' },
      ],
    });
  });
  afterAll(() => sim.close());

  const expectRefused = (answer: { status: number; body: unknown }, envelope = 'listzonesresponse'): void => {
    expect(answer.status).toBe(401);
    // A failed signature check names the command's envelope but carries no cserrorcode.
    expect(answer.body).toEqual({ [envelope]: { uuidList: [], errorcode: 401, errortext: UNVERIFIED } });
  };

  it('accepts a correctly signed GET', async () => {
    const answer = await callCloudStack(sim, 'listZones');
    expect(answer.status).toBe(200);
    expect(answer.body.listzonesresponse.count).toBe(2);
  });

  it('accepts a correctly signed POST form, signed over body and query together', async () => {
    const answer = await callCloudStack(sim, 'listZones', { name: 'Zone-B' }, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.body.listzonesresponse.zone.map((z: { name: string }) => z.name)).toEqual(['Zone-B']);
  });

  it('accepts parameter names in any case and values with spaces and symbols', async () => {
    const params = new Map<string, string>([
      ['command', 'listTemplates'],
      ['templateFilter', 'featured'],
      ['keyword', 'Linux 9'],
      ['apiKey', 'main-key'],
      ['response', 'json'],
    ]);
    const signature = computeSignature('main-secret', params);
    const query = [...params, ['signature', signature]]
      .map(([name, value]) => `${name}=${javaUrlEncode(value as string)}`)
      .join('&');
    const response = await fetch(`${sim.url}${CLOUDSTACK_API_PATH}?${query}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { listtemplatesresponse: { template: { name: string }[] } };
    expect(body.listtemplatesresponse.template.every((t) => t.name === 'Rocky Linux 9')).toBe(true);
  });

  it('refuses a wrong secret, an unknown key, and a missing signature alike', async () => {
    expectRefused(await callCloudStack(sim, 'listZones', {}, { secret: 'wrong-secret' }));
    expectRefused(await callCloudStack(sim, 'listZones', {}, { key: 'no-such-key' }));
    expectRefused(await callCloudStack(sim, 'listZones', {}, { signature: '' }));
    // Another account's secret does not sign for this key.
    expectRefused(await callCloudStack(sim, 'listZones', {}, { secret: other.secret }));
  });

  it('refuses a request whose parameters changed after signing', async () => {
    const params = { command: 'listZones', response: 'json', apikey: 'main-key', name: 'Zone-A' };
    const signature = computeSignature('main-secret', Object.entries(params));
    const query = new URLSearchParams({ ...params, name: 'Zone-B', signature });
    const response = await fetch(`${sim.url}${CLOUDSTACK_API_PATH}?${query}`);
    expect(response.status).toBe(401);
  });

  it('checks signatureVersion=3 expiry against the cloud clock', async () => {
    const now = clock.now();
    expect((await callCloudStack(sim, 'listZones', {}, { expires: now + 60_000 })).status).toBe(200);
    expectRefused(await callCloudStack(sim, 'listZones', {}, { expires: now - 1000 }));
    expectRefused(await callCloudStack(sim, 'listZones', {}, { expires: 'next tuesday' }));
    // An ISO 8601 expiry with a colon offset is fine too.
    const iso = new Date(now + 60_000).toISOString().replace('Z', '+00:00');
    expect((await callCloudStack(sim, 'listZones', {}, { expires: iso })).status).toBe(200);
    clock.advance(120_000);
    expectRefused(await callCloudStack(sim, 'listZones', {}, { expires: formatTzDate(now + 60_000) }));
  });

  it('refuses signatureVersion=3 without expires', async () => {
    const params = { command: 'listZones', response: 'json', apikey: 'main-key', signatureversion: '3' };
    const query = new URLSearchParams({
      ...params,
      signature: computeSignature('main-secret', Object.entries(params)),
    });
    const response = await fetch(`${sim.url}${CLOUDSTACK_API_PATH}?${query}`);
    expect(response.status).toBe(401);
  });

  it('refuses expired and revoked keys until they are restored', async () => {
    sim.control.expireKey(other.key);
    expectRefused(await callCloudStack(sim, 'listZones', {}, other));
    sim.control.revokeKey(other.key);
    expectRefused(await callCloudStack(sim, 'listZones', {}, other));
    sim.control.restoreKey(other.key);
    expect((await callCloudStack(sim, 'listZones', {}, other)).status).toBe(200);
  });

  it('refuses a request without a command', async () => {
    const response = await fetch(
      `${sim.url}${CLOUDSTACK_API_PATH}?response=json&apikey=main-key&signature=x`,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errorresponse: { uuidList: [], errorcode: 401, errortext: UNVERIFIED },
    });
  });

  it('answers 432 for a command the account may not call, naming it', async () => {
    const answer = await callCloudStack(sim, 'listHosts');
    expect(answer.status).toBe(432);
    expect(answer.body).toEqual({
      errorresponse: {
        uuidList: [],
        errorcode: 432,
        cserrorcode: 9999,
        errortext: 'The API [listHosts] does not exist or is not available for the account alice.',
      },
    });
    // Command names are case-sensitive, as CloudStack's command map is.
    expect((await callCloudStack(sim, 'listzones')).status).toBe(432);
  });
});
