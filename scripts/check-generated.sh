#!/usr/bin/env bash
# Regenerates gen/ and the API reference (docs/api-reference.md) and fails if
# the result differs from what is committed: generated code is never edited by
# hand, and never left stale.
set -euo pipefail
cd "$(dirname "$0")/.."
go generate ./...
generated=(gen docs/api-reference.md)
if ! git diff --quiet -- "${generated[@]}" || [ -n "$(git ls-files --others --exclude-standard -- "${generated[@]}")" ]; then
  echo "gen/ or docs/api-reference.md differs from a fresh generation:" >&2
  git status --short -- "${generated[@]}" >&2
  git --no-pager diff --stat -- "${generated[@]}" >&2
  exit 1
fi
echo "gen/ and docs/api-reference.md are up to date"
