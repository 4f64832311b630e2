// Package gen holds every generated file of the project; nothing under gen/ is
// edited by hand. `go generate ./...` (or `make generate`) rewrites it all from
// openapi/cloudreve.yaml and proto/, byte for byte.
package gen

// Protobuf and Connect code for proto/ (see buf.gen.yaml at the root).
//go:generate sh -c "cd .. && go tool -modfile=tools/go.mod buf generate"
