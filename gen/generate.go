// Package gen holds every generated file of the project; nothing under gen/ is
// edited by hand. `go generate ./...` (or `make generate`) rewrites it all from
// openapi/cloudreve.yaml and proto/, byte for byte.
package gen

// Protobuf and Connect code for proto/ (see buf.gen.yaml at the root), in the
// module gen/go; its go.mod and go.sum are kept, the code rewritten.
//go:generate sh -c "cd .. && rm -rf gen/go/cloudreve && go tool -modfile=tools/go.mod buf generate"

// TypeScript (gen/ts) and Python (gen/python) stubs of the same contracts, with
// the third-party protos they need (see buf.gen.clients.yaml), into packages
// whose metadata (package.json, pyproject.toml) is kept. Needs
// node_modules (npm ci) and Debian's protobuf-compiler and
// protobuf-compiler-grpc, which scripts/test.sh installs.
//go:generate sh -c "cd .. && rm -rf gen/ts/buf gen/ts/cloudreve gen/ts/google gen/python/buf gen/python/cloudreve gen/python/google && go tool -modfile=tools/go.mod buf generate --template buf.gen.clients.yaml"
