#!/usr/bin/env bash
# Regenerates gen/ and fails if the result differs from what is committed:
# generated code is never edited by hand, and never left stale.
set -euo pipefail
cd "$(dirname "$0")/.."
go generate ./...
if ! git diff --quiet -- gen || [ -n "$(git ls-files --others --exclude-standard -- gen)" ]; then
  echo "gen/ differs from a fresh generation:" >&2
  git status --short -- gen >&2
  git --no-pager diff --stat -- gen >&2
  exit 1
fi
echo "gen/ is up to date"
