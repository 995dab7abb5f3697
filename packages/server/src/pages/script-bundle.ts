/**
 * How the pages' script is bundled, shared by the package build (tsup.config.ts) and the in-memory
 * build of a source run (page-script.ts), so tests run the same bundle the package ships.
 */

/** The bundle's path in `dist`, next to the server's own modules (dist/index.js, dist/cli.js). */
export const SCRIPT_BUNDLE = 'pages/slipstream.js';

/** The entry point, relative to the package. */
export const SCRIPT_ENTRY = 'src/pages/browser/main.ts';

/** The TypeScript project of the browser code (the DOM's types, not Node's). */
export const SCRIPT_TSCONFIG = 'src/pages/browser/tsconfig.json';

/** Browsers from 2022 on; one classic script, so it runs wherever a `<script src defer>` does. */
export const SCRIPT_TARGET = 'es2022';
export const SCRIPT_FORMAT = 'iife';
