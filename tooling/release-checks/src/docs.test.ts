import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parseChangeset from '@changesets/parse';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { publishablePackages } from './workspace.js';

/**
 * What a newcomer copies from the docs must work: every TypeScript snippet of the connector guide,
 * core's README and the server's README compiles against the packages as built, and
 * CONTRIBUTING's changeset example is a changeset.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
// Inside this package, so that the snippets resolve @slipstream/* through its node_modules.
const scratch = fileURLToPath(new URL('../.snippets/', import.meta.url));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const DOCUMENTS = [
  'docs/writing-a-connector.md',
  'packages/connector-core/README.md',
  'packages/server/README.md',
];

interface Snippet {
  readonly document: string;
  /** 1-based line of the snippet's first code line in the document. */
  readonly line: number;
  readonly code: string;
}

function typescriptSnippets(document: string, markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (lines[i]?.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end += 1;
    snippets.push({ document, line: start + 1, code: `${lines.slice(start, end).join('\n')}\n` });
    i = end;
  }
  return snippets;
}

/** Type errors of the snippets, each as `document:line: message`. */
async function snippetErrors(snippets: readonly Snippet[]): Promise<string[]> {
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  const files = new Map<string, Snippet>();
  for (const [index, snippet] of snippets.entries()) {
    const file = join(scratch, `snippet-${index}.ts`);
    await writeFile(file, snippet.code);
    files.set(file, snippet);
  }
  const program = ts.createProgram([...files.keys()], {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const snippet = diagnostic.file && files.get(diagnostic.file.fileName);
    if (!snippet || diagnostic.start === undefined || !diagnostic.file) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${snippet.document}:${snippet.line + line}: ${message}`;
  });
}

describe('the docs', () => {
  it('have TypeScript snippets that compile against the built packages', async () => {
    const snippets: Snippet[] = [];
    for (const document of DOCUMENTS) {
      snippets.push(...typescriptSnippets(document, await readFile(join(root, document), 'utf8')));
    }
    expect(snippets.length).toBeGreaterThanOrEqual(10);
    expect(await snippetErrors(snippets)).toEqual([]);
  }, 60_000);

  it('would report a snippet that does not compile, with its document line', async () => {
    const errors = await snippetErrors([
      {
        document: 'guide.md',
        line: 10,
        code: "import { noSuchExport } from '@slipstream/connector-core';\n",
      },
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^guide\.md:10: .*noSuchExport/);
  }, 60_000);

  it("give in CONTRIBUTING.md a changeset example that changesets reads as one package's bump", async () => {
    const contributing = await readFile(join(root, 'CONTRIBUTING.md'), 'utf8');
    const example = /```md\n(---\n[\s\S]*?)```/.exec(contributing)?.[1];
    expect(example, 'CONTRIBUTING.md has a ```md changeset example').toBeDefined();
    const changeset = parseChangeset(example ?? '');
    expect(changeset.releases).toHaveLength(1);
    const names = (await publishablePackages(root)).map((pkg) => pkg.name);
    expect(names).toContain(changeset.releases[0]?.name);
    expect(changeset.summary.length).toBeGreaterThan(20);
  }, 60_000);
});
