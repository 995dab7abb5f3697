import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decodeMethodResponse, encodeMethodCall, XmlRpcFault, XmlRpcFormatError } from './xmlrpc.js';

const response = (values: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\r\n<methodResponse>\r\n<params>\r\n<param><value><array><data>\r\n${values}\r\n</data></array></value></param>\r\n</params>\r\n</methodResponse>\r\n`;

function failure(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('encodeMethodCall', () => {
  it('writes the method name and typed parameters, escaping text', () => {
    const body = encodeMethodCall('one.template.instantiate', ['al&ce:p<w>', 7, false, '<TEMPLATE/>', true]);
    const parsed = new XMLParser({ parseTagValue: false }).parse(body);
    expect(parsed.methodCall.methodName).toBe('one.template.instantiate');
    expect(parsed.methodCall.params.param.map((param: { value: unknown }) => param.value)).toEqual([
      { string: 'al&ce:p<w>' },
      { int: '7' },
      { boolean: '0' },
      { string: '<TEMPLATE/>' },
      { boolean: '1' },
    ]);
    expect(body).toContain('al&amp;ce:p&lt;w&gt;');
  });

  it('refuses numbers <int> cannot hold', () => {
    expect(() => encodeMethodCall('m', [2 ** 31])).toThrow(RangeError);
    expect(() => encodeMethodCall('m', [1.5])).toThrow(RangeError);
  });
});

describe('decodeMethodResponse', () => {
  it('reads oned success arrays, whatever the integer tag', () => {
    const body = response(
      '<value><boolean>1</boolean></value>\r\n<value><string>&lt;VM_POOL&gt;&lt;/VM_POOL&gt;</string></value>\r\n<value><i4>0</i4></value>',
    );
    expect(decodeMethodResponse(body)).toEqual([true, '<VM_POOL></VM_POOL>', 0]);
    expect(
      decodeMethodResponse(response('<value><boolean>1</boolean></value><value><int>42</int></value>')),
    ).toEqual([true, 42]);
  });

  it('accepts <i8> anywhere, as oned 5.12+ appends to failures', () => {
    const body = response(
      '<value><boolean>0</boolean></value><value><string>[one.vm.info] Error getting virtual machine [9].</string></value><value><i4>1024</i4></value><value><i4>9</i4></value><value><i8>-1</i8></value>',
    );
    expect(decodeMethodResponse(body)).toEqual([
      false,
      '[one.vm.info] Error getting virtual machine [9].',
      1024,
      9,
      -1,
    ]);
  });

  it('reads an untyped value as a string, keeping its text as is', () => {
    expect(
      decodeMethodResponse(
        response('<value>  spaced </value><value></value><value><string></string></value>'),
      ),
    ).toEqual(['  spaced ', '', '']);
  });

  it('decodes character references in strings (xmlrpc-c writes CR as &#x0d;)', () => {
    expect(decodeMethodResponse(response('<value><string>a&#x0d;&#10;b</string></value>'))).toEqual([
      'a\r\nb',
    ]);
  });

  it('reads structs, doubles and empty arrays', () => {
    const body = response(
      '<value><struct><member><name>a</name><value><double>1.5</double></value></member></struct></value><value><array><data></data></array></value>',
    );
    expect(decodeMethodResponse(body)).toEqual([{ a: 1.5 }, []]);
  });

  it('throws the fault of a fault answer', () => {
    const body =
      '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>-501</int></value></member><member><name>faultString</name><value><string>Expected 5 parameters, got 4</string></value></member></struct></value></fault></methodResponse>';
    const error = failure(() => decodeMethodResponse(body));
    expect(error).toBeInstanceOf(XmlRpcFault);
    expect(error).toMatchObject({ faultCode: -501, faultString: 'Expected 5 parameters, got 4' });
  });

  it.each([
    ['a body cut short', response('<value><boolean>1</boolean></value>').slice(0, 90), 'not well-formed XML'],
    [
      'HTML',
      '<html><body><h1>502 Bad Gateway</h1></body></html>',
      'a <html> document, not a <methodResponse>',
    ],
    ['an empty body', '', 'empty'],
    ['a methodResponse without params', '<methodResponse></methodResponse>', 'holds no <params>'],
    ['an unknown type', response('<value><nil/></value>'), 'unknown value type <nil>'],
    ['a bad integer', response('<value><i4>x</i4></value>'), 'not an integer'],
  ])('says what is wrong with %s', (_, body, message) => {
    const error = failure(() => decodeMethodResponse(body));
    expect(error).toBeInstanceOf(XmlRpcFormatError);
    expect((error as Error).message).toContain(message);
  });
});
