import { describe, expect, it } from 'vitest';
import { serviceRoot } from './service-urls.js';

describe('serviceRoot', () => {
  it('keeps a Nova v2.1 endpoint with or without project id, and moves legacy v2 to v2.1', () => {
    expect(serviceRoot('compute', 'https://nova.example.com:8774/v2.1/')).toBe(
      'https://nova.example.com:8774/v2.1',
    );
    expect(serviceRoot('compute', 'https://nova.example.com/v2.1/6f70656e737461636b')).toBe(
      'https://nova.example.com/v2.1/6f70656e737461636b',
    );
    expect(serviceRoot('compute', 'https://nova.example.com/v2/6f70656e737461636b')).toBe(
      'https://nova.example.com/v2.1/6f70656e737461636b',
    );
    expect(serviceRoot('compute', 'http://host/compute')).toBe('http://host/compute/v2.1');
  });

  it('versions Glance and Neutron roots once', () => {
    expect(serviceRoot('image', 'http://host/image')).toBe('http://host/image/v2');
    expect(serviceRoot('image', 'http://host:9292/v2/')).toBe('http://host:9292/v2');
    expect(serviceRoot('image', 'http://host:9292')).toBe('http://host:9292/v2');
    expect(serviceRoot('network', 'http://host:9696/')).toBe('http://host:9696/v2.0');
    expect(serviceRoot('network', 'http://host:9696/v2.0')).toBe('http://host:9696/v2.0');
  });

  it('refuses an endpoint that is not an absolute URL, naming it', () => {
    expect(() => serviceRoot('image', '/image')).toThrow(
      expect.objectContaining({ code: 'CLOUD_ERROR', message: expect.stringContaining('"/image"') }),
    );
  });
});
