package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// The TypeScript and Python client suites (tests/ts, tests/python) run here,
// as subprocesses, against a facade started like every other test's: the
// sandbox upstream and a NATS server with JetStream. Their output shows up in
// Go's when they fail.

// repoRoot is where package.json, node_modules and gen/ are.
const repoRoot = ".."

// polyglotSecretKey seals credentials for both facades of the polyglot
// tests (base64 of 32 bytes).
const polyglotSecretKey = "cG9seWdsb3QtZmFjYWRlcy1zaGFyZS10aGlzLWtleSE="

// polyglotEnv is a facade with a user who has files to archive.
func polyglotEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, sandbox.Options{}, "--secret-key", polyglotSecretKey)
	e.up.putFile(t, e.alice, "cloudreve://my/a.txt", "hello")
	e.up.putFile(t, e.alice, "cloudreve://my/b.txt", "world")
	return e
}

// clientEnv is what the client programs read: the facade's URL and address,
// the NATS URL and the caller's Cloudreve token.
func clientEnv(e *env) []string {
	return append(os.Environ(),
		"FACADE_URL="+e.f.URL,
		"FACADE_ADDR="+strings.TrimPrefix(e.f.URL, "http://"),
		"NATS_URL="+e.nats,
		"FACADE_TOKEN="+e.alice.Token,
		"CLOUDREVE_TOKEN="+e.alice.Token,
		"PYTHONDONTWRITEBYTECODE=1",
	)
}

// withTLSFacade starts a second facade on the same upstream and NATS that
// serves TLS with a certificate of a test CA, and adds where it is and the
// CA's file to the client environment: FACADE_TLS_URL, FACADE_TLS_ADDR
// (host:port) and FACADE_TLS_CA.
func withTLSFacade(t *testing.T, e *env, environ []string) []string {
	t.Helper()
	ca := newTestCA(t, "polyglot test CA")
	cert := ca.issue(t, "facade", true)
	// A replica of the first: it may poll the first one's watches, so it
	// opens their credentials with the same key.
	f := startFacadeOver(t, ca.tlsClient(nil), "https", "--upstream", e.up.URL, "--nats-url", e.nats, "--secret-key", polyglotSecretKey,
		"--tls-cert", cert.CertFile, "--tls-key", cert.KeyFile)
	return append(environ, "FACADE_TLS_URL="+f.URL, "FACADE_TLS_ADDR="+strings.TrimPrefix(f.URL, "https://"), "FACADE_TLS_CA="+ca.CAFile)
}

// runClient runs a client program from the repository root and fails the
// test with its output if it fails.
func runClient(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = repoRoot
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s:\n%s", name, strings.Join(args, " "), out)
	return string(out)
}

var (
	tsOnce sync.Once
	tsOut  string
	tsErr  string
	pyOnce sync.Once
	pyBin  string
	pyErr  string
)

// compiledTS compiles tests/ts and examples/ts once per run, with the tsc
// pinned in package.json, into a directory of its own (so that runs in the
// same tree do not step on each other) that resolves packages from the
// repository's node_modules, where npm ci installed the stubs' package from
// gen/ts (a "file:" dependency, as `npm install ./gen/ts` records it).
func compiledTS(t *testing.T) string {
	t.Helper()
	tsOnce.Do(func() {
		root, _ := filepath.Abs(repoRoot)
		if _, err := os.Stat(filepath.Join(root, "node_modules", "@cloudreve-connect", "facade-client", "package.json")); err != nil {
			tsErr = "node_modules lacks the stubs' package: run `npm ci` in the repository root (scripts/test.sh does)"
			return
		}
		out := filepath.Join(filepath.Dir(facadeBin), "ts")
		if err := os.MkdirAll(out, 0o755); err != nil {
			tsErr = err.Error()
			return
		}
		os.WriteFile(filepath.Join(out, "package.json"), []byte(`{"type":"module"}`+"\n"), 0o644)
		os.Symlink(filepath.Join(root, "node_modules"), filepath.Join(out, "node_modules"))
		cmd := exec.Command(filepath.Join(root, "node_modules", ".bin", "tsc"), "-p", filepath.Join(root, "tsconfig.json"), "--outDir", out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			tsErr = "tsc: " + err.Error() + "\n" + string(msg)
			return
		}
		tsOut = out
	})
	if tsErr != "" {
		t.Fatal(tsErr)
	}
	return tsOut
}

// installedPython is the python of a virtual environment, made once per run,
// that sees Debian's grpcio and protobuf and has the stubs' package
// installed by pip from gen/python, as a user would install it. pip builds
// in the source folder, so it builds a copy. Offline: --no-index, and the
// build backend is Debian's setuptools (--no-build-isolation).
func installedPython(t *testing.T) string {
	t.Helper()
	pyOnce.Do(func() {
		dir := filepath.Join(filepath.Dir(facadeBin), "python")
		venv, src := filepath.Join(dir, "venv"), filepath.Join(dir, "src")
		if err := os.CopyFS(src, os.DirFS(filepath.Join(repoRoot, "gen", "python"))); err != nil {
			pyErr = err.Error()
			return
		}
		for _, args := range [][]string{
			{"-m", "venv", "--without-pip", "--system-site-packages", venv},
			{"-m", "pip", "--python", filepath.Join(venv, "bin", "python"), "install", "--quiet", "--no-index", "--no-build-isolation", src},
		} {
			if msg, err := exec.Command("/usr/bin/python3", args...).CombinedOutput(); err != nil {
				pyErr = fmt.Sprintf("python3 %s: %v\n%s", strings.Join(args, " "), err, msg)
				return
			}
		}
		pyBin = filepath.Join(venv, "bin", "python")
	})
	if pyErr != "" {
		t.Fatal(pyErr)
	}
	return pyBin
}

// TypeScript over Connect and gRPC (tests/ts/*.test.ts), with node's test
// runner, and a JetStream consumer in TypeScript; one call over TLS.
func TestTypeScriptClients(t *testing.T) {
	e := polyglotEnv(t)
	out := compiledTS(t)
	runClient(t, withTLSFacade(t, e, clientEnv(e)), "node", "--test", "--test-reporter=spec", filepath.Join(out, "tests", "ts"))
}

// Python over gRPC (tests/python), with the installed stubs' package and
// Debian's grpcio and protobuf; one call over TLS.
func TestPythonClients(t *testing.T) {
	e := polyglotEnv(t)
	runClient(t, withTLSFacade(t, e, clientEnv(e)), installedPython(t), "-m", "unittest", "discover", "-v", "-s", "tests/python", "-t", "tests/python")
}

// The examples/ clients the README points to run against a facade and see
// their archive completed.
func TestExamples(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/hello.txt", "hello")
	env := clientEnv(e)
	goExample := filepath.Join(t.TempDir(), "example")
	runClient(t, os.Environ(), "go", "build", "-o", goExample, "./examples/go")
	examples := []struct {
		name string
		cmd  []string
	}{
		{"go", []string{goExample}},
		{"typescript", []string{"node", filepath.Join(compiledTS(t), "examples", "ts", "archive.js")}},
		{"python", []string{installedPython(t), "examples/python/archive.py"}},
	}
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			out := strings.TrimSpace(runClient(t, env, ex.cmd[0], ex.cmd[1:]...))
			lines := strings.Split(out, "\n")
			if !strings.Contains(lines[len(lines)-1], "COMPLETED") {
				t.Errorf("the example's last line is %q", lines[len(lines)-1])
			}
		})
	}
}

// The npm package would publish every generated module of gen/ts as
// JavaScript with its declarations, and its README, as `npm pack` lists
// them.
func TestTypeScriptPackageContents(t *testing.T) {
	cmd := exec.Command("npm", "pack", "--dry-run", "--json", "--ignore-scripts")
	cmd.Dir = filepath.Join(repoRoot, "gen", "ts")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("npm pack: %v", err)
	}
	var packs []struct {
		Name  string
		Files []struct{ Path string }
	}
	if err := json.Unmarshal(out, &packs); err != nil || len(packs) != 1 {
		t.Fatalf("npm pack answered %v: %s", err, out)
	}
	packed := map[string]bool{}
	for _, f := range packs[0].Files {
		packed[f.Path] = true
	}
	want := []string{"package.json", "README.md"}
	err = filepath.WalkDir(cmd.Dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(path, "_pb.js") || strings.HasSuffix(path, "_pb.d.ts")) {
			rel, _ := filepath.Rel(cmd.Dir, path)
			want = append(want, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 40 {
		t.Fatalf("only %d files in gen/ts: %v", len(want), want)
	}
	for _, f := range want {
		if !packed[f] {
			t.Errorf("%s would not be published", f)
		}
	}
	if len(packed) != len(want) {
		t.Errorf("the package holds %d files, gen/ts %d generated ones and 2 more", len(packed), len(want)-2)
	}
}
