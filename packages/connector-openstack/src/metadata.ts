import { ConnectorError, isLaunchTag, launchTags, type Tags } from '@slipstream/connector-core';

/**
 * Tags through server metadata. Nova's POST /servers takes no client token, so every server a
 * launch creates carries core's launch tags (the idempotency key and the server's index in the
 * launch) in its metadata, next to the user's tags; `describe` shows only the user's (core's
 * `userTags`). Nova stores metadata only within its own rules, checked here before anything is
 * created.
 */

/** Nova's metadata rules (parameter_types.metadata): keys of 1–255 such characters, values ≤ 255. */
const METADATA_KEY = /^[a-zA-Z0-9\-_:. ]{1,255}$/;
const MAX_VALUE = 255;

/**
 * The metadata of the `index`-th server (1-based) of a launch. INVALID_REQUEST naming every
 * problem at once for tags Nova would refuse or whose names the launch tags reserve.
 */
export function launchMetadata(key: string, index: number, tags: Tags | undefined): Record<string, string> {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(tags ?? {})) {
    if (isLaunchTag(name)) {
      problems.push(`tag "${name}" is reserved by the connector for idempotent launches; rename it`);
    } else if (!METADATA_KEY.test(name)) {
      problems.push(
        `tag ${JSON.stringify(name)}: Nova metadata keys are 1 to 255 letters, digits, spaces, "-", "_", ":" or "."`,
      );
    }
    if (value.length > MAX_VALUE) {
      problems.push(
        `tag "${name}": its value is ${value.length} characters, Nova accepts at most ${MAX_VALUE}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `The launch's tags cannot be stored: ${problems.join('; ')}.`,
      {
        problems: problems.map((message) => ({ message })),
      },
    );
  }
  return launchTags(key, index, tags);
}
