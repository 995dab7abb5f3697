import { describe, expect, it } from 'vitest';
import { XmlRpcFault } from './errors.js';
import { Params } from './params.js';
import {
  faultResponseXml,
  methodCallXml,
  methodResponseXml,
  parseMethodCall,
  parseMethodResponse,
  plainValue,
  rpc,
} from './xmlrpc.js';

/** The XML-RPC codec: calls as clients write them, answers as xmlrpc-c writes them. */

function faultOf(run: () => unknown): XmlRpcFault {
  try {
    run();
  } catch (error) {
    if (error instanceof XmlRpcFault) return error;
    throw error;
  }
  throw new Error('no fault');
}

describe('reading a methodCall', () => {
  it('reads every scalar type as text, an untyped value as a string, without coercing numbers', () => {
    const call = parseMethodCall(`<?xml version="1.0"?>
<methodCall>
  <methodName>one.vm.info</methodName>
  <params>
    <param><value><string>user:pass:word</string></value></param>
    <param><value><i4>007</i4></value></param>
    <param><value><int>-3</int></value></param>
    <param><value><i8>9007199254740993</i8></value></param>
    <param><value><boolean>1</boolean></value></param>
    <param><value>  untyped &amp; spaced  </value></param>
    <param><value><double>-1.5e3</double></value></param>
    <param><value></value></param>
    <param><value><string/></value></param>
    <param><value><string><![CDATA[<TEMPLATE/>]]></string></value></param>
  </params>
</methodCall>`);
    expect(call.methodName).toBe('one.vm.info');
    expect(call.params).toEqual([
      { type: 'string', text: 'user:pass:word' },
      { type: 'int', text: '007' },
      { type: 'int', text: '-3' },
      { type: 'i8', text: '9007199254740993' },
      { type: 'boolean', text: '1' },
      { type: 'string', text: '  untyped & spaced  ' },
      { type: 'double', text: '-1.5e3' },
      { type: 'string', text: '' },
      { type: 'string', text: '' },
      { type: 'string', text: '<TEMPLATE/>' },
    ]);
  });

  it('decodes character references and keeps carriage returns escaped as such', () => {
    const call = parseMethodCall(
      '<methodCall><methodName>m</methodName><params><param><value><string>a&#x0d;&#10;b &lt;&gt;&quot;&apos; &#233;</string></value></param></params></methodCall>',
    );
    expect(call.params[0]).toEqual({ type: 'string', text: 'a\r\nb <>"\' é' });
  });

  it('reads arrays and structs, nested', () => {
    const call = parseMethodCall(
      '<methodCall><methodName>m</methodName><params><param><value><array><data>' +
        '<value><i4>1</i4></value><value>two</value>' +
        '<value><struct><member><name>k</name><value><boolean>0</boolean></value></member></struct></value>' +
        '</data></array></value></param></params></methodCall>',
    );
    expect(plainValue(call.params[0] as never)).toEqual([1, 'two', { k: false }]);
  });

  it('accepts a call without params', () => {
    expect(parseMethodCall('<methodCall><methodName>system.listMethods</methodName></methodCall>')).toEqual({
      methodName: 'system.listMethods',
      params: [],
    });
  });

  it('refuses what xmlrpc-c refuses, with its -503 fault', () => {
    expect(faultOf(() => parseMethodCall(''))).toMatchObject({
      faultCode: -503,
      message: 'Call XML not a proper XML-RPC call.  Call is not valid XML.  no element found',
    });
    expect(faultOf(() => parseMethodCall('<methodCall><methodName>m</methodCall>')).message).toBe(
      'Call XML not a proper XML-RPC call.  Call is not valid XML.  mismatched tag',
    );
    expect(faultOf(() => parseMethodCall('<methodResponse/>')).message).toBe(
      'Call XML not a proper XML-RPC call.  XML-RPC call should be a <methodCall> element.  Instead, we have a <methodResponse> element.',
    );
    for (const bad of [
      '<value><i4>12a</i4></value>',
      '<value><i4>2147483648</i4></value>',
      '<value><boolean>true</boolean></value>',
      '<value><float>1</float></value>',
      '<value>&copy;</value>',
    ]) {
      const fault = faultOf(() =>
        parseMethodCall(
          `<methodCall><methodName>m</methodName><params><param>${bad}</param></params></methodCall>`,
        ),
      );
      expect(fault.faultCode).toBe(-503);
    }
  });
});

describe('reading arguments as oned does', () => {
  const params = new Params([rpc.string('s'), rpc.int(5), rpc.i8(5), rpc.boolean(true)]);

  it('by position and type', () => {
    expect(params.string(0)).toBe('s');
    expect(params.int(1)).toBe(5);
    expect(params.boolean(3)).toBe(true);
  });

  it('with xmlrpc-c -501 faults for a missing argument or another type (an <i8> is not an <i4>)', () => {
    expect(faultOf(() => params.int(4))).toMatchObject({ faultCode: -501, message: 'Not enough parameters' });
    expect(faultOf(() => params.int(2))).toMatchObject({
      faultCode: -501,
      message: 'Parameter that is supposed to be integer is not',
    });
    expect(faultOf(() => params.string(1)).message).toBe('Parameter that is supposed to be a string is not');
    expect(faultOf(() => params.boolean(0)).message).toBe('Parameter that is supposed to be boolean is not');
  });
});

describe('writing answers as xmlrpc-c does', () => {
  it('an array answer with CRLFs, <i4>, <i8>, <boolean>, escaped strings', () => {
    const body = methodResponseXml(
      rpc.array([rpc.boolean(false), rpc.string('a < b & c\r'), rpc.int(1024), rpc.int(-1), rpc.i8(-1)]),
    );
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<methodResponse>\r\n<params>\r\n<param><value><array><data>\r\n' +
        '<value><boolean>0</boolean></value>\r\n<value><string>a &lt; b &amp; c&#x0d;</string></value>\r\n' +
        '<value><i4>1024</i4></value>\r\n<value><i4>-1</i4></value>\r\n<value><i8>-1</i8></value>\r\n' +
        '</data></array></value></param>\r\n</params>\r\n</methodResponse>\r\n',
    );
    const parsed = parseMethodResponse(body);
    expect(parsed.kind === 'result' && plainValue(parsed.value)).toEqual([
      false,
      'a < b & c\r',
      1024,
      -1,
      -1,
    ]);
  });

  it('a fault as a struct of faultCode and faultString', () => {
    const body = faultResponseXml(-506, "Method 'one.nothing' not defined");
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<methodResponse>\r\n<fault>\r\n<value><struct>\r\n' +
        '<member><name>faultCode</name>\r\n<value><i4>-506</i4></value></member>\r\n' +
        "<member><name>faultString</name>\r\n<value><string>Method 'one.nothing' not defined</string></value></member>\r\n" +
        '</struct></value>\r\n</fault>\r\n</methodResponse>\r\n',
    );
    expect(parseMethodResponse(body)).toEqual({
      kind: 'fault',
      faultCode: -506,
      faultString: "Method 'one.nothing' not defined",
    });
  });

  it('calls that read back as written', () => {
    const xml = methodCallXml('one.vmpool.info', [
      rpc.string('u:p'),
      rpc.int(-2),
      rpc.i8(123),
      rpc.boolean(false),
    ]);
    expect(parseMethodCall(xml)).toEqual({
      methodName: 'one.vmpool.info',
      params: [
        { type: 'string', text: 'u:p' },
        { type: 'int', text: '-2' },
        { type: 'i8', text: '123' },
        { type: 'boolean', text: '0' },
      ],
    });
    expect(() => rpc.int(2 ** 31)).toThrow(RangeError);
  });
});
