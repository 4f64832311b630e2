#!/usr/bin/env bash
# Checks the protobuf contracts: buf lint as buf.yaml configures it, and buf
# breaking against proto/v1-release.binpb, the image of the first release, so
# that no change breaks a client built on v1. (The pagination and bounds
# rules buf does not know are internal/contracts' tests.) Then the AsyncAPI
# description of the event feed, docs/asyncapi.yaml, through the AsyncAPI
# parser pinned in package.json (internal/events tests that the published
# events match it).
set -euo pipefail
cd "$(dirname "$0")/.."
buf() { go tool -modfile=tools/go.mod buf "$@"; }
buf lint
buf breaking proto --exclude-imports --against proto/v1-release.binpb
echo "contracts: lint clean, nothing breaks v1"
node scripts/check-asyncapi.mjs
