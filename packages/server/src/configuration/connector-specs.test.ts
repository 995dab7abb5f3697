import { fileURLToPath } from 'node:url';
import { isSecretField } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { installedParameterSpecs } from './connector-specs.js';

const FROM = fileURLToPath(new URL('../../', import.meta.url));

describe('installedParameterSpecs', () => {
  it("reads an installed connector's specs, core's common ones included", async () => {
    const specs = await installedParameterSpecs('local', FROM);
    const keys = specs?.map((spec) => spec.key) ?? [];
    expect(keys).toContain('quota.vm');
    expect(keys).toContain('accounts');
    expect(specs?.filter(isSecretField).map((spec) => spec.key)).toEqual(['accounts']);
  });

  it('is undefined for a connector that is not installed', async () => {
    expect(await installedParameterSpecs('aws', FROM)).toBeUndefined();
    expect(await installedParameterSpecs('no-such-thing', FROM)).toBeUndefined();
  });
});
