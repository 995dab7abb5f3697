#!/usr/bin/env node
// The package's bin is this committed file rather than dist/cli.js: package managers link bins at
// install time, before a fresh checkout has built dist, and warn for every missing target.
import '../dist/cli.js';
