// The one tsup base every publishable package builds with: ESM only, types emitted next to the
// code, Node 20 syntax, no code splitting so each entry is one readable file.
/** @type {import('tsup').Options} */
export const tsupBase = {
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: true,
};
