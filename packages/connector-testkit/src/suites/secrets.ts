import { createInstance, type Session } from '@slipstream/connector-core';
import { placeholderLaunch } from '../launch.js';
import { assertNoSecretLeaks } from '../leak-check.js';
import { INSTANCE_NAME, within } from '../run.js';
import { describeConnector, registerSuite } from '../suite.js';
import type { ConformanceTarget, TargetSource } from '../target.js';
import { noteLaunched } from './lifecycle.js';
import { UNKNOWN_KEY } from './parameters.js';

/**
 * No secret in any error or log. The suite provokes the errors itself, on the paths where
 * connectors tend to quote a request (rejected credentials, unknown ids and images, invalid
 * configuration, aborted calls), and collects its own logs, so it needs no other suite.
 */
export function registerSecrets(source: TargetSource<ConformanceTarget>): void {
  registerSuite('secrets', source, 'session', ({ run, check }) => {
    check('never shows a secret in an error or a log', 3, async (t) => {
      const session = run.requireSession();
      const instance = run.requireInstance();
      /** Runs a call that should fail and keeps its error; what it returns is cleaned up. */
      const provoke = async (what: string, call: () => Promise<unknown>): Promise<void> => {
        try {
          noteLaunched(run, await within(t.timeoutMs, what, call()));
        } catch (error) {
          // The recording session has already kept the errors of its own calls.
          if (!run.errors.some((recorded) => recorded.error === error)) run.record(what, error);
        }
      };
      const { definition, parameters, credentials, badCredentials, unknownVmId } = t;
      const logger = run.logger;

      await provoke('createInstance with no parameters', async () => {
        await (await createInstance(definition, { instance: INSTANCE_NAME, parameters: {}, logger })).close();
      });
      await provoke('createInstance with an unknown parameter', async () => {
        const extra = { ...parameters, [UNKNOWN_KEY]: 'x' };
        await (
          await createInstance(definition, { instance: INSTANCE_NAME, parameters: extra, logger })
        ).close();
      });
      await provoke('session({})', async () => (await instance.session({})).close?.());
      await provoke('session with an unknown credential', async () =>
        (await instance.session({ ...credentials, [UNKNOWN_KEY]: 'x' })).close?.(),
      );

      let bad: Session | undefined;
      await provoke('opening a session with bad credentials', async () => {
        const opened = await instance.session(badCredentials);
        run.closeLater('the bad-credentials session', () => opened.close?.());
        bad = run.recording(opened, 'bad-credentials session');
      });
      const rejected = bad;
      if (rejected) {
        await provoke('checkCredentials with bad credentials', () => rejected.checkCredentials());
        await provoke('describe() with bad credentials', () => rejected.describe());
        await provoke('listImages() with bad credentials', () => rejected.listImages());
      }

      await provoke(`terminate(["${unknownVmId}"])`, () => session.terminate([unknownVmId]));
      await provoke('launch of an image and size the cloud does not have', () =>
        session.launch(placeholderLaunch('secrets')),
      );
      await provoke('describe() with an aborted signal', () =>
        session.describe({}, { signal: AbortSignal.abort() }),
      );
      // A successful call too: its debug log lines carry the signed request.
      await provoke('describe()', () => session.describe());

      assertNoSecretLeaks(run, t);
    });
  });
}

/** Registers only the secret-leak check; see {@link describeDefinition} for the target. */
export function describeSecrets(name: string, target: TargetSource<ConformanceTarget>): void {
  describeConnector(name, () => registerSecrets(target));
}
