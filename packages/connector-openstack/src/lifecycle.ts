import { ConnectorError } from '@slipstream/connector-core';
import { novaPages, type OpenStackClient } from './client.js';
import type { SessionContext } from './context.js';
import { releaseFloatingIps } from './floating-ips.js';
import { serverState } from './states.js';
import { getServer } from './vm.js';
import { idOf, type NovaServer } from './wire.js';

/**
 * terminate, stop and start. Each first looks at every server, so that an id Nova never knew
 * fails the whole call with NOT_FOUND before anything changes, and a server already where the
 * call would take it is left alone; then it acts on the others, all at once (the transport caps
 * the requests in flight).
 */

/**
 * Which of `ids` Nova shows among the project's recently deleted servers: with `changes-since`,
 * the listing includes deleted servers for non-admin users too (api-ref: "may also return
 * recently deleted servers"). One paged listing serves all the ids.
 */
async function recentlyDeleted(
  client: OpenStackClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const wanted = new Set(ids);
  const found = new Set<string>();
  for await (const page of novaPages(client, {
    operation: 'list-servers',
    path: '/servers',
    key: 'servers',
    query: { 'changes-since': '1970-01-01T00:00:00Z' },
    signal,
  })) {
    for (const server of page) {
      const id = idOf(server);
      if (id !== undefined && wanted.has(id)) found.add(id);
    }
    if (found.size === wanted.size) break;
  }
  return found;
}

/**
 * Each server by id; undefined for a server that is gone (deleted by this instance, or recently
 * by anyone). NOT_FOUND, naming them all, for ids Nova never knew.
 */
async function lookUp(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<Map<string, NovaServer | undefined>> {
  const shown = await Promise.all(ids.map((id) => getServer(context.client, id, signal)));
  const servers = new Map(ids.map((id, i) => [id, shown[i]]));
  const missing = ids.filter((id) => servers.get(id) === undefined && !context.deleted.has(id));
  if (missing.length > 0) {
    const deleted = await recentlyDeleted(context.client, missing, signal);
    const unknown = missing.filter((id) => !deleted.has(id));
    if (unknown.length > 0) {
      throw new ConnectorError(
        'NOT_FOUND',
        `${unknown.length > 1 ? 'Servers' : 'Server'} ${unknown.join(', ')} ${unknown.length > 1 ? 'do' : 'does'} not exist in this project (Nova does not know ${unknown.length > 1 ? 'them' : 'it'}, and ${unknown.length > 1 ? 'they were' : 'it was'} not deleted recently); nothing was changed.`,
        { status: 404 },
      );
    }
  }
  return servers;
}

export async function terminate(
  context: SessionContext,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const { client, settings, deleted } = context;
  const servers = await lookUp(context, ids, signal);
  await Promise.all(
    [...servers].map(async ([id, server]) => {
      if (server === undefined || serverState(server.status, undefined).state === 'terminated') return;
      if (settings.floatingIps) await releaseFloatingIps(client, id, signal);
      // DELETE again while Nova is deleting is accepted (204): no need to skip `deleting`.
      await client.call<unknown>({
        service: 'compute',
        operation: 'delete-server',
        method: 'DELETE',
        path: `/servers/${encodeURIComponent(id)}`,
        signal,
        // Gone meanwhile: that is what we wanted.
        acceptStatus: [404],
      });
      deleted.add(id);
    }),
  );
}

type Action = 'os-stop' | 'os-start';

/** States in which the action has nothing (more) to do. */
const DONE: Readonly<Record<Action, ReadonlySet<string>>> = {
  'os-stop': new Set(['stopping', 'stopped']),
  'os-start': new Set(['pending', 'running']),
};

function verb(action: Action): string {
  return action === 'os-stop' ? 'stop' : 'start';
}

async function act(
  context: SessionContext,
  action: Action,
  ids: readonly string[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const servers = await lookUp(context, ids, signal);
  const gone = [...servers].filter(([, server]) => server === undefined).map(([id]) => id);
  if (gone.length > 0) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      `Cannot ${verb(action)} server${gone.length > 1 ? 's' : ''} ${gone.join(', ')}: terminated.`,
    );
  }
  await Promise.all(
    [...servers].map(async ([id, server]) => {
      const before = serverState(server?.status, server?.['OS-EXT-STS:task_state']);
      if (DONE[action].has(before.state)) return;
      const answer = await context.client.call<unknown>({
        service: 'compute',
        operation: 'server-action',
        method: 'POST',
        path: `/servers/${encodeURIComponent(id)}/action`,
        body: { [action]: null },
        signal,
        // Nova answers 409 when the server is not in a state for it: maybe it just got there.
        acceptStatus: [409],
      });
      if (answer.status !== 409) return;
      const now = await getServer(context.client, id, signal);
      const state = serverState(now?.status, now?.['OS-EXT-STS:task_state']);
      if (now && DONE[action].has(state.state)) return;
      throw new ConnectorError(
        'INVALID_REQUEST',
        `Cannot ${verb(action)} server ${id} while it is ${state.rawState || 'gone'}: ${answer.error?.message ?? 'Nova refused'}`,
        { status: 409, cause: answer.error },
      );
    }),
  );
}

export function stop(context: SessionContext, ids: readonly string[], signal?: AbortSignal): Promise<void> {
  return act(context, 'os-stop', ids, signal);
}

export function start(context: SessionContext, ids: readonly string[], signal?: AbortSignal): Promise<void> {
  return act(context, 'os-start', ids, signal);
}
