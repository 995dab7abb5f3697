import { describe, expect, it } from 'vitest';
import { cleanEnv, run, tail } from './run.js';

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
    await expect(run('/nonexistent/keystone-manage', [])).rejects.toThrow(
      /^Could not run \/nonexistent\/keystone-manage: .*ENOENT/,
    );
  });

  it('kills a command that outlives its timeout', async () => {
    await expect(run('/bin/sleep', ['30'], { timeoutMs: 50 })).rejects.toThrow(/was killed by SIGKILL/);
  });
});

describe('tail and cleanEnv', () => {
  it('keeps the last lines', () => {
    expect(tail('a\nb\nc\n', 2)).toBe('b\nc');
  });

  it("drops the variables that would point Debian's Python elsewhere", () => {
    const saved = { home: process.env.PYTHONHOME, path: process.env.PYTHONPATH };
    process.env.PYTHONHOME = '/root/.pyenv/versions/3.12';
    process.env.PYTHONPATH = '/elsewhere';
    try {
      const env = cleanEnv({ OS_KEYSTONE_CONFIG_FILES: '/tmp/k/keystone.conf' });
      expect(env.PYTHONHOME).toBeUndefined();
      expect(env.PYTHONPATH).toBeUndefined();
      expect(env.OS_KEYSTONE_CONFIG_FILES).toBe('/tmp/k/keystone.conf');
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      if (saved.home === undefined) delete process.env.PYTHONHOME;
      else process.env.PYTHONHOME = saved.home;
      if (saved.path === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved.path;
    }
  });
});
