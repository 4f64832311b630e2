package sandbox

import (
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

func TestUnknownRoutesAndProOperations(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("admin@example.com")
	for _, tc := range []struct{ method, path string }{
		{"GET", "/api/v4/no/such/route"},
		{"GET", "/nothing"},
		{"POST", "/api/v4/site/ping"},         // wrong method: 404, not 405
		{"GET", "/api/v4/group/list"},         // commercial-only
		{"POST", "/api/v4/workflow/relocate"}, // commercial-only
		{"GET", "/api/v4/user/setting/policies"},
	} {
		req, _ := http.NewRequest(tc.method, e.srv.URL+tc.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
			strings.TrimSpace(string(body)) != "404 page not found" {
			t.Errorf("%s %s: HTTP %d %q %q, want the plain 404", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	// Through the generated client too.
	g := must(c.ListGroupsWithResponse(bg))
	if g.StatusCode() != 404 || g.JSON200 != nil {
		t.Errorf("ListGroups on community: HTTP %d", g.StatusCode())
	}
}

func TestProEditionServesProOperations(t *testing.T) {
	e := newEnv(t, Options{Edition: EditionPro})
	_, c := e.user("admin@example.com")
	g := must(c.ListGroupsWithResponse(bg))
	if g.JSON200 == nil {
		t.Fatalf("ListGroups on pro: HTTP %d %s", g.StatusCode(), g.Body)
	}
	code(t, "list groups", g.JSON200.Code, 0, g.JSON200.Msg)
	if len(*g.JSON200.Data) != 2 {
		t.Errorf("groups %+v", *g.JSON200.Data)
	}
	mkdir(t, c, "cloudreve://my/a")
	list := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my"}))
	rel := must(c.RelocateStoragePolicyWithResponse(bg, cloudreveapi.RelocateStoragePolicyJSONRequestBody{
		Src: []string{"cloudreve://my/a"}, DstPolicyId: list.JSON200.Data.StoragePolicy.Id}))
	code(t, "relocate", rel.JSON200.Code, 0, rel.JSON200.Msg)
	if rel.JSON200.Data.Type != cloudreveapi.TaskTypeRelocate {
		t.Errorf("type %q", rel.JSON200.Data.Type)
	}
}

func TestEnvelopeErrors(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("admin@example.com")
	_ = c
	access, _, _ := e.s.IssueTokens(must(e.s.CreateUser("b@example.com", "password123", "")))

	// A body that is not JSON: 40001, HTTP 200, no correlation id.
	req, _ := http.NewRequest("POST", e.srv.URL+APIPrefix+"/file/create", strings.NewReader("{not json"))
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("Content-Type", "application/json")
	env := doEnvelope(t, req)
	if env.Code != 40001 || env.CorrelationId != nil {
		t.Errorf("bad JSON: %+v", env)
	}
	// A missing required query parameter is a binding error too.
	req, _ = http.NewRequest("GET", e.srv.URL+APIPrefix+"/workflow?category=general", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	env = doEnvelope(t, req)
	if env.Code != 40001 || env.CorrelationId != nil || env.Msg != "PageSize cannot be empty" {
		t.Errorf("missing page_size: %+v", env)
	}
	// Service errors carry a correlation id, the client's when it sent one.
	const cid = "0b7c3c1e-8d1a-4c43-9d43-0b5c7d3a1e22"
	req, _ = http.NewRequest("GET", e.srv.URL+APIPrefix+"/file?uri=cloudreve://my/nope", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	req.Header.Set("X-Cr-Correlation-Id", cid)
	env = doEnvelope(t, req)
	if env.Code != 40016 || env.CorrelationId == nil || *env.CorrelationId != cid {
		t.Errorf("not found with correlation id: %+v", env)
	}
	req, _ = http.NewRequest("GET", e.srv.URL+APIPrefix+"/file?uri=cloudreve://my/nope", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	env = doEnvelope(t, req)
	if env.CorrelationId == nil || !isUUID(*env.CorrelationId) || *env.CorrelationId == cid {
		t.Errorf("generated correlation id: %+v", env)
	}
	// Successful answers leave data out when there is none.
	resp := must(http.Get(e.srv.URL + APIPrefix + "/site/ping"))
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"data":"4.18.0"`) || !strings.Contains(string(body), `"code":0`) {
		t.Errorf("ping body %s", body)
	}
}

// Every operation of the generated interface is in the table read from the
// spec, and the table agrees with the spec's editions and security.
func TestOperationTable(t *testing.T) {
	ops := specOps()
	it := reflect.TypeOf((*cloudreveapi.StrictServerInterface)(nil)).Elem()
	// The docs' 88 operations and the admin task listing.
	if it.NumMethod() != 89 || len(ops.byName) != 89 {
		t.Fatalf("%d interface methods, %d operations", it.NumMethod(), len(ops.byName))
	}
	for i := range it.NumMethod() {
		if _, ok := ops.byName[it.Method(i).Name]; !ok {
			t.Errorf("%s not in the operation table", it.Method(i).Name)
		}
	}
	for name, want := range map[string]opInfo{
		"ListGroups":            {pro: true, login: true},
		"ListTasks":             {login: true},
		"ListFiles":             {login: false},
		"PasswordSignIn":        {login: false},
		"RelocateStoragePolicy": {pro: true, login: true},
		"CompleteS3Upload":      {login: false},
		"ListAdminTasks":        {login: true, admin: true},
	} {
		got := ops.byName[name]
		if got.pro != want.pro || got.login != want.login || got.admin != want.admin {
			t.Errorf("%s: %+v, want pro=%v login=%v admin=%v", name, got, want.pro, want.login, want.admin)
		}
	}
	if len(ops.adminPatterns) != 1 || !ops.adminPatterns["POST "+APIPrefix+"/admin/queue"] {
		t.Errorf("admin operations %v", ops.adminPatterns)
	}
	if len(ops.proPatterns) != 18 {
		t.Errorf("%d pro operations", len(ops.proPatterns))
	}
}

func TestHashids(t *testing.T) {
	h := newHasher()
	seen := map[string]bool{}
	for n := int64(1); n < 3000; n++ {
		id := h.encode(kindTask, n)
		if seen[id] || len(id) < 4 || len(id) > 6 {
			t.Fatalf("id %q for %d", id, n)
		}
		seen[id] = true
		if got, ok := h.decode(kindTask, id); !ok || got != n {
			t.Fatalf("decode %q = %d %v, want %d", id, got, ok, n)
		}
		if _, ok := h.decode(kindFile, id); ok {
			t.Fatalf("task id %q decodes as a file id", id)
		}
	}
}
