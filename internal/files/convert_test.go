package files

import (
	"slices"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
)

func TestCapabilitiesDecode(t *testing.T) {
	// Bits 0, 7, 9 and 23 (create, download, list, enter folder), and bit 3,
	// which has no name.
	got := Capabilities("iQKAAA==")
	want := []filev1.Capability{filev1.Capability_CAPABILITY_CREATE_FILE, filev1.Capability_CAPABILITY_DOWNLOAD_FILE,
		filev1.Capability_CAPABILITY_LIST_CHILDREN, filev1.Capability_CAPABILITY_ENTER_FOLDER}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if Capabilities("not base64!") != nil {
		t.Error("garbage decoded")
	}
}

// A locked share never shows its password, even when an older server puts
// it in the URL.
func TestSharePasswordNeedsUnlocking(t *testing.T) {
	pw := "abc123"
	locked := Share(&cloudreveapi.Share{Id: "Xy9z", Url: "https://drive.example/s/Xy9z/abc123", Password: &pw, Unlocked: false, CreatedAt: time.Now()})
	if locked.GetPassword() != "" || locked.GetUrl() != "https://drive.example/s/Xy9z" {
		t.Errorf("locked share %v", locked)
	}
	open := Share(&cloudreveapi.Share{Id: "Xy9z", Url: "https://drive.example/s/Xy9z/abc123", Password: &pw, Unlocked: true})
	if open.GetPassword() != pw || open.GetUrl() != "https://drive.example/s/Xy9z/abc123" {
		t.Errorf("unlocked share %v", open)
	}
	if got := WithoutPassword("https://d.example/s/Xy9z/pw?x=1", "Xy9z"); got != "https://d.example/s/Xy9z?x=1" {
		t.Errorf("with a query: %q", got)
	}
	if got := ShareID("https://d.example/sub/s/Xy9z/pw"); got != "Xy9z" {
		t.Errorf("id %q", got)
	}
}

func TestViewRoundTrip(t *testing.T) {
	w := int32(120)
	in := &filev1.ExplorerView{PageSize: 60, Order: "name", OrderDirection: "desc", View: "grid", Thumbnail: true, GalleryWidth: 200,
		Columns: []*filev1.ListViewColumn{{Type: 3, Width: &w, Props: &filev1.ListViewColumnProps{MetadataKey: "tag:x"}}, {Type: 0}}}
	out := View(ViewToUpstream(in))
	if out.String() != in.String() {
		t.Errorf("got %v, want %v", out, in)
	}
	if ViewToUpstream(nil) != nil || View(nil) != nil {
		t.Error("nil views")
	}
}
