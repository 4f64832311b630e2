#!/usr/bin/env bash
# Builds the facade as the container image and the systemd unit expect it: a
# static Linux binary (no cgo, so no libc to match), without local paths.
# The end-to-end tests run this very build. Usage: scripts/build.sh OUTPUT
set -euo pipefail
out="${1:?usage: scripts/build.sh OUTPUT}"
cd "$(dirname "$0")/.."
CGO_ENABLED=0 exec go build -trimpath -ldflags="-s -w" -o "$out" ./cmd/facade
