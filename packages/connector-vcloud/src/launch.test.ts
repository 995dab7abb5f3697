import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { computerName, customizationScript } from './customization.js';
import { instantiateParams, launchDescription, tagsOfDescription } from './launch.js';

const plan = {
  vdc: 'https://vcd.example.org/api/vdc/1',
  template: 'https://vcd.example.org/api/vAppTemplate/vappTemplate-1',
  templateVm: 'https://vcd.example.org/api/vAppTemplate/vm-1',
  size: { name: 'medium', cpus: 2, memoryMb: 4096 },
  network: { name: 'routed-1', href: 'https://vcd.example.org/api/admin/network/n1' },
  script: '#!/bin/sh\necho "<&>"\n',
};

const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
  }).parse(xml).InstantiateVAppTemplateParams;

describe('instantiating a vApp template', () => {
  it('asks for the size, the network, the customization and the description, escaped', () => {
    const name = 'web "1" <&>';
    const xml = instantiateParams(plan, name, launchDescription({ 'slipstream-idempotency-key': 'k&1' }));
    expect(xml).toContain('<InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5"');
    const params = parse(xml);
    expect(params.name).toBe(name);
    expect(params.Source.href).toBe(plan.template);
    expect(
      params.InstantiationParams.NetworkConfigSection.NetworkConfig.Configuration.ParentNetwork.href,
    ).toBe(plan.network.href);
    const vm = params.SourcedItem.InstantiationParams;
    expect(vm.VmSpecSection).toMatchObject({ NumCpus: '2', MemoryResourceMb: { Configured: '4096' } });
    expect(vm.NetworkConnectionSection.NetworkConnection).toMatchObject({
      network: 'routed-1',
      IpAddressAllocationMode: 'POOL',
    });
    expect(vm.GuestCustomizationSection).toMatchObject({
      ComputerName: 'web-1',
      CustomizationScript: plan.script,
    });
    expect(tagsOfDescription(params.Description)).toEqual({ 'slipstream-idempotency-key': 'k&1' });
  });

  it('keeps the template’s network when none is configured', () => {
    const params = parse(instantiateParams({ ...plan, network: undefined }, 'a', ''));
    expect(params.InstantiationParams).toBeUndefined();
    expect(params.SourcedItem.InstantiationParams.NetworkConnectionSection).toBeUndefined();
  });
});

describe('guest customization', () => {
  it('installs the keys and runs user data after vCloud’s own customization, base64 in the script', () => {
    const script =
      customizationScript({ keys: ['ssh-ed25519 AAAA a@b'], userData: "#!/bin/sh\necho 'hi'\n" }) ?? '';
    expect(script).toContain('if [ "$1" = "postcustomization" ]; then');
    expect(script).toContain(Buffer.from('ssh-ed25519 AAAA a@b\n').toString('base64'));
    expect(script).toContain(Buffer.from("#!/bin/sh\necho 'hi'\n").toString('base64'));
    expect(script).not.toContain("echo 'hi'");
    expect(customizationScript({ keys: [], userData: undefined })).toBeUndefined();
  });

  it('makes host names of VM names', () => {
    expect(computerName('Web Server #1')).toBe('web-server-1');
    expect(computerName('---')).toBe('vm');
    expect(computerName('x'.repeat(80))).toHaveLength(63);
  });
});
