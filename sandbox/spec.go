package sandbox

import (
	"strings"
	"sync"
	"unicode"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// opInfo is what the sandbox needs to know about one operation of the spec.
type opInfo struct {
	method, path string
	pro          bool // x-cloudreve-edition: pro
	login        bool // security has no anonymous alternative
	admin        bool // x-cloudreve-admin: administrators only
}

type opTable struct {
	byName      map[string]opInfo // by generated Go method name, e.g. "ListTasks"
	proPatterns map[string]bool   // ServeMux patterns, e.g. "GET /api/v4/group/list"
	// adminPatterns are the ServeMux patterns of the administrators'
	// operations, e.g. "POST /api/v4/admin/queue".
	adminPatterns map[string]bool
}

// specOps reads the operation table from the spec embedded in the generated
// server, so edition and authentication rules follow the contract.
var specOps = sync.OnceValue(func() *opTable {
	doc, err := cloudreveapi.GetSwagger()
	if err != nil {
		panic("sandbox: embedded spec: " + err.Error())
	}
	t := &opTable{byName: map[string]opInfo{}, proPatterns: map[string]bool{}, adminPatterns: map[string]bool{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			info := opInfo{method: method, path: path}
			if v, ok := op.Extensions["x-cloudreve-edition"].(string); ok && v == EditionPro {
				info.pro = true
				t.proPatterns[method+" "+APIPrefix+path] = true
			}
			if v, ok := op.Extensions["x-cloudreve-admin"].(bool); ok && v {
				info.admin = true
				t.adminPatterns[method+" "+APIPrefix+path] = true
			}
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			info.login = len(sec) > 0
			for _, req := range sec {
				if len(req) == 0 {
					info.login = false
				}
			}
			t.byName[goName(op.OperationID)] = info
		}
	}
	return t
})

// goName turns an operationId into the generated method name.
func goName(opID string) string {
	if opID == "" {
		return ""
	}
	r := []rune(opID)
	r[0] = unicode.ToUpper(r[0])
	return strings.TrimSpace(string(r))
}
