import { type Element, isMalformedXml, parseDocument, textOf } from './xmlrpc.js';

/**
 * OpenNebula templates: the attribute lists VM templates, VMs and users carry. An attribute is
 * single (`CPU="1"`) or a vector (`NIC=[NETWORK_ID="0", IP="10.0.0.5"]`); a name may repeat
 * (several NICs). oned keeps attributes in a multimap and vector values in a map, so its XML lists
 * both in name order; repeated names keep the order they were added in.
 *
 * Two input forms, as oned's Template::parse_str_or_xml reads them: a string whose first
 * character is `<` is XML (`<TEMPLATE><CPU>1</CPU><NIC><NETWORK_ID>0</NETWORK_ID></NIC></TEMPLATE>`),
 * anything else the template language: `NAME = VALUE` or `NAME = [KEY = VALUE, …]` separated by
 * blanks or newlines, values double-quoted (`\"` inside stands for a quote) or bare (no blanks, `=`,
 * `,`, `[`, `]` or `#`), `#` starting a comment line. Attribute names and vector keys are
 * upper-cased, as oned does.
 */

export interface SingleAttribute {
  readonly name: string;
  readonly value: string;
}

export interface VectorAttribute {
  readonly name: string;
  /** Keys in the order given; the first of a repeated key wins, as oned's map insert does. */
  readonly vector: ReadonlyMap<string, string>;
}

export type TemplateAttribute = SingleAttribute | VectorAttribute;
export type Template = readonly TemplateAttribute[];

export function isVector(attribute: TemplateAttribute): attribute is VectorAttribute {
  return 'vector' in attribute;
}

export function single(name: string, value: string): SingleAttribute {
  return { name, value };
}

export function vector(name: string, values: Readonly<Record<string, string>>): VectorAttribute {
  return { name, vector: new Map(Object.entries(values)) };
}

/** The value of the first single attribute with this name. */
export function singleValue(template: Template, name: string): string | undefined {
  for (const attribute of template)
    if (attribute.name === name && !isVector(attribute)) return attribute.value;
  return undefined;
}

/** Every vector attribute with this name, in order. */
export function vectors(template: Template, name: string): VectorAttribute[] {
  return template.filter(
    (attribute): attribute is VectorAttribute => attribute.name === name && isVector(attribute),
  );
}

/** The template without the attributes of these names. */
export function without(template: Template, names: Iterable<string>): TemplateAttribute[] {
  const drop = new Set(names);
  return template.filter((attribute) => !drop.has(attribute.name));
}

/**
 * Merges `extra` into `base` as oned merges an instantiation's template into the VM template's:
 * every name `extra` has is removed from `base` (whole attributes: a CONTEXT given replaces the
 * whole CONTEXT, NICs given replace every NIC), then `extra`'s attributes are added, except empty
 * vectors, which only remove.
 */
export function mergeTemplates(base: Template, extra: Template): TemplateAttribute[] {
  const merged = without(
    base,
    extra.map((attribute) => attribute.name),
  );
  for (const attribute of extra) {
    if (isVector(attribute) && attribute.vector.size === 0) continue;
    merged.push(attribute);
  }
  return merged;
}

// --- rendering ------------------------------------------------------------------------------------

/** Text in element content as oned's one_util::escape_xml writes it. */
export function escapeXml(text: string): string {
  if (!XML_SPECIALS.test(text)) return text;
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const XML_SPECIALS = /[&<>"']/;

function byName(a: { readonly name: string }, b: { readonly name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function attributeXml(attribute: TemplateAttribute): string {
  if (!isVector(attribute)) return `<${attribute.name}>${escapeXml(attribute.value)}</${attribute.name}>`;
  const keys = [...attribute.vector.keys()].filter((key) => key !== '').sort();
  const body = keys.map((key) => `<${key}>${escapeXml(attribute.vector.get(key) ?? '')}</${key}>`).join('');
  return `<${attribute.name}>${body}</${attribute.name}>`;
}

/** `<root>` with the attributes in name order (a stable sort: repeated names keep their order). */
export function templateXml(root: string, template: Template): string {
  if (template.length === 0) return `<${root}/>`;
  return `<${root}>${[...template].sort(byName).map(attributeXml).join('')}</${root}>`;
}

/** The template language form, one attribute a line: what clients send as an extra template. */
export function formatTemplate(template: Template): string {
  const quote = (value: string) => `"${value.replace(/"/g, '\\"')}"`;
  return template
    .map((attribute) =>
      isVector(attribute)
        ? `${attribute.name}=[${[...attribute.vector].map(([key, value]) => `${key}=${quote(value)}`).join(', ')}]`
        : `${attribute.name}=${quote(attribute.value)}`,
    )
    .join('\n');
}

// --- parsing --------------------------------------------------------------------------------------

export class TemplateSyntaxError extends Error {}

/** Either form, as oned decides: XML when the first character is `<`. Throws TemplateSyntaxError with oned's message. */
export function parseTemplate(text: string): TemplateAttribute[] {
  if (text.startsWith('<')) {
    try {
      return parseTemplateXml(text);
    } catch (error) {
      if (isMalformedXml(error)) throw new TemplateSyntaxError('Parse error: XML Template malformed.');
      throw error;
    }
  }
  return parseTemplateText(text);
}

/**
 * The XML form, read as oned's Template::from_xml reads it: under any root, an element holding
 * only text is a single attribute, one with child elements a vector of those children's texts (a
 * key given twice keeps the last); an empty element is no attribute at all.
 */
export function parseTemplateXml(text: string): TemplateAttribute[] {
  const root = parseDocument(text);
  const attributes: TemplateAttribute[] = [];
  for (const element of childElements(root)) {
    const name = element.name.toUpperCase();
    const children = childElements(element);
    if (children.length > 0) {
      const values = new Map<string, string>();
      for (const child of children) {
        if (child.children.length > 0 && childElements(child).length === 0) {
          values.set(child.name, textOf(child.children, `<${child.name}>`));
        }
      }
      attributes.push({ name, vector: values });
    } else if (element.children.length > 0) {
      attributes.push(single(name, textOf(element.children, `<${element.name}>`)));
    }
  }
  return attributes;
}

/** The element children of an element, whatever text lies between them. */
function childElements(element: Element): Element[] {
  const elements: Element[] = [];
  for (const node of element.children) {
    const [key] = Object.keys(node);
    if (key !== undefined && key !== '#text' && key !== '#cdata') {
      elements.push({ name: key, children: node[key] as Element['children'] });
    }
  }
  return elements;
}

const BLANK = new Set([' ', '\t']);
const NAME_CHAR = /[A-Za-z0-9_]/;
/** What ends a bare value: blanks, newlines and the template language's punctuation. */
const BARE_STOP = new Set([' ', '\t', '\n', '\r', '=', '#', ',', '[', ']']);

/**
 * The template language, read as oned's flex/bison grammar reads it, with its error messages'
 * form: "Parse error: syntax error, unexpected …, expecting … at line L, columns A:B".
 */
export function parseTemplateText(text: string): TemplateAttribute[] {
  return new TextParser(text).parse();
}

class TextParser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): TemplateAttribute[] {
    const attributes: TemplateAttribute[] = [];
    for (;;) {
      this.#skipSpaceAndComments();
      if (this.#eof()) return attributes;
      const name = this.#name('VARIABLE').toUpperCase();
      this.#skipBlanks();
      this.#expect('=', 'EQUAL or EQUAL_EMPTY');
      this.#skipBlanks();
      if (this.#peek() === '\n') {
        this.#pos += 1;
        attributes.push(single(name, ''));
      } else if (this.#peek() === '[') {
        this.#pos += 1;
        attributes.push({ name, vector: this.#vectorBody() });
      } else {
        attributes.push(single(name, this.#value()));
      }
    }
  }

  #vectorBody(): Map<string, string> {
    const values = new Map<string, string>();
    this.#skipSpace();
    if (this.#peek() === ']') {
      this.#pos += 1;
      return values;
    }
    for (;;) {
      const key = this.#name('VARIABLE').toUpperCase();
      this.#skipBlanks();
      this.#expect('=', 'EQUAL');
      this.#skipBlanks();
      const value = this.#value();
      if (!values.has(key)) values.set(key, value);
      this.#skipSpace();
      const next = this.#peek();
      if (next === ',') {
        this.#pos += 1;
        this.#skipSpace();
      } else if (next === ']') {
        this.#pos += 1;
        return values;
      } else {
        throw this.#unexpected('COMMA or CBRACKET');
      }
    }
  }

  /**
   * A value: double-quoted, where `\"` stands for a quote (the grammar's longest match: the value
   * ends at the first quote no backslash precedes, or else at the last quote), or bare.
   */
  #value(): string {
    const text = this.#text;
    if (this.#peek() === '"') {
      const start = this.#pos + 1;
      let end = -1;
      for (let index = start; index < text.length; index += 1) {
        if (text[index] !== '"') continue;
        end = index;
        if (text[index - 1] !== '\\') break;
      }
      if (end === -1) throw this.#unexpected('STRING');
      this.#pos = end + 1;
      return text.slice(start, end).split('\\"').join('"');
    }
    const start = this.#pos;
    while (!this.#eof() && !BARE_STOP.has(text[this.#pos] as string)) this.#pos += 1;
    if (this.#pos === start) throw this.#unexpected('STRING or OBRACKET');
    return text.slice(start, this.#pos).split('\\"').join('"');
  }

  #name(expecting: string): string {
    const start = this.#pos;
    while (!this.#eof() && NAME_CHAR.test(this.#text[this.#pos] as string)) this.#pos += 1;
    if (this.#pos === start) throw this.#unexpected(expecting);
    return this.#text.slice(start, this.#pos);
  }

  #expect(char: string, expecting: string): void {
    if (this.#peek() !== char) throw this.#unexpected(expecting);
    this.#pos += 1;
  }

  #peek(): string | undefined {
    return this.#text[this.#pos];
  }

  #eof(): boolean {
    return this.#pos >= this.#text.length;
  }

  #skipBlanks(): void {
    while (BLANK.has(this.#peek() as string)) this.#pos += 1;
  }

  #skipSpace(): void {
    while (BLANK.has(this.#peek() as string) || this.#peek() === '\n' || this.#peek() === '\r')
      this.#pos += 1;
  }

  #skipSpaceAndComments(): void {
    for (;;) {
      this.#skipSpace();
      if (this.#peek() !== '#') return;
      const newline = this.#text.indexOf('\n', this.#pos);
      this.#pos = newline === -1 ? this.#text.length : newline + 1;
    }
  }

  #unexpected(expecting: string): TemplateSyntaxError {
    const before = this.#text.slice(0, this.#pos);
    const line = before.split('\n').length;
    const column = this.#pos - (before.lastIndexOf('\n') + 1);
    const found = this.#eof() ? '$end' : `'${this.#text[this.#pos]}'`;
    return new TemplateSyntaxError(
      `Parse error: syntax error, unexpected ${found}, expecting ${expecting} at line ${line}, columns ${column}:${column + 1}`,
    );
  }
}
