import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { documentOf, idOfHref } from './wire.js';

const PAGE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<QueryResultRecords xmlns="http://www.vmware.com/vcloud/v1.5" total="2">' +
  '<Link rel="nextPage" href="https://vcd/api/query?type=vm&amp;page=2"/>' +
  '<VMRecord name="a" status="POWERED_ON" href="https://vcd/api/vApp/vm-1"/>' +
  '<VMRecord name=\'b &gt; c\' status="POWERED_OFF"></VMRecord>' +
  '<!-- a comment --><Note><![CDATA[<not a tag>]]> text</Note></QueryResultRecords>\n';

describe('documentOf', () => {
  it('reads the root element of a well-formed document', () => {
    const root = documentOf(PAGE, 'QueryResultRecords', 'query vm');
    expect(root.total).toBe('2');
    expect(root.VMRecord).toHaveLength(2);
  });

  it('refuses a body cut short anywhere, saying why', () => {
    for (let cut = 1; cut < PAGE.trimEnd().length; cut += 7) {
      const body = PAGE.slice(0, cut);
      const error = (() => {
        try {
          documentOf(body, 'QueryResultRecords', 'query vm');
        } catch (caught) {
          return caught;
        }
      })();
      expect(ConnectorError.hasCode(error, 'CLOUD_ERROR'), body.slice(-40)).toBe(true);
    }
    expect(() => documentOf(PAGE.slice(0, PAGE.length - 30), 'QueryResultRecords', 'query vm')).toThrow(
      'not well-formed XML',
    );
  });

  it('validates in full a document that does not end with its end tag, and reads it when well-formed', () => {
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE QueryResultRecords><QueryResultRecords total="0"/>`;
    expect(documentOf(withDoctype, 'QueryResultRecords', 'query vm').total).toBe('0');
    expect(() => documentOf(`${PAGE}junk`, 'QueryResultRecords', 'query vm')).toThrow('not well-formed XML');
  });
});

describe('idOfHref', () => {
  it('is the last path segment, without query or trailing slashes', () => {
    expect(idOfHref('https://vcd/api/vApp/vapp-1')).toBe('vapp-1');
    expect(idOfHref('https://vcd/api/vApp/vapp-1/?x=/y')).toBe('vapp-1');
    expect(idOfHref('/')).toBeUndefined();
    expect(idOfHref(undefined)).toBeUndefined();
  });
});
