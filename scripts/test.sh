#!/usr/bin/env bash
# The one command that installs what the tests need on a fresh machine and runs
# them all. Safe to run again: installs are skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build everything the way scripts/build.sh builds the binary (static, trimmed
# paths), so vet, tests and the facade binary share one build cache: a fresh
# machine compiles the dependency graph once, not twice.
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:-} -trimpath"

echo "== Go modules"
go mod download
(cd tools && go mod download)

echo "== Debian packages: protoc, grpc_python_plugin, Python gRPC runtime, venv, pip and setuptools (to install gen/python)"
debs="protobuf-compiler protobuf-compiler-grpc python3-grpcio python3-protobuf python3-venv python3-pip python3-setuptools"
missing=""
for p in $debs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y $missing
fi

echo "== node modules (npm ci, from package-lock.json)"
# The copy of the lock file in node_modules says what was installed last.
if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.installed-lock.json
fi

echo "== go vet, gofmt"
go vet ./...
unformatted=$(git ls-files -z '*.go' | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted (run gofmt -w on them):"; echo "$unformatted"; exit 1
fi

echo "== generated code is fresh"
scripts/check-generated.sh

echo "== contracts: buf lint, buf breaking against the v1 release image, the AsyncAPI document"
scripts/check-contracts.sh

echo "== go test -race: unit and in-process tests"
# The race detector needs cgo (and gcc); only this step builds with it, so
# the static build above and the e2e binary stay CGO_ENABLED=0.
CGO_ENABLED=1 go test -race -count=1 -timeout 20m ./internal/... ./services/... ./cmd/... ./openapi/... ./bench/... ./sandbox/...

# Not with -race: the facade under test is the static binary scripts/build.sh
# makes, so -race would instrument only the harness, for about 2 minutes more.
echo "== go test: end-to-end through the real binary"
go test -count=1 -timeout 20m ./tests/...
