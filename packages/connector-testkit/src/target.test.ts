import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS, resolveTarget } from './target.js';
import { fakeConnector } from './testing/fake-connector.js';

describe('resolveTarget', () => {
  const definition = fakeConnector();

  it('applies the defaults', () => {
    const resolved = resolveTarget(
      {
        definition,
        parameters: { endpoint: 'http://x.invalid' },
        credentials: { key: 'k', secret: 'good-secret' },
      },
      'unknown-id',
    );
    expect(resolved).toMatchObject({
      badCredentials: { key: 'k', secret: 'hppe-tfdsfu' },
      launch: {},
      timeoutMs: DEFAULT_TIMEOUT_MS,
      pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
      unknownVmId: 'unknown-id',
      teardown: undefined,
    });
  });

  it('keeps what the target sets', () => {
    const teardown = (): void => {};
    const resolved = resolveTarget(
      {
        definition,
        parameters: {},
        credentials: {},
        badCredentials: { key: 'x' },
        launch: { size: 'large' },
        timeoutMs: 5,
        pollIntervalMs: 1,
        unknownVmId: 'i-0000',
        teardown,
      },
      'unused',
    );
    expect(resolved).toMatchObject({
      badCredentials: { key: 'x' },
      launch: { size: 'large' },
      timeoutMs: 5,
      unknownVmId: 'i-0000',
    });
    expect(resolved.teardown).toBe(teardown);
  });

  it('refuses a malformed target, listing every problem', () => {
    expect(() =>
      resolveTarget(
        { definition: undefined, parameters: [], credentials: null, timeoutMs: -1 } as never,
        'x',
      ),
    ).toThrow(
      /"definition" must be[\s\S]*"parameters" must be[\s\S]*"credentials" must be[\s\S]*"timeoutMs" must be/,
    );
    expect(() => resolveTarget(undefined as never, 'x')).toThrow('must be an object, got undefined');
  });
});
