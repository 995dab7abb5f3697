import { describe, expect, it } from 'vitest';
import {
  formatTemplate,
  mergeTemplates,
  parseTemplate,
  single,
  type Template,
  TemplateSyntaxError,
  templateXml,
  vector,
} from './template.js';

/** OpenNebula's template language and XML form, and how instantiate merges them. */

/** A template as plain data: singles as strings, vectors as objects, repeated names as arrays. */
function plain(template: Template): Array<[string, string | Record<string, string>]> {
  return template.map((attribute) => [
    attribute.name,
    'vector' in attribute ? Object.fromEntries(attribute.vector) : attribute.value,
  ]);
}

describe('the template language', () => {
  it('reads quoted and bare values, vectors, and upper-cases names and keys', () => {
    const template = parseTemplate(
      'cpu="0.5" MEMORY=512 VCPU = 2\nnic=[network_id="0", model=virtio]\nCONTEXT = [ NETWORK = "YES" ,\n  SSH_PUBLIC_KEY = "ssh-ed25519 AAAA me@host" ]',
    );
    expect(plain(template)).toEqual([
      ['CPU', '0.5'],
      ['MEMORY', '512'],
      ['VCPU', '2'],
      ['NIC', { NETWORK_ID: '0', MODEL: 'virtio' }],
      ['CONTEXT', { NETWORK: 'YES', SSH_PUBLIC_KEY: 'ssh-ed25519 AAAA me@host' }],
    ]);
  });

  it('reads \\" inside quotes as a quote, keeps other backslashes, and values across lines', () => {
    const template = parseTemplate(
      'DESCRIPTION="say \\"hi\\" to C:\\\\temp"\nSTART_SCRIPT="#!/bin/sh\necho ok"\nSLIPSTREAM_LAUNCH_INDEX="2"',
    );
    expect(plain(template)).toEqual([
      ['DESCRIPTION', 'say "hi" to C:\\\\temp'],
      ['START_SCRIPT', '#!/bin/sh\necho ok'],
      ['SLIPSTREAM_LAUNCH_INDEX', '2'],
    ]);
  });

  it('keeps repeated attributes (several NICs), empty values and empty vectors; skips comments', () => {
    const template = parseTemplate(
      '# two NICs\nNIC=[NETWORK_ID="0"]\n  # the private one\nNIC=[NETWORK="private", NETWORK_UNAME="oneadmin"]\nLABELS=\nDISK=[]\n',
    );
    expect(plain(template)).toEqual([
      ['NIC', { NETWORK_ID: '0' }],
      ['NIC', { NETWORK: 'private', NETWORK_UNAME: 'oneadmin' }],
      ['LABELS', ''],
      ['DISK', {}],
    ]);
    expect(parseTemplate('')).toEqual([]);
    expect(parseTemplate('  \n# nothing\n')).toEqual([]);
  });

  it('keeps the first of a vector key given twice, as oned does', () => {
    expect(plain(parseTemplate('NIC=[NETWORK_ID="0", NETWORK_ID="1"]'))).toEqual([
      ['NIC', { NETWORK_ID: '0' }],
    ]);
  });

  it('refuses what the grammar refuses, with oned\'s "Parse error" message', () => {
    for (const bad of [
      'CPU',
      'CPU=',
      '=1',
      'NIC=[NETWORK_ID="0"',
      'NIC=[NETWORK_ID]',
      'A="unterminated',
      'A=[B=1 C=2]',
    ]) {
      expect(() => parseTemplate(bad), bad).toThrow(TemplateSyntaxError);
    }
    expect(() => parseTemplate('CPU 1')).toThrow(
      /^Parse error: syntax error, unexpected '1', expecting EQUAL/,
    );
  });

  it('formats what it reads back the same', () => {
    const template = [
      single('SLIPSTREAM_IDEMPOTENCY_KEY', 'key "quoted"'),
      vector('NIC', { NETWORK_ID: '1' }),
      single('EMPTY', ''),
    ];
    expect(plain(parseTemplate(formatTemplate(template)))).toEqual(plain(template));
  });
});

describe('the XML form', () => {
  it('is chosen when the text starts with "<": single and vector attributes under any root', () => {
    const template = parseTemplate(
      '<TEMPLATE><cpu>1</cpu><MEMORY>2048</MEMORY><NIC><NETWORK_ID>1</NETWORK_ID></NIC><NIC><NETWORK_ID>0</NETWORK_ID></NIC>' +
        '<CONTEXT><SSH_PUBLIC_KEY><![CDATA[ssh-rsa AAAA <me>]]></SSH_PUBLIC_KEY></CONTEXT><NOTE>a &amp; b</NOTE><EMPTY/></TEMPLATE>',
    );
    // An empty element is no attribute, as oned reads it.
    expect(plain(template)).toEqual([
      ['CPU', '1'],
      ['MEMORY', '2048'],
      ['NIC', { NETWORK_ID: '1' }],
      ['NIC', { NETWORK_ID: '0' }],
      ['CONTEXT', { SSH_PUBLIC_KEY: 'ssh-rsa AAAA <me>' }],
      ['NOTE', 'a & b'],
    ]);
  });

  it('reads indented XML, a vector key given twice keeping the last', () => {
    const template = parseTemplate(
      '<TEMPLATE>\n  <NIC>\n    <NETWORK_ID>0</NETWORK_ID>\n    <NETWORK_ID>1</NETWORK_ID>\n    <IP/>\n  </NIC>\n  <MEMORY>512</MEMORY>\n</TEMPLATE>',
    );
    expect(plain(template)).toEqual([
      ['NIC', { NETWORK_ID: '1' }],
      ['MEMORY', '512'],
    ]);
  });

  it('malformed is oned\'s "Parse error: XML Template malformed."', () => {
    expect(() => parseTemplate('<TEMPLATE><CPU>1</TEMPLATE>')).toThrow(
      'Parse error: XML Template malformed.',
    );
  });
});

describe("merging an instantiation's template", () => {
  const base = parseTemplate(
    'CPU="1" MEMORY="1024" NIC=[NETWORK="public", NETWORK_UNAME="oneadmin"] CONTEXT=[NETWORK="YES", SSH_PUBLIC_KEY="$USER[SSH_PUBLIC_KEY]"] DISK=[IMAGE_ID="0"]',
  );

  it('replaces whole attributes: a CONTEXT given drops the template\'s NETWORK="YES"', () => {
    const merged = mergeTemplates(
      base,
      parseTemplate('MEMORY="512" CONTEXT=[SSH_PUBLIC_KEY="ssh-ed25519 K"]'),
    );
    expect(plain(merged)).toEqual([
      ['CPU', '1'],
      ['NIC', { NETWORK: 'public', NETWORK_UNAME: 'oneadmin' }],
      ['DISK', { IMAGE_ID: '0' }],
      ['MEMORY', '512'],
      ['CONTEXT', { SSH_PUBLIC_KEY: 'ssh-ed25519 K' }],
    ]);
  });

  it("NICs given replace all of the template's NICs; an empty vector only removes", () => {
    const merged = mergeTemplates(base, parseTemplate('NIC=[NETWORK_ID="1"] NIC=[NETWORK_ID="0"] DISK=[]'));
    expect(plain(merged).filter(([name]) => name === 'NIC' || name === 'DISK')).toEqual([
      ['NIC', { NETWORK_ID: '1' }],
      ['NIC', { NETWORK_ID: '0' }],
    ]);
  });

  it("renders in oned's order: attributes by name, repeated ones as given, vector keys by name", () => {
    const merged = mergeTemplates(
      base,
      parseTemplate('NIC=[NETWORK_ID="1"] NIC=[NETWORK_ID="0", IP="10.0.0.9"]'),
    );
    expect(templateXml('TEMPLATE', merged)).toBe(
      '<TEMPLATE><CONTEXT><NETWORK>YES</NETWORK><SSH_PUBLIC_KEY>$USER[SSH_PUBLIC_KEY]</SSH_PUBLIC_KEY></CONTEXT>' +
        '<CPU>1</CPU><DISK><IMAGE_ID>0</IMAGE_ID></DISK><MEMORY>1024</MEMORY>' +
        '<NIC><NETWORK_ID>1</NETWORK_ID></NIC><NIC><IP>10.0.0.9</IP><NETWORK_ID>0</NETWORK_ID></NIC></TEMPLATE>',
    );
    expect(templateXml('USER_TEMPLATE', [])).toBe('<USER_TEMPLATE/>');
  });
});
