import type { Session } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import type { CredentialSet } from '../store/types.js';
import { SessionCache } from './sessions.js';

type Sources = ConstructorParameters<typeof SessionCache>[0];

describe('SessionCache', () => {
  it('opens a new session for credentials saved again within the same millisecond', async () => {
    const updatedAt = '2026-01-01T00:00:00.000Z';
    let saved: CredentialSet = {
      userId: 'u1',
      instance: 'local',
      updatedAt,
      values: { key: { kind: 'plain', value: 'alice' }, secret: { kind: 'secret', blob: 'sealed-1' } },
    };
    const opened: Record<string, unknown>[] = [];
    const closed: Record<string, unknown>[] = [];
    const sources = {
      store: { getCredentials: async () => saved },
      box: { open: (blob: string) => `opened(${blob})` },
      registry: {
        has: () => true,
        instances: [],
        instance: () => ({
          session: async (values: Record<string, unknown>) => {
            opened.push(values);
            return { close: async () => void closed.push(values) } as unknown as Session;
          },
        }),
      },
    } as unknown as Sources;
    const cache = new SessionCache(sources);
    const first = await cache.open('u1', 'local');
    expect((await cache.open('u1', 'local')).session).toBe(first.session);
    // Saved again with a new secret, the clock not having moved: a sealed value is never the same twice.
    saved = { ...saved, values: { ...saved.values, secret: { kind: 'secret', blob: 'sealed-2' } } };
    const second = await cache.open('u1', 'local');
    expect(second.session).not.toBe(first.session);
    expect(opened.map((values) => values.secret)).toEqual(['opened(sealed-1)', 'opened(sealed-2)']);
    await cache.close();
    expect(closed.map((values) => values.secret)).toEqual(['opened(sealed-1)', 'opened(sealed-2)']);
  });
});
