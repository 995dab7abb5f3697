import { ConnectorError, type Session } from '@slipstream/connector-core';
import { explain } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';
import { UNKNOWN_KEY } from './parameters.js';

/** Credentials: missing and unknown ones reported, good ones accepted, bad ones AUTH_FAILED. */
export function registerCredentials(source: TargetSource<ConformanceTarget>): void {
  registerSuite('credentials', source, 'session', ({ run, check }) => {
    check(
      'reports every missing required credential at once (CREDENTIALS_INVALID)',
      1,
      async ({ definition }) => {
        const instance = run.requireInstance();
        const required = definition.credentials
          .filter((c) => c.required && c.default === undefined)
          .map((c) => c.key);
        if (required.length === 0) return; // Nothing to report: the connector needs no credential.
        const error = await run.expectFailure('session({})', 'CREDENTIALS_INVALID', () =>
          instance.session({}),
        );
        const missing = required.filter((key) => !error.problems.some((p) => p.key === key));
        if (missing.length > 0) {
          throw new Error(
            `CREDENTIALS_INVALID must list every missing required credential; it does not list ${missing.join(', ')}. Mark them required in the credential specs.`,
          );
        }
      },
    );

    check('reports an unknown credential key (CREDENTIALS_INVALID)', 1, async (t) => {
      const instance = run.requireInstance();
      const error = await run.expectFailure('session with an unknown credential', 'CREDENTIALS_INVALID', () =>
        instance.session({ ...t.credentials, [UNKNOWN_KEY]: 'x' }),
      );
      if (!error.problems.some((p) => p.key === UNKNOWN_KEY)) {
        throw new Error(`CREDENTIALS_INVALID does not report the unknown credential "${UNKNOWN_KEY}".`);
      }
    });

    check('accepts the good credentials (checkCredentials resolves)', 1, async () => {
      const session = run.requireSession();
      try {
        await session.checkCredentials();
      } catch (error) {
        throw new Error(
          `checkCredentials failed with the target's good credentials: ${explain(error)}. It must resolve when the cloud accepts them.`,
          { cause: error },
        );
      }
    });

    check('rejects bad credentials with AUTH_FAILED', 1, async (t) => {
      const instance = run.requireInstance();
      const hint =
        'With credentials the cloud rejects, opening a session or checkCredentials must fail AUTH_FAILED: call the cloud (a cheap authenticated request) and map 401/403-style answers to AUTH_FAILED. If the test cloud accepts any credentials, give the target badCredentials it rejects.';
      let session: Session;
      try {
        const opened = await instance.session(t.badCredentials);
        run.closeLater('the bad-credentials session', () => opened.close?.());
        session = run.recording(opened, 'bad-credentials session');
      } catch (error) {
        run.record('opening a session with bad credentials', error);
        if (ConnectorError.hasCode(error, 'AUTH_FAILED')) return;
        throw new Error(
          `Opening a session with bad credentials failed ${explain(error)}, not AUTH_FAILED. ${hint}`,
          {
            cause: error,
          },
        );
      }
      await run.expectFailure(
        'checkCredentials with bad credentials',
        'AUTH_FAILED',
        () => session.checkCredentials(),
        hint,
      );
      await run.expectFailure(
        'describe() with bad credentials',
        'AUTH_FAILED',
        () => session.describe(),
        "A user's VMs must never be listed for credentials the cloud rejects.",
      );
    });
  });
}

/** Registers only the credential checks; see {@link describeDefinition} for the target. */
export function describeCredentials(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerCredentials(target));
}
