import { describe, expect, it } from 'vitest';
import { encodeParams, formatExpires, javaUrlEncode, signature, stringToSign } from './signing.js';

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
});
