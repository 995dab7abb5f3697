import { type RunningExoscale, startExoscale } from '@slipstream/cloud-simulators/exoscale';
import { createHttpTransport, type HttpTransport } from '@slipstream/connector-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExoscaleClient } from './client.js';

describe('ExoscaleClient', () => {
  let sim: RunningExoscale;
  let http: HttpTransport;
  /** The Authorization header of each request the simulator received, oldest first. */
  const seen: string[] = [];
  /** Each time the client read the clock: one signature each. */
  const times: number[] = [];
  let clock = 0;

  const client = (): ExoscaleClient =>
    new ExoscaleClient({
      http,
      endpoint: `${sim.url}/v2`,
      key: sim.credentials.key,
      secret: sim.credentials.secret,
      signatureValiditySeconds: 300,
      now: () => {
        // A minute passes between two signatures: a retry must not reuse an earlier expiry.
        clock += 60_000;
        times.push(clock);
        return clock;
      },
    });

  beforeAll(async () => {
    sim = await startExoscale();
    http = createHttpTransport({ backoffBaseMs: 1, backoffMaxMs: 2 });
  });
  afterAll(async () => {
    await http.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.control.clearFaults();
    sim.control.clearRequests();
    seen.length = 0;
    times.length = 0;
    clock = Date.now();
    // Never hits: it only records what each request carried.
    sim.control.failWithStatus(599, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        seen.push(String(request.headers.authorization));
        return false;
      },
    });
  });

  it('signs each request with the EXO2-HMAC-SHA256 scheme, expiring the configured time after now', async () => {
    await client().json({ operation: 'list-zones', method: 'GET', path: '/zone' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(
      new RegExp(
        `^EXO2-HMAC-SHA256 credential=${sim.credentials.key},expires=${Math.floor((times[0] ?? 0) / 1000) + 300},signature=[A-Za-z0-9+/]+=*$`,
      ),
    );
  });

  it('signs a retried request afresh, with a later expiry', async () => {
    // Refuses the first signature it sees, and that signature only, every time it comes back.
    let first: string | undefined;
    sim.control.failWithStatus(503, {
      times: Number.POSITIVE_INFINITY,
      match: (request) => {
        const authorization = String(request.headers.authorization);
        first ??= authorization;
        return authorization === first;
      },
    });
    const data = await client().json<{ zones: unknown[] }>({
      operation: 'list-zones',
      method: 'GET',
      path: '/zone',
    });
    expect(data.zones.length).toBeGreaterThan(0);
    expect(sim.control.requests.map((request) => request.status)).toEqual([503, 200]);
    const expiries = seen.map((header) => /expires=(\d+)/.exec(header)?.[1]);
    expect(expiries).toEqual(times.map((time) => String(Math.floor(time / 1000) + 300)));
    expect(new Set(expiries).size).toBe(2);
  });

  it('signs the query parameters and the JSON body it sends', async () => {
    await client().json({
      operation: 'list-templates',
      method: 'GET',
      path: '/template',
      query: { visibility: 'public' },
    });
    expect(seen[0]).toContain('signed-query-args=visibility,');
    const answer = await client().call({
      operation: 'register-ssh-key',
      method: 'POST',
      path: '/ssh-key',
      body: { name: 'k', 'public-key': 'not a key' },
      acceptStatus: [400],
    });
    // The body was signed: a bad signature is 403; this is the refusal of the key itself.
    expect(answer.status).toBe(400);
    expect(answer.error?.message).toMatch(/public key is not in OpenSSH format/);
  });
});
