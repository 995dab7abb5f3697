import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  attrOf,
  child,
  childList,
  el,
  parseXmlBody,
  textEl,
  textOf,
  XmlBodyError,
  xmlDocument,
} from './xml.js';

const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  htmlEntities: true,
});

describe('vCD XML', () => {
  it('escapes every attribute and text so that any string reads back the same', () => {
    const hostile = `<a href="x">&amp; ' " ]]> \t tab\nline é 😀`;
    const document = xmlDocument(el('Root', { name: hostile }, textEl('Text', hostile), textEl('Empty', '')));
    expect(XMLValidator.validate(document)).toBe(true);
    const parsed = reader.parse(document);
    expect(parsed.Root.name).toBe(hostile);
    expect(parsed.Root.Text).toBe(hostile);
    expect(document).toContain('<Empty/>');
    expect(document.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Root ')).toBe(true);
  });

  it('replaces what XML 1.0 cannot carry (controls, lone surrogates) rather than write a broken document', () => {
    const broken = `a\u0000b\u0008c\u001Fd\uD800e\uDC00f\uFFFE`;
    const document = xmlDocument(el('Root', { name: broken }, broken));
    expect(XMLValidator.validate(document)).toBe(true);
    expect(reader.parse(document).Root['#text']).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFD');
  });

  it('reads bodies whatever the prefixes, with numeric references and text kept as sent', () => {
    const { name, node } = parseXmlBody(
      '<v:Root xmlns:v="urn:x" v:name="&#233;t&#xE9;"><v:Item>1</v:Item><v:Item a="b"/><v:Script>  keep\n  me </v:Script></v:Root>',
    );
    expect(name).toBe('Root');
    expect(attrOf(node, 'name')).toBe('été');
    expect(childList(node, 'Item')).toHaveLength(2);
    expect(attrOf(childList(node, 'Item')[1], 'a')).toBe('b');
    expect(textOf(node, 'Script')).toBe('  keep\n  me ');
    expect(textOf(child(node, 'Item'))).toBe('1');
    expect(textOf(node, 'Missing')).toBeUndefined();
  });

  it('refuses what is not one well-formed document, and document type declarations', () => {
    for (const body of ['', 'text', '<a>', '<a></b>', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>']) {
      expect(() => parseXmlBody(body), body).toThrow(XmlBodyError);
    }
  });
});
