package upstream

import (
	"strings"
	"testing"
)

// The keys below are what Cloudreve 4.0.0 and 4.18.0 answered to a move of
// these URIs (observed on both servers).
func TestServerItemKey(t *testing.T) {
	cases := map[string]string{
		"cloudreve://my/rf1/no such é.txt":  "cloudreve://my/rf1/no%20such%20%C3%A9.txt",
		"cloudreve://my/rf1/no%20such2.txt": "cloudreve://my/rf1/no%20such2.txt",
		"cloudreve://my/rf1/x?y#z":          "cloudreve://my/rf1/x?y#z",
		"cloudreve://my/rf1/trail/":         "cloudreve://my/rf1/trail",
		"magnet:?xt=urn:btih:abc def":       "magnet:?xt=urn:btih:abc def",
		"https://example.com/a b":           "https://example.com/a b",
	}
	for in, want := range cases {
		if got := ServerItemKey(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestNameItemsMapsBackAndListsApplied(t *testing.T) {
	requested := []string{"cloudreve://my/a b.txt", "cloudreve://my/no such é.txt", "cloudreve://my/gone/", "cloudreve://my/c.txt"}
	e := &Error{Op: "moveFiles", Code: CodeBatchPartialFailure, Msg: "One or more operation failed", Items: map[string]*Error{
		"cloudreve://my/no%20such%20%C3%A9.txt": {Code: CodeParentNotExist, Msg: "Path not exist"},
		"cloudreve://my/gone":                   {Code: CodeParentNotExist, Msg: "Path not exist"},
	}}
	e.NameItems(requested)
	if got := e.ItemKeys(); len(got) != 2 || got[0] != "cloudreve://my/gone/" || got[1] != "cloudreve://my/no such é.txt" {
		t.Errorf("failed items %q", got)
	}
	if len(e.Applied) != 2 || e.Applied[0] != "cloudreve://my/a b.txt" || e.Applied[1] != "cloudreve://my/c.txt" {
		t.Errorf("applied %q", e.Applied)
	}
	if msg := e.Error(); !strings.Contains(msg, "applied to the other 2: cloudreve://my/a b.txt, cloudreve://my/c.txt") {
		t.Errorf("message %q", msg)
	}
}

func TestNameItemsAllFailed(t *testing.T) {
	e := &Error{Code: CodeBatchPartialFailure, Items: map[string]*Error{"cloudreve://my/x%20y": {Code: CodeParentNotExist}}}
	e.NameItems([]string{"cloudreve://my/x y"})
	if e.Applied == nil || len(e.Applied) != 0 || !strings.Contains(e.Error(), "no item was applied") {
		t.Errorf("applied %q, message %q", e.Applied, e.Error())
	}
}

// A key the request does not explain (the server named an item itself, as
// restore does with trash URIs) stays as given, and nothing is claimed
// about the other items.
func TestNameItemsUnknownKey(t *testing.T) {
	e := &Error{Code: CodeBatchPartialFailure, Items: map[string]*Error{"cloudreve://trash/1/x": {Code: CodeNoPermission}}}
	e.NameItems([]string{"cloudreve://my/x", "cloudreve://my/y"})
	if _, ok := e.Items["cloudreve://trash/1/x"]; !ok || e.Applied != nil {
		t.Errorf("items %v applied %q", e.ItemKeys(), e.Applied)
	}
	if strings.Contains(e.Error(), "applied") {
		t.Errorf("message claims applied items: %q", e.Error())
	}
}

// A share password never reaches an error.
func TestNameItemsDropsPasswords(t *testing.T) {
	e := &Error{Code: CodeBatchPartialFailure, Items: map[string]*Error{"cloudreve://AbC:s3cr%40t@share/a%20b": {Code: CodeParentNotExist}}}
	e.NameItems([]string{"cloudreve://AbC:s3cr%40t@share/a b", "cloudreve://XyZ:pw@share/ok"})
	if _, ok := e.Items["cloudreve://AbC@share/a b"]; !ok {
		t.Errorf("items %v", e.ItemKeys())
	}
	if msg := e.Error(); strings.Contains(msg, "s3cr") || strings.Contains(msg, "pw@") || !strings.Contains(msg, "cloudreve://XyZ@share/ok") {
		t.Errorf("message %q", msg)
	}
}

// Other codes are left alone.
func TestNameItemsOnlyForBatches(t *testing.T) {
	e := &Error{Code: CodeLockConflict}
	e.NameItems([]string{"cloudreve://my/a"})
	if e.Applied != nil {
		t.Errorf("applied %q", e.Applied)
	}
}
