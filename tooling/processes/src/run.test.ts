import { describe, expect, it } from 'vitest';
import { run, tail } from './run.js';

describe('run', () => {
  it('resolves with the output of a command that succeeds', async () => {
    await expect(run('/bin/sh', ['-c', 'echo out; echo err >&2'])).resolves.toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
    });
  });

  it('rejects with the exit status and the tail of the output', async () => {
    await expect(run('/bin/sh', ['-c', 'echo why it failed >&2; exit 3'])).rejects.toThrow(
      /^\/bin\/sh -c .* exited with status 3:\n[\s\S]*why it failed$/,
    );
  });

  it('rejects when the command does not exist', async () => {
    await expect(run('/nonexistent/program', [])).rejects.toThrow(
      /^Could not run \/nonexistent\/program: .*ENOENT/,
    );
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(run('/bin/sleep', ['30'], { timeoutMs: 50 })).rejects.toThrow(/was killed by SIGKILL/);
  });
});

describe('tail', () => {
  it('keeps the last lines', () => {
    expect(tail('a\nb\nc\n', 2)).toBe('b\nc');
  });
});
