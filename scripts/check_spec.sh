#!/usr/bin/env bash
# The relay's OpenAPI document as other tools see it (make spec-check; CI runs it):
#   1. export the spec from the server (scripts/export_openapi.py),
#   2. lint it with Redocly CLI (redocly.yaml: recommended-strict, 0 problems),
#   3. generate TypeScript types with openapi-typescript,
#   4. type-check a small fetch client written against them with tsc (clients/typescript/src).
# The Node tools are pinned in clients/typescript/package-lock.json and installed with `npm ci`
# (Node 20.19+ and npm from the npm registry; npm's cache makes repeat runs fast).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
TS=clients/typescript
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_SUPPRESS_NOTIFICATIONS=true  # no calls home

command -v npm >/dev/null 2>&1 || { echo "check_spec: Node.js 20.19+ with npm is required" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "check_spec: installing the pinned Node tools (npm ci)"
(cd "$TS" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1) \
  || { cat "$work/npm.log" >&2; exit 1; }

"$BIN/python" scripts/export_openapi.py "$work/openapi.json" >/dev/null

echo "check_spec: redocly lint"
"$TS/node_modules/.bin/redocly" lint "$work/openapi.json" --config redocly.yaml --format=stylish \
  >"$work/lint.log" 2>&1 || { cat "$work/lint.log" >&2; echo "check_spec: the spec fails Redocly's lint" >&2; exit 1; }

echo "check_spec: openapi-typescript + tsc"
mkdir -p "$TS/generated"
"$TS/node_modules/.bin/openapi-typescript" "$work/openapi.json" -o "$TS/generated/relay.ts" >"$work/gen.log" 2>&1 \
  || { cat "$work/gen.log" >&2; exit 1; }
"$TS/node_modules/.bin/tsc" -p "$TS" || { echo "check_spec: the TypeScript client does not type-check" >&2; exit 1; }
echo "check_spec: the spec lints clean and its TypeScript types check"
