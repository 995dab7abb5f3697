import { describe, expect, it } from 'vitest';
import { cleanEnv } from './run.js';

describe('cleanEnv', () => {
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
