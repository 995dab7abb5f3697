import { checkDefinition, createInstance } from '@slipstream/connector-core';
import { describe, expect, it, vi } from 'vitest';

// The first session imports the AWS SDK (about a second alone, many on a loaded machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// Loading the definition must stay as cheap as any other connector's: the AWS SDK is imported by
// the first session, never when the loader reads the package or an instance is created.
const sdk = vi.hoisted(() => ({ imported: 0 }));
vi.mock('@aws-sdk/client-ec2', async (importOriginal) => {
  sdk.imported += 1;
  return importOriginal();
});

describe('the aws definition', () => {
  it('does not import the AWS SDK when loaded, nor when an instance is created; the first session does', async () => {
    const { default: aws } = await import('./index.js');
    expect(checkDefinition(aws)).toEqual([]);
    const instance = await createInstance(aws, { parameters: { region: 'eu-central-1' } });
    expect(sdk.imported).toBe(0);
    const session = await instance.session({ key: 'AKIDEXAMPLE', secret: 'secret' });
    expect(sdk.imported).toBe(1);
    await session.close?.();
    await instance.close();
  });

  it('refuses a region that is not an AWS region name, naming it and saying what one looks like', async () => {
    const { default: aws } = await import('./index.js');
    const failure = await createInstance(aws, { parameters: { region: 'Frankfurt' } }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(String((failure as Error).message)).toMatch(/"region" is "Frankfurt".*us-east-1/);
  });
});
