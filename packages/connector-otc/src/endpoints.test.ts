import type { EndpointResolver, ServiceKind } from '@slipstream/connector-openstack/extend';
import { describe, expect, it } from 'vitest';
import { OtcEndpoints } from './endpoints.js';

const catalog: EndpointResolver = {
  endpoint: (service: ServiceKind) => Promise.resolve(`https://catalog/${service}`),
};

describe('OTC endpoints', () => {
  it('appends /v2.1/{project_id} to ECS and uses IMS and VPC roots as they are', async () => {
    const endpoints = new OtcEndpoints({
      ecs: 'https://ecs.eu-de.otc.t-systems.com/',
      ims: 'https://ims.eu-de.otc.t-systems.com',
      vpc: 'https://vpc.eu-de.otc.t-systems.com',
      projectId: () => Promise.resolve('0123456789abcdef0123456789abcdef'),
    });
    expect(await endpoints.endpoint('compute')).toBe(
      'https://ecs.eu-de.otc.t-systems.com/v2.1/0123456789abcdef0123456789abcdef',
    );
    expect(await endpoints.endpoint('image')).toBe('https://ims.eu-de.otc.t-systems.com');
    expect(await endpoints.endpoint('network')).toBe('https://vpc.eu-de.otc.t-systems.com');
  });

  it('asks the catalog for the services without a known URL', async () => {
    const endpoints = new OtcEndpoints({
      ims: 'https://ims.example.com',
      catalog,
      projectId: () => Promise.reject(new Error('not needed')),
    });
    expect(await endpoints.endpoint('compute')).toBe('https://catalog/compute');
    expect(await endpoints.endpoint('image')).toBe('https://ims.example.com');
    expect(await endpoints.endpoint('network')).toBe('https://catalog/network');
  });

  it('fails CONFIG_INVALID when a service has neither', async () => {
    const endpoints = new OtcEndpoints({ projectId: () => Promise.resolve('p') });
    await expect(endpoints.endpoint('network')).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
