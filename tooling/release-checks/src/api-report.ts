import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Extractor, ExtractorConfig, type ExtractorMessage } from '@microsoft/api-extractor';

/**
 * The public API of a package's entry points as API Extractor reports it: every exported name
 * with its declaration, from the built `.d.ts`. The reports are committed next to each package
 * (`api/<entry>.api.md`), so that a change to a public surface is a visible, reviewed change.
 */

export interface ApiEntry {
  /** The `exports` key: `.`, `./extend`. */
  readonly subpath: string;
  /** The report's name: `index` for `.`, else the subpath's name (`extend`). */
  readonly name: string;
  /** The entry's declaration file, absolute. */
  readonly types: string;
}

/** The entry points of a package with declarations, from its package.json `exports`. */
export async function apiEntries(packageDir: string): Promise<ApiEntry[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    exports?: Record<string, unknown>;
  };
  const entries: ApiEntry[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    const types = (target as { types?: unknown } | null)?.types;
    if (typeof types !== 'string') continue;
    const name = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replaceAll('/', '-');
    entries.push({ subpath, name, types: join(packageDir, types) });
  }
  return entries;
}

/** The API report of one entry point; throws with API Extractor's errors when it cannot make one. */
export async function apiReport(packageDir: string, entry: ApiEntry): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'api-report-'));
  try {
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageDir,
        newlineKind: 'lf',
        mainEntryPointFilePath: entry.types,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              lib: ['ES2023'],
              module: 'NodeNext',
              moduleResolution: 'NodeNext',
              types: ['node'],
              strict: true,
              skipLibCheck: true,
            },
            files: [entry.types],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: entry.name,
          reportFolder: scratch,
          reportTempFolder: scratch,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(packageDir, 'package.json'),
    });
    const errors: string[] = [];
    const result = Extractor.invoke(config, {
      // localBuild writes the report instead of comparing it: the comparison is the test's.
      localBuild: true,
      messageCallback(message: ExtractorMessage) {
        if (message.logLevel === 'error') errors.push(message.text);
        message.handled = true;
      },
    });
    if (!result.succeeded) {
      throw new Error(`API Extractor could not report ${entry.types}:\n${errors.join('\n')}`);
    }
    return await readFile(join(scratch, `${entry.name}.api.md`), 'utf8');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
