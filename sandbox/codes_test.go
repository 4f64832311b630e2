package sandbox

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// upstreamCodes reads the Code constants of internal/upstream: name → value.
func upstreamCodes(t *testing.T) map[string]int {
	f, err := parser.ParseFile(token.NewFileSet(), "../internal/upstream/codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == len(vs.Names) {
			for i, name := range vs.Names {
				lit := vs.Values[i]
				neg := false
				if u, ok := lit.(*ast.UnaryExpr); ok && u.Op == token.SUB {
					lit, neg = u.X, true
				}
				if b, ok := lit.(*ast.BasicLit); ok && b.Kind == token.INT {
					v, _ := strconv.Atoi(b.Value)
					if neg {
						v = -v
					}
					out[name.Name] = v
				}
			}
		}
		return true
	})
	return out
}

// Every code the sandbox can answer comes from internal/upstream's table and
// has an ErrorInfo reason there, so what the facade tells a caller about a
// sandbox answer is what it tells about a real server's.
func TestEveryAnsweredCodeHasAReason(t *testing.T) {
	codes := upstreamCodes(t)
	files, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if x, ok := n.X.(*ast.Ident); ok && x.Name == "upstream" && strings.HasPrefix(n.Sel.Name, "Code") {
					used[n.Sel.Name] = true
				}
			case *ast.ValueSpec:
				for _, id := range n.Names {
					if strings.HasPrefix(id.Name, "code") {
						t.Errorf("%s: constant %s: Cloudreve codes belong in internal/upstream/codes.go", name, id.Name)
					}
				}
			}
			return true
		})
	}
	if len(used) < 20 {
		t.Fatalf("found only %d codes in use", len(used))
	}
	for name := range used {
		v, ok := codes[name]
		if !ok {
			continue // a function such as upstream.CodeName
		}
		if upstream.Reason(v) == "" {
			t.Errorf("upstream.%s (%d) has no reason", name, v)
		}
	}
	if n := len(upstream.KnownCodes()); n < len(codes)-1 {
		t.Errorf("the table has %d codes for %d constants", n, len(codes))
	}
}
