import { ConnectorError } from '@slipstream/connector-core';
import { describe, expect, it } from 'vitest';
import { documentOf, idOfHref, tagsBalance } from './wire.js';

const PAGE =
  '<?xml version="1.0" encoding="UTF-8"?>\n<QueryResultRecords xmlns="http://www.vmware.com/vcloud/v1.5" total="2">' +
  '<Link rel="nextPage" href="https://vcd/api/query?type=vm&amp;page=2"/>' +
  '<VMRecord name="a" status="POWERED_ON" href="https://vcd/api/vApp/vm-1"/>' +
  '<VMRecord name=\'b &gt; c\' status="POWERED_OFF"></VMRecord>' +
  '<!-- a comment --><Note><![CDATA[<not a tag>]]> text</Note></QueryResultRecords>\n';

describe('tagsBalance', () => {
  it('accepts a well-formed document as vCloud writes it', () => {
    expect(tagsBalance(PAGE)).toBe(true);
  });

  it('refuses a body cut short, garbled, with two roots or text outside the root', () => {
    for (const body of [
      PAGE.slice(0, PAGE.length - 30),
      PAGE.slice(0, PAGE.indexOf('</QueryResultRecords>')),
      PAGE.replace('<VMRecord name="a"', '<VMRecord name="a'),
      PAGE.replace('</VMRecord>', '</VMRec>'),
      PAGE.replace('<!-- a comment -->', '%% <<>>'),
      `${PAGE}<QueryResultRecords/>`,
      `${PAGE}junk`,
      '',
      '{"not":"xml"}',
    ]) {
      expect(tagsBalance(body), body.slice(-60)).toBe(false);
    }
  });
});

describe('documentOf', () => {
  it('reads the root element of a well-formed document', () => {
    const root = documentOf(PAGE, 'QueryResultRecords', 'query vm');
    expect(root.total).toBe('2');
    expect(root.VMRecord).toHaveLength(2);
  });

  it('refuses a body that is not well-formed, saying why', () => {
    try {
      documentOf(PAGE.slice(0, PAGE.length - 30), 'QueryResultRecords', 'query vm');
      expect.unreachable();
    } catch (error) {
      expect(ConnectorError.hasCode(error, 'CLOUD_ERROR')).toBe(true);
      expect((error as Error).message).toContain('not well-formed XML');
    }
  });

  it('accepts what the quick check leaves to the full validator when it is well-formed', () => {
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE QueryResultRecords><QueryResultRecords total="0"/>`;
    expect(tagsBalance(withDoctype)).toBe(false);
    expect(documentOf(withDoctype, 'QueryResultRecords', 'query vm').total).toBe('0');
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
