import { createInstance } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import definition from './index.js';
import { openStackSettingsOf, otcSettings } from './parameters.js';
import { regionEndpoints } from './regions.js';

describe('OTC regions and parameters', () => {
  it("knows each region's public endpoints, the Swiss ones under sc. with iam-pub", () => {
    expect(regionEndpoints('eu-de')).toEqual({
      iam: 'https://iam.eu-de.otc.t-systems.com/v3',
      ecs: 'https://ecs.eu-de.otc.t-systems.com',
      ims: 'https://ims.eu-de.otc.t-systems.com',
      vpc: 'https://vpc.eu-de.otc.t-systems.com',
    });
    expect(regionEndpoints('eu-nl').ecs).toBe('https://ecs.eu-nl.otc.t-systems.com');
    expect(regionEndpoints('eu-ch2')).toEqual({
      iam: 'https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3',
      ecs: 'https://ecs.eu-ch2.sc.otc.t-systems.com',
      ims: 'https://ims.eu-ch2.sc.otc.t-systems.com',
      vpc: 'https://vpc.eu-ch2.sc.otc.t-systems.com',
    });
  });

  it('applies overrides (without trailing slashes) on top of the region, and remembers which were set', () => {
    const settings = otcSettings({
      region: 'eu-nl',
      'endpoint.ecs': 'https://ecs.example.com/',
      subnet: 'net',
    });
    expect(settings.endpoints).toEqual({ ...regionEndpoints('eu-nl'), ecs: 'https://ecs.example.com' });
    expect(settings.overrides).toEqual({ ecs: 'https://ecs.example.com' });
    expect(openStackSettingsOf(settings)).toMatchObject({
      networks: { private: 'net' },
      floatingIps: false,
      zone: undefined,
    });
  });

  it('defaults to eu-de and refuses a region OTC does not have, listing the ones it has', async () => {
    const instance = await createInstance(definition, {});
    expect(instance.parameters.region).toBe('eu-de');
    await instance.close();
    await expect(createInstance(definition, { parameters: { region: 'us-east-1' } })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      problems: [expect.objectContaining({ key: 'region', message: expect.stringContaining('eu-ch2') })],
    });
  });

  it('passes the availability zone and subnet to launches', () => {
    const settings = openStackSettingsOf(otcSettings({ region: 'eu-de', 'availability.zone': 'eu-de-03' }));
    expect(settings.zone).toBe('eu-de-03');
    expect(settings.networks.private).toBeUndefined();
  });
});
