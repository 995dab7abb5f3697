import { ConnectorError, createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { AccountBook, parseAccounts } from './accounts.js';
import { createLocalConnector } from './connector.js';
import { ALICE, BOB, launchRequest, openLocal } from './testing/fixtures.js';

function configError(value: string): ConnectorError {
  try {
    parseAccounts(value);
  } catch (error) {
    if (ConnectorError.is(error)) return error;
    throw error;
  }
  throw new Error(`parseAccounts accepted ${value}`);
}

describe('parseAccounts', () => {
  it('reads key:secret pairs, trimming blanks and keeping colons inside secrets', () => {
    expect(parseAccounts(' alice : s3cret , bob:with:colons')).toEqual([
      { key: 'alice', secret: 's3cret' },
      { key: 'bob', secret: 'with:colons' },
    ]);
  });

  it.each([
    ['no colon', 'carol-topsecret', 'entry 1 has no ":"'],
    ['an empty key', ':topsecret', 'entry 1 has an empty key'],
    ['an empty secret', 'carol:', 'entry 1 has an empty secret'],
    ['an empty entry', 'carol:topsecret,', 'entry 2 is empty'],
    ['a duplicate key', 'carol:topsecret,carol:othersecret', 'entries 1 and 2 have the same key'],
  ])('refuses %s with CONFIG_INVALID, naming the entry but not its text', (_, value, expected) => {
    const error = configError(value);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(expected);
    expect(error.message).not.toContain('topsecret');
    expect(error.message).not.toContain('othersecret');
    expect(error.message).not.toContain('carol');
  });

  it('makes create fail at boot, through core, without echoing the value', async () => {
    const definition = createLocalConnector();
    const failure = createInstance(definition, { parameters: { accounts: 'alice=topsecret' } });
    await expect(failure).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      connector: 'local',
      instance: 'local',
    });
    await failure.catch((error: Error) => expect(error.message).not.toContain('topsecret'));
  });
});

describe('AccountBook', () => {
  const book = new AccountBook([{ key: 'alice', secret: 'topsecret' }]);

  it('returns the account for the right key and secret', () => {
    expect(book.authenticate('alice', 'topsecret')).toBe('alice');
  });

  it.each([
    ['a wrong secret', 'alice', 'wrongsecret'],
    ['an unknown key', 'mallory', 'topsecret'],
    ['a secret of another length', 'alice', 'topsecret-but-longer'],
  ])('refuses %s with AUTH_FAILED and no secret in the message', (_, key, secret) => {
    expect(() => book.authenticate(key, secret)).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
    try {
      book.authenticate(key, secret);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
      expect(String((error as Error).message)).not.toContain('topsecret');
    }
  });
});

describe('credentials through a session', () => {
  it('accepts good credentials, using the default demo account when none are configured', async () => {
    const instance = await createInstance(createLocalConnector());
    const session = await instance.session({ key: 'demo', secret: 'demo-secret' });
    await expect(session.checkCredentials()).resolves.toBeUndefined();
  });

  it.each([
    ['a wrong secret', { key: ALICE.key, secret: 'not-the-secret' }],
    ['an unknown key', { key: 'mallory', secret: ALICE.secret }],
    ["another account's secret", { key: ALICE.key, secret: BOB.secret }],
  ])(
    'answers AUTH_FAILED for %s, on every operation, without the secret in the message',
    async (_, credentials) => {
      const { instance } = await openLocal();
      const session = await instance.session(credentials);
      const calls = [
        session.checkCredentials(),
        session.listImages(),
        session.describe(),
        session.launch(launchRequest()),
        session.terminate(['vm-000001']),
      ];
      for (const call of calls) {
        const error = await call.then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect(error).toMatchObject({ code: 'AUTH_FAILED' });
        expect((error as Error).message).not.toContain(credentials.secret);
      }
    },
  );

  it('refuses incomplete credentials in core, before the connector sees them', async () => {
    const { instance } = await openLocal();
    await expect(instance.session({ key: ALICE.key })).rejects.toMatchObject({ code: 'CREDENTIALS_INVALID' });
  });
});

describe('account isolation', () => {
  it("hides one account's VMs from another and answers NOT_FOUND for their ids", async () => {
    const { alice, bob } = await openLocal();
    const [vm] = await alice.launch(launchRequest());
    const id = vm?.id ?? '';
    expect(await bob.describe()).toEqual([]);
    expect(await bob.describe({ ids: [id] })).toEqual([]);
    for (const call of [bob.terminate([id]), bob.stop?.([id]), bob.start?.([id])]) {
      await expect(call).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await alice.describe({ ids: [id] })).map((seen) => seen.state)).toEqual(['pending']);
  });

  it('keeps idempotency keys per account', async () => {
    const { alice, bob } = await openLocal();
    const request = launchRequest();
    const [mine] = await alice.launch(request);
    const [theirs] = await bob.launch(request);
    expect(theirs?.id).not.toBe(mine?.id);
  });
});
