package contracts

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// genGo is the client module's directory, from this package's.
const genGo = "../../gen/go"

// A Go caller gets the stubs as a module of their own: a scratch module
// outside the repository requires gen/go (through a replace, as `go get`
// would by version), builds a small client, and depends on protobuf,
// connect and protovalidate's generated types only — no NATS server, no
// sandbox, no OpenTelemetry. Offline: modules come from the module cache.
func TestGoClientModuleStandsAlone(t *testing.T) {
	gen, err := filepath.Abs(genGo)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(gen, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/scratch\n\ngo 1.26.0\n\n"+
		"require github.com/cloudreve-connect/facade/gen/go v1.2.0\n\n"+
		"replace github.com/cloudreve-connect/facade/gen/go => "+gen+"\n")
	write("go.sum", string(sum)) // the client module's own sums suffice
	write("main.go", `package main

import (
	"context"
	"fmt"
	"net/http"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
)

func main() {
	transport := connecthttp.NewTransport(http.DefaultClient, "http://127.0.0.1:1", connecthttp.WithGRPC())
	c := workflowv1connect.NewWorkflowServiceClient(connect.NewClient(transport))
	_, err := c.CancelTask(context.Background(), &workflowv1.CancelTaskRequest{Id: "x"})
	fmt.Println(connect.CodeOf(err))
}
`)
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		// The caller's GOFLAGS stay (scripts/test.sh's -trimpath), so the
		// build reuses the packages the tests already compiled.
		cmd.Env = append(os.Environ(), "GOFLAGS="+os.Getenv("GOFLAGS")+" -mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	goCmd("build", "-o", filepath.Join(dir, "client"), ".")

	modules := map[string]bool{}
	for _, m := range strings.Fields(goCmd("list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", ".")) {
		modules[m] = true
	}
	allowed := map[string]bool{
		"example.com/scratch":                                        true,
		"github.com/cloudreve-connect/facade/gen/go":                 true,
		"connectrpc.com/connect/v2":                                  true,
		"google.golang.org/protobuf":                                 true,
		"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go": true,
	}
	var extra []string
	for m := range modules {
		if !allowed[m] {
			extra = append(extra, m)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("the client pulls in modules beyond protobuf and connect: %v", extra)
	}
	for _, m := range []string{"github.com/cloudreve-connect/facade/gen/go", "connectrpc.com/connect/v2", "google.golang.org/protobuf"} {
		if !modules[m] {
			t.Errorf("%s is not among the client's dependencies: %v", m, modules)
		}
	}
}
