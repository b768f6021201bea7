#!/usr/bin/env bash
# Regenerate the SDK's generated layer from the server's spec.
#   scripts/gen_sdk.sh            -> sdk/openapi.json + sdk/agent_relay_client/_generated/
#   scripts/gen_sdk.sh --check    -> regenerate into a temp dir, fail on any difference
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
GEN_VERSION=0.29.1
SPEC=sdk/openapi.json
OUT=sdk/agent_relay_client/_generated
CONFIG=sdk/openapi-python-client.yaml

have=$("$BIN/python" -c 'import importlib.metadata as m; print(m.version("openapi-python-client"))' 2>/dev/null || true)
if [[ "$have" != "$GEN_VERSION" ]]; then
  echo "gen_sdk: openapi-python-client==$GEN_VERSION required (found: ${have:-none}); run make install" >&2
  exit 2
fi

generate() {  # generate SPEC_PATH OUT_DIR
  local tmp
  tmp=$(mktemp -d)
  # The SDK supports Python 3.10; the stock client.py template imports typing.Self (3.11+).
  "$BIN/python" scripts/sdk_templates.py "$tmp/templates"
  "$BIN/openapi-python-client" generate --path "$1" --config "$CONFIG" --meta none \
    --custom-template-path "$tmp/templates" \
    --output-path "$tmp/_generated" --overwrite --fail-on-warning >"$tmp/log" 2>&1 \
    || { cat "$tmp/log" >&2; rm -rf "$tmp"; return 1; }
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  mv "$tmp/_generated" "$2"
  rm -rf "$tmp"
}

if [[ "${1:-}" == "--check" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$BIN/python" scripts/export_openapi.py "$work/openapi.json" >/dev/null
  generate "$work/openapi.json" "$work/_generated"
  status=0
  diff -u "$SPEC" "$work/openapi.json" || { echo "sdk-check: $SPEC is stale" >&2; status=1; }
  diff -ru --exclude=__pycache__ "$OUT" "$work/_generated" || { echo "sdk-check: $OUT is stale" >&2; status=1; }
  if (( status )); then
    echo "sdk-check: the committed SDK differs from the server's spec; run 'make sdk' and commit" >&2
    exit 1
  fi
  echo "sdk-check: sdk/ matches the server's spec"
else
  "$BIN/python" scripts/export_openapi.py "$SPEC"
  generate "$SPEC" "$OUT"
  echo "gen_sdk: regenerated $OUT"
fi
