package upstream

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Reasons follow AIP-193 (UPPER_SNAKE_CASE, at most 63 characters), name one
// kind of failure each, and are all listed where callers read them: the
// comment of proto/cloudreve/common/v1/errors.proto.
func TestReasons(t *testing.T) {
	doc, err := os.ReadFile("../../proto/cloudreve/common/v1/errors.proto")
	if err != nil {
		t.Fatal(err)
	}
	form := regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,61}[A-Z0-9]$`)
	seen := map[string]int{}
	for _, code := range KnownCodes() {
		r := Reason(code)
		if !form.MatchString(r) {
			t.Errorf("%d: reason %q", code, r)
		}
		if other, dup := seen[r]; dup {
			t.Errorf("%d and %d share the reason %s", other, code, r)
		}
		seen[r] = code
		if !regexp.MustCompile(fmt.Sprintf(`//\s+%s\s+%d\s`, r, code)).Match(doc) {
			t.Errorf("errors.proto does not list %s (%d)", r, code)
		}
	}
	if !strings.Contains(string(doc), "CLOUDREVE_ERROR") {
		t.Error("errors.proto does not list the fallback reason")
	}
}
