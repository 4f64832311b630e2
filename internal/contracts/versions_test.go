package contracts

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

// The three client packages are released together: the npm package, the
// Python package, the version of gen/go the main module requires and the
// newest entry of gen/CHANGELOG.md name one version.
func TestClientPackagesShareOneVersion(t *testing.T) {
	read := func(path string) []byte {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var npm struct{ Version string }
	if err := json.Unmarshal(read("../../gen/ts/package.json"), &npm); err != nil {
		t.Fatal(err)
	}
	python := regexp.MustCompile(`(?m)^version = "([^"]+)"$`).FindSubmatch(read("../../gen/python/pyproject.toml"))
	changelog := regexp.MustCompile(`(?m)^## (\S+)$`).FindSubmatch(read("../../gen/CHANGELOG.md"))
	goMod := regexp.MustCompile(`(?m)^\s+github\.com/cloudreve-connect/facade/gen/go v(\S+)$`).FindSubmatch(read("../../go.mod"))
	if python == nil || changelog == nil || goMod == nil {
		t.Fatalf("a version is missing: pyproject %q, changelog %q, go.mod %q", python, changelog, goMod)
	}
	want := string(changelog[1])
	for name, v := range map[string]string{"gen/ts/package.json": npm.Version, "gen/python/pyproject.toml": string(python[1]), "go.mod (gen/go)": string(goMod[1])} {
		if v != want {
			t.Errorf("%s says %s, gen/CHANGELOG.md %s", name, v, want)
		}
	}
}
