#!/usr/bin/env bash
# Checks the protobuf contracts: buf lint as buf.yaml configures it, and buf
# breaking against proto/v1-release.binpb, the image of the first release, so
# that no change breaks a client built on v1. (The pagination and bounds
# rules buf does not know are internal/contracts' tests.)
set -euo pipefail
cd "$(dirname "$0")/.."
buf() { go tool -modfile=tools/go.mod buf "$@"; }
buf lint
buf breaking proto --exclude-imports --against proto/v1-release.binpb
echo "contracts: lint clean, nothing breaks v1"
