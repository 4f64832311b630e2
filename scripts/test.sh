#!/usr/bin/env bash
# The one command that installs what the tests need on a fresh machine and runs
# them all. Safe to run again: installs are skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Go modules"
go mod download
(cd tools && go mod download)

echo "== go vet"
go vet ./...

echo "== generated code is fresh"
scripts/check-generated.sh

echo "== go test"
go test -count=1 -timeout 20m ./...
