import { describe, expect, it } from 'vitest';
import {
  encodeParams,
  formatExpires,
  javaUrlEncode,
  signature,
  signRequest,
  stringToSign,
} from './signing.js';

describe('CloudStack request signing', () => {
  it("reproduces the developer's guide worked example (listUsers) exactly", () => {
    // "How to sign an API call with Python", CloudStack developer's guide.
    const params = {
      command: 'listUsers',
      response: 'json',
      apikey: 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg',
    };
    expect(stringToSign(params)).toBe(
      'apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg&command=listusers&response=json',
    );
    expect(
      signature(
        'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ',
        params,
      ),
    ).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
  });

  it("builds the guide's sorted, lowercased command string for its deployVirtualMachine example", () => {
    const params = {
      command: 'deployVirtualMachine',
      serviceOfferingId: '1',
      diskOfferingId: '1',
      templateId: '2',
      zoneId: '4',
      apiKey: 'miVr6X7u6bN_sdahOBpjNejPgEsT35eXq-jB8CG20YI3yaxXcgpyuaIRmFI_EJTVwZ0nUkkJbPmY3y2bciKwFQ',
    };
    expect(stringToSign(params)).toBe(
      'apikey=mivr6x7u6bn_sdahobpjnejpgest35exq-jb8cg20yi3yaxxcgpyuairmfi_ejtvwz0nukkjbpmy3y2bcikwfq&command=deployvirtualmachine&diskofferingid=1&serviceofferingid=1&templateid=2&zoneid=4',
    );
  });

  it('encodes values as java.net.URLEncoder does, spaces as %20, and leaves the signature out', () => {
    expect(javaUrlEncode("a b*._-~!'()")).toBe('a%20b*._-%7E%21%27%28%29');
    expect(stringToSign({ name: 'Web Server', signature: 'x', command: 'a' })).toBe(
      'command=a&name=web%20server',
    );
    expect(encodeParams({ name: 'a b', tags: 'x=y' })).toBe('name=a%20b&tags=x%3Dy');
  });

  it("formats expires as CloudStack's yyyy-MM-dd'T'HH:mm:ssZ", () => {
    expect(formatExpires(Date.UTC(2026, 5, 30, 23, 59, 59, 500))).toBe('2026-06-30T23:59:59+0000');
  });

  describe('signRequest', () => {
    // The developer's guide's listUsers example, as the client hands it to the transport.
    const apiKey = 'plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg';
    const secretKey =
      'VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ';
    const get = {
      method: 'GET' as const,
      url: new URL('http://localhost:8080/client/api?command=listUsers&response=json'),
      headers: {},
      body: undefined,
    };

    it("signs a GET's query as the guide does, the signature a secret", () => {
      const signed = signRequest(get, { apiKey, secretKey, expiryMs: 0 }, 0);
      expect(signed.url?.searchParams.get('apikey')).toBe(apiKey);
      expect(signed.url?.searchParams.get('signature')).toBe('TTpdDq/7j/J58XCRHomKoQXEQds=');
      expect(signed.url?.search).toContain('&signature=TTpdDq%2F7j%2FJ58XCRHomKoQXEQds%3D');
      expect(signed.secrets).toEqual(['TTpdDq/7j/J58XCRHomKoQXEQds=']);
      expect(signed.body).toBeUndefined();
    });

    it('adds signatureVersion 3 and an expiry from the time of the attempt, so a retry signs afresh', () => {
      const keys = { apiKey, secretKey, expiryMs: 600_000 };
      const first = signRequest(get, keys, Date.UTC(2026, 0, 1, 0, 0, 0));
      const retry = signRequest(get, keys, Date.UTC(2026, 0, 1, 0, 0, 30));
      expect(first.url?.searchParams.get('signatureversion')).toBe('3');
      expect(first.url?.searchParams.get('expires')).toBe('2026-01-01T00:10:00+0000');
      expect(retry.url?.searchParams.get('expires')).toBe('2026-01-01T00:10:30+0000');
      expect(retry.url?.searchParams.get('signature')).not.toBe(first.url?.searchParams.get('signature'));
      const params = Object.fromEntries(first.url?.searchParams ?? []);
      const { signature: sig, ...rest } = params;
      expect(sig).toBe(signature(secretKey, rest));
    });

    it("signs a POST's form body and leaves its URL alone", () => {
      const post = {
        method: 'POST' as const,
        url: new URL('http://localhost:8080/client/api?command=deployVirtualMachine'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'command=deployVirtualMachine&userdata=I2Nsb3VkLWNvbmZpZw%3D%3D&name=web%20one&response=json',
      };
      const signed = signRequest(post, { apiKey, secretKey, expiryMs: 0 }, 0);
      expect(signed.url).toBeUndefined();
      const form = new URLSearchParams(String(signed.body));
      expect(form.get('userdata')).toBe('I2Nsb3VkLWNvbmZpZw==');
      expect(form.get('name')).toBe('web one');
      expect(String(signed.body)).toContain('name=web%20one');
      const { signature: sig, ...rest } = Object.fromEntries(form);
      expect(sig).toBe(signature(secretKey, rest));
      expect(rest).toEqual({
        command: 'deployVirtualMachine',
        userdata: 'I2Nsb3VkLWNvbmZpZw==',
        name: 'web one',
        response: 'json',
        apikey: apiKey,
      });
    });
  });
});
