import { poll } from '@slipstream/connector-core';
import { type SessionContext, taskWait } from './context.js';
import { errorFromTask } from './errors.js';
import { children, documentOf, tasksOf, text, type XmlElement } from './wire.js';

/**
 * Waiting on vCloud's tasks: every change (instantiate, power on, undeploy, delete) answers a
 * `<Task>` whose status goes queued → preRunning → running → success, or error (with an `<Error>`
 * child) or aborted. Polled through core's `poll` until it ends.
 */

const ENDED = new Set(['success', 'error', 'aborted']);

/** Waits for a task (its document or its href) to succeed; its failure is thrown with its message. */
export async function awaitTask(
  context: SessionContext,
  task: XmlElement,
  what: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const href = text(task, 'href');
  let current = task;
  if (!ENDED.has(text(current, 'status') ?? '') && href !== undefined) {
    current = await poll({ ...taskWait(context, signal), what: `vCloud task ${what}` }, async () => {
      const response = await context.client.call({
        operation: `task ${what}`,
        method: 'GET',
        url: href,
        signal,
      });
      const now = documentOf(response.body, 'Task', `task ${what}`);
      return ENDED.has(text(now, 'status') ?? '') ? now : undefined;
    });
  }
  const status = text(current, 'status') ?? '';
  if (status === 'success') return;
  const error = children(current, 'Error')[0];
  throw errorFromTask(what, status, text(error, 'message') ?? text(current, 'details'));
}

/** The tasks a vApp document says are still running. */
export function runningTasks(vapp: XmlElement): XmlElement[] {
  return tasksOf(vapp).filter((task) => !ENDED.has(text(task, 'status') ?? ''));
}
