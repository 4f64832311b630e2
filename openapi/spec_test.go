package openapi

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// tocEntry is one row of testdata/operations.tsv: the docs' table of contents
// with the real method and path of each operation.
type tocEntry struct {
	tag, name, operationID, method, path, edition string
}

func readTOC(t *testing.T) []tocEntry {
	t.Helper()
	f, err := os.Open("testdata/operations.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var toc []tocEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 6 {
			t.Fatalf("bad TOC line %q", line)
		}
		toc = append(toc, tocEntry{c[0], c[1], c[2], c[3], c[4], c[5]})
	}
	return toc
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(Spec)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return doc
}

func TestSpecIsOpenAPI303(t *testing.T) {
	doc := loadSpec(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi version %q, want 3.0.3", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/api/v4" {
		t.Errorf("servers %v, want the single base /api/v4", doc.Servers)
	}
	if bytes.Contains(Spec, []byte("x-apifox")) {
		t.Error("spec carries x-apifox vendor keys")
	}
	if _, ok := doc.Components.SecuritySchemes["BearerAuth"]; !ok {
		t.Error("no BearerAuth security scheme")
	}
}

// Every operation of the docs is present, with its real method and path, its
// docs group as tag, and its edition marked.
func TestSpecCoversTheDocs(t *testing.T) {
	doc := loadSpec(t)
	toc := readTOC(t)
	if len(toc) != 88 {
		t.Fatalf("TOC has %d operations, want 88", len(toc))
	}
	seen := map[string]bool{}
	for _, want := range toc {
		item := doc.Paths.Find(want.path)
		if item == nil {
			t.Errorf("%s: path %s missing", want.name, want.path)
			continue
		}
		op := item.GetOperation(want.method)
		if op == nil {
			t.Errorf("%s: %s %s missing", want.name, want.method, want.path)
			continue
		}
		seen[want.method+" "+want.path] = true
		if op.OperationID != want.operationID {
			t.Errorf("%s %s: operationId %q, want %q", want.method, want.path, op.OperationID, want.operationID)
		}
		if len(op.Tags) != 1 || op.Tags[0] != want.tag {
			t.Errorf("%s: tags %v, want [%s]", want.operationID, op.Tags, want.tag)
		}
		edition, _ := op.Extensions[EditionExtension].(string)
		if (want.edition == "pro") != (edition == "pro") {
			t.Errorf("%s: edition mark %q, TOC says %s", want.operationID, edition, want.edition)
		}
		if op.Summary == "" {
			t.Errorf("%s: no summary", want.operationID)
		}
	}
	n := 0
	var admin []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			n++
			if seen[method+" "+path] {
				continue
			}
			// Beyond the docs: the admin operations the facade uses.
			if marked, _ := op.Extensions[AdminExtension].(bool); !marked || len(op.Tags) != 1 || op.Tags[0] != "Admin" {
				t.Errorf("%s %s is not in the docs' table of contents, nor an Admin operation marked %s", method, path, AdminExtension)
				continue
			}
			admin = append(admin, op.OperationID)
		}
	}
	if n != 88+len(adminOperations) {
		t.Errorf("spec has %d operations, want the docs' 88 and %d admin", n, len(adminOperations))
	}
	sort.Strings(admin)
	if strings.Join(admin, ",") != strings.Join(adminOperations, ",") {
		t.Errorf("admin operations %v, want %v", admin, adminOperations)
	}
}

// adminOperations are the operations beyond the docs, all the facade uses:
// the task watcher reads every user's tasks with the admin task listing.
var adminOperations = []string{"listAdminTasks"}

// Each JSON success answer is the envelope with a typed data, modelled once:
// a $ref to Envelope or to a named schema built on it with allOf.
func TestSpecEnvelopes(t *testing.T) {
	doc := loadSpec(t)
	envelope := doc.Components.Schemas["Envelope"]
	if envelope == nil {
		t.Fatal("no Envelope schema")
	}
	for _, field := range []string{"code", "msg", "error", "correlation_id", "aggregated_error"} {
		if envelope.Value.Properties[field] == nil {
			t.Errorf("Envelope lacks %s", field)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ok := op.Responses.Status(200)
			if ok == nil {
				t.Errorf("%s %s: no 200 response", method, path)
				continue
			}
			media := ok.Value.Content.Get("application/json")
			if media == nil {
				continue // binary answers (avatars) are not enveloped
			}
			ref := media.Schema.Ref
			if ref == "" {
				t.Errorf("%s: 200 schema is inline, want a named envelope", op.OperationID)
				continue
			}
			if ref == "#/components/schemas/Envelope" {
				continue
			}
			s := media.Schema.Value
			if len(s.AllOf) != 2 || s.AllOf[0].Ref != "#/components/schemas/Envelope" {
				t.Errorf("%s: %s is not allOf[Envelope, {data}]", op.OperationID, ref)
				continue
			}
			data := s.AllOf[1].Value.Properties["data"]
			if data == nil {
				t.Errorf("%s: %s has no data", op.OperationID, ref)
			}
		}
	}
}

// Operations that run without a login say so; all others need the bearer.
func TestSpecSecurity(t *testing.T) {
	doc := loadSpec(t)
	if len(doc.Security) != 1 {
		t.Fatalf("global security %v", doc.Security)
	}
	noLogin := map[string]bool{
		"ping": true, "getCaptcha": true, "passwordSignIn": true, "finishSignInWith2FA": true,
		"refreshToken": true, "preparePasskeySignIn": true, "finishPasskeySignIn": true, "prepareLogin": true,
		"signUp": true, "sendResetPasswordEmail": true, "resetPasswordViaTempLink": true, "getProfilePicture": true,
		"completeObsUpload": true, "completeOneDriveUpload": true, "completeCosUpload": true, "completeS3Upload": true,
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if !noLogin[op.OperationID] {
				continue
			}
			if op.Security == nil {
				t.Errorf("%s needs no login but inherits the global bearer requirement", op.OperationID)
				continue
			}
			anonymous := len(*op.Security) == 0
			for _, req := range *op.Security {
				if len(req) == 0 {
					anonymous = true
				}
			}
			if !anonymous {
				t.Errorf("%s needs no login but its security %v has no anonymous option", op.OperationID, *op.Security)
			}
		}
	}
}

// The docs' known path faults are corrected.
func TestSpecFixesDocFaults(t *testing.T) {
	doc := loadSpec(t)
	for _, wrong := range []string{"/workflow/reloacte", "/file/source{id}"} {
		if doc.Paths.Find(wrong) != nil {
			t.Errorf("spec keeps the docs' wrong path %s", wrong)
		}
	}
	status := doc.Components.Schemas["TaskStatus"]
	if status == nil {
		t.Fatal("no TaskStatus enum")
	}
	var got []string
	for _, v := range status.Value.Enum {
		got = append(got, v.(string))
	}
	if strings.Join(got, ",") != "queued,processing,suspending,error,canceled,completed" {
		t.Errorf("TaskStatus enum %v", got)
	}
}

// Every data model of the docs' table of contents is a named schema. The
// docs' generic "Response" is the Envelope every answer is built on.
func TestSpecHasTheDocsModels(t *testing.T) {
	doc := loadSpec(t)
	models := []string{"SiteConfig", "User", "Group", "FileViewer", "PaymentProvider", "PaymentSetting",
		"StorageProduct", "GroupSKU", "CaptchaFields", "Token", "LoginResponse", "PermissionSetting", "Share",
		"PaginationResults", "ListShareResponse", "TaskListResponse", "Node", "TaskResponse", "Progress",
		"ArchiveWorkflowService", "StoragePolicy", "Entity", "ExtendedInfo", "FolderSummary", "FileResponse",
		"NavigatorProps", "ListResponse", "LogEntry", "Activity", "FileActivitiesResponse", "ExplorerView",
		"ListViewColumn", "PinFileService", "ShareCreateService", "Payment", "Passkey", "DavAccount",
		"CreateDavAccountService", "CustomProps", "CustomNavItem", "CustomHTML", "ArchivedFile", "Envelope"}
	for _, name := range models {
		s := doc.Components.Schemas[name]
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		if len(s.Value.Properties) == 0 && len(s.Value.AllOf) == 0 {
			t.Errorf("schema %s has no properties", name)
		}
	}
	// Enums the server has.
	for _, name := range []string{"TaskStatus", "TaskType", "NodeType", "FileType", "EntityType", "StoragePolicyType", "ListTaskCategory"} {
		if s := doc.Components.Schemas[name]; s == nil || len(s.Value.Enum) == 0 {
			t.Errorf("%s is not an enum", name)
		}
	}
}
