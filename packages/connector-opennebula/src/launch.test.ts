import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { extraTemplate, LAUNCH_ATTRIBUTES } from './launch.js';

const parse = (xml: string) =>
  new XMLParser({ parseTagValue: false, isArray: (name) => name === 'NIC' }).parse(xml).TEMPLATE;

const plan = {
  template: 4,
  size: { name: 'medium', cpus: 2, memoryMb: 4096 },
  networks: [0, 1],
  context: { NETWORK: 'NO', TOKEN: 'YES', START_SCRIPT: 'echo template' },
};

describe('the extra template of a launch', () => {
  it('sizes the VM with the CPU ratio, adds a NIC per network and the launch attributes', () => {
    const template = parse(
      extraTemplate(plan, {
        sshKey: 'ssh-ed25519 AAAA test',
        userData: undefined,
        contextualization: 'one-context',
        cpuRatio: 0.5,
        attributes: { [LAUNCH_ATTRIBUTES.idempotencyKey]: 'key-1', [LAUNCH_ATTRIBUTES.launchIndex]: '2' },
      }),
    );
    expect(template).toMatchObject({
      CPU: '1',
      VCPU: '2',
      MEMORY: '4096',
      NIC: [{ NETWORK_ID: '0' }, { NETWORK_ID: '1' }],
    });
    expect(template.SLIPSTREAM_IDEMPOTENCY_KEY).toBe('key-1');
    expect(template.SLIPSTREAM_LAUNCH_INDEX).toBe('2');
  });

  it('sends the template’s CONTEXT again under ours, as oned replaces the whole attribute', () => {
    const template = parse(
      extraTemplate(plan, {
        sshKey: 'k',
        userData: undefined,
        contextualization: 'one-context',
        cpuRatio: 1,
        attributes: {},
      }),
    );
    expect(template.CONTEXT).toEqual({
      NETWORK: 'YES',
      TOKEN: 'YES',
      START_SCRIPT: 'echo template',
      SSH_PUBLIC_KEY: 'k',
      SET_HOSTNAME: '$NAME',
    });
  });

  it('passes user data as the contextualization reads it', () => {
    const options = { sshKey: 'k', userData: '#!/bin/sh\necho "<hi>"\n', cpuRatio: 1, attributes: {} };
    const encoded = Buffer.from(options.userData).toString('base64');
    expect(
      parse(extraTemplate(plan, { ...options, contextualization: 'one-context' })).CONTEXT
        .START_SCRIPT_BASE64,
    ).toBe(encoded);
    const cloudInit = parse(extraTemplate(plan, { ...options, contextualization: 'cloud-init' })).CONTEXT;
    expect(cloudInit).toMatchObject({ USER_DATA: encoded, USERDATA_ENCODING: 'base64' });
  });

  it('keeps the template’s NICs when no network is configured', () => {
    const template = parse(
      extraTemplate(
        { ...plan, networks: [] },
        { sshKey: 'k', userData: undefined, contextualization: 'one-context', cpuRatio: 0.5, attributes: {} },
      ),
    );
    expect(template.NIC).toBeUndefined();
  });
});
