package tests

import (
	"debug/elf"
	"os"
	"strings"
	"testing"
)

// The binary the tests run is the one the container image and the systemd
// unit ship (scripts/build.sh): a static executable that needs no libc, so
// it runs on a distroless or scratch image.
func TestBinaryIsStatic(t *testing.T) {
	f, err := elf.Open(facadeBin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the facade binary is dynamically linked (%v)", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the facade binary needs %v", libs)
	}
}

// The Dockerfile builds with scripts/build.sh (the build tested here) and
// runs as a non-root user.
func TestDockerfileUsesTheTestedBuild(t *testing.T) {
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	for _, want := range []string{"scripts/build.sh", "USER 65532:65532", "FACADE_LISTEN=0.0.0.0:8080"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	unit, err := os.ReadFile("../deploy/systemd/cloudreve-facade.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "ExecStart=/usr/local/bin/cloudreve-facade", "StateDirectory=cloudreve-facade"} {
		if !strings.Contains(string(unit), want) {
			t.Errorf("systemd unit lacks %q", want)
		}
	}
}
