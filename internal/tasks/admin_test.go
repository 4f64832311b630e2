package tasks

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

func TestMaskSignatures(t *testing.T) {
	for in, want := range map[string]string{
		"no url here": "no url here",
		// The URL runs to the next space, a colon after it included (so
		// the server writes it again escaped).
		"Get http://node:5212/api/v4/slave/upload?sign=abc%3D%3D&b=2: timeout": "Get http://node:5212/api/v4/slave/upload?b=2%3A&sign=REDACTED timeout",
		"https://a.example/x?sign=1 and https://a.example/x?sign=1":            "https://a.example/x?sign=REDACTED and https://a.example/x?sign=REDACTED",
		"https://a.example/plain?z=1&a=2":                                      "https://a.example/plain?z=1&a=2", // no sign: the query stays as it was
	} {
		if got := MaskSignatures(in); got != want {
			t.Errorf("MaskSignatures(%q) = %q, want %q", in, got, want)
		}
	}
}

// A row of the admin listing, as real 4.18.0 answered it, becomes what the
// owner's listing showed for the same task (both recorded in openapi's
// testdata, ids rewritten alike).
func TestFromAdminIsTheOwnersView(t *testing.T) {
	var admin struct {
		Data cloudreveapi.AdminTaskListResponse `json:"data"`
	}
	raw, err := os.ReadFile("../../openapi/testdata/responses/listAdminTasks.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &admin); err != nil {
		t.Fatal(err)
	}
	node := &cloudreveapi.Node{Id: "x8Hb", Name: "Master", Type: cloudreveapi.Master, Capabilities: "Dg=="}
	extract := FromAdmin(&admin.Data.Tasks[1], node)
	// The owner's listing of the same task (4.18.0): duration 30 ms of
	// 30489556 ns, errors and retries as stored, the node by hashid.
	if extract.Id != "Zp9w" || extract.Status != cloudreveapi.TaskStatusError || extract.Type != cloudreveapi.TaskTypeExtractArchive ||
		values.Deref(extract.Duration) != 30 || values.Deref(extract.RetryCount) != 5 || values.Deref(extract.ResumeTime) != 1796437779 ||
		values.Deref(extract.Error) != "failed to extract archive: zip: not a valid zip file" || len(values.DerefSlice(extract.ErrorHistory)) != 5 ||
		extract.Node != node || extract.Summary == nil || values.Deref(extract.Summary.Props.Src) != "cloudreve://my/Imports/not-a-zip.zip" {
		t.Errorf("extract: %+v", extract)
	}
	archive := FromAdmin(&admin.Data.Tasks[0], nil)
	// Zero values are left out, as the owner's listing leaves them out.
	if archive.Id != "kR3x" || values.Deref(archive.Duration) != 11 || archive.Error != nil || archive.ErrorHistory != nil ||
		archive.RetryCount != nil || archive.Node != nil || values.Deref(archive.Summary.Phase) != "upload_archive" {
		t.Errorf("archive: %+v", archive)
	}
}
