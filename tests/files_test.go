package tests

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/protobuf/types/known/timestamppb"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1/sharev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

func fileClient(f *facade, opts ...clientOption) filev1connect.FileServiceClient {
	return filev1connect.NewFileServiceClient(connectClient(h2cClient(), f.URL, opts...))
}

func shareClient(f *facade, opts ...clientOption) sharev1connect.ShareServiceClient {
	return sharev1connect.NewShareServiceClient(connectClient(h2cClient(), f.URL, opts...))
}

// failedItems lists the items of an error's UpstreamError detail.
func failedItems(t *testing.T, err error) map[string]int32 {
	t.Helper()
	_, up := errorDetails(t, err)
	out := map[string]int32{}
	for _, it := range up.GetItems() {
		out[it.GetItem()] = it.GetCode()
	}
	return out
}

// lockConflict finds the LockConflict detail of an error.
func lockConflict(err error) *filev1.LockConflict {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return nil
	}
	for _, d := range ce.Details() {
		if v, err := connectproto.UnmarshalErrorDetail(d); err == nil {
			if lc, ok := v.(*filev1.LockConflict); ok {
				return lc
			}
		}
	}
	return nil
}

// outcome is a call's result, checked with ok: of(c.Call(…)).ok(t, "what").
type outcome[T any] struct {
	v   T
	err error
}

func of[T any](v T, err error) outcome[T] { return outcome[T]{v, err} }

func (o outcome[T]) ok(t *testing.T, what string) T {
	t.Helper()
	if o.err != nil {
		t.Fatalf("%s: %v", what, o.err)
	}
	return o.v
}

func wantCode(t *testing.T, what string, err error, code connect.Code) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Errorf("%s: got %v, want %v", what, err, code)
	}
}

// Every unary FileService RPC of the community edition, over both protocols.
func TestFileOperations(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			dir := "cloudreve://my/" + p.name
			folder := of(c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: dir, Type: filev1.FileType_FILE_TYPE_FOLDER})).ok(t, "create folder")
			if folder.GetFile().GetType() != filev1.FileType_FILE_TYPE_FOLDER || folder.GetFile().GetPath() != dir {
				t.Fatalf("folder %v", folder)
			}
			_, err := c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: dir, Type: filev1.FileType_FILE_TYPE_FOLDER, ErrOnConflict: true})
			wantCode(t, "folder again", err, connect.CodeAlreadyExists)

			v1 := of(c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/notes.txt", Content: []byte("one")})).ok(t, "content").GetFile()
			v2 := of(c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/notes.txt", Previous: v1.GetPrimaryEntity(), Content: []byte("two!")})).ok(t, "content again").GetFile()
			_, err = c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/notes.txt", Previous: v1.GetPrimaryEntity(), Content: []byte("late")})
			wantCode(t, "stale content", err, connect.CodeFailedPrecondition)
			if v2.GetSize() != 4 || !hasCapability(v2, filev1.Capability_CAPABILITY_VERSION_CONTROL) {
				t.Errorf("file %v", v2)
			}

			info := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Id: v2.GetId(), Extended: true})).ok(t, "info").GetFile()
			if ext := info.GetExtendedInfo(); len(ext.GetEntities()) != 2 || ext.GetStorageUsed() != 7 || ext.GetStoragePolicy().GetId() == "" {
				t.Errorf("extended %v", ext)
			}
			of(c.SetFileVersion(ctx, &filev1.SetFileVersionRequest{Uri: dir + "/notes.txt", Version: v1.GetPrimaryEntity()})).ok(t, "set version")
			_, err = c.DeleteFileVersion(ctx, &filev1.DeleteFileVersionRequest{Uri: dir + "/notes.txt", Version: v1.GetPrimaryEntity()})
			wantCode(t, "delete the current version", err, connect.CodePermissionDenied)
			of(c.DeleteFileVersion(ctx, &filev1.DeleteFileVersionRequest{Uri: dir + "/notes.txt", Version: v2.GetPrimaryEntity()})).ok(t, "delete version")
			sum := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir, FolderSummary: true})).ok(t, "summary").GetFile().GetFolderSummary()
			if sum.GetFiles() != 1 || sum.GetSize() != 3 || !sum.GetCompleted() {
				t.Errorf("summary %v", sum)
			}

			renamed := of(c.RenameFile(ctx, &filev1.RenameFileRequest{Uri: dir + "/notes.txt", NewName: "memo.txt"})).ok(t, "rename").GetFile()
			if renamed.GetPath() != dir+"/memo.txt" {
				t.Errorf("renamed %v", renamed)
			}
			of(c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: dir + "/sub", Type: filev1.FileType_FILE_TYPE_FOLDER})).ok(t, "sub folder")
			of(c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{dir + "/memo.txt"}, Dst: dir + "/sub", Copy: true})).ok(t, "copy")
			of(c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: dir + "/other", Type: filev1.FileType_FILE_TYPE_FOLDER})).ok(t, "other folder")
			of(c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{dir + "/memo.txt"}, Dst: dir + "/other"})).ok(t, "move")
			_, err = c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/memo.txt"})
			wantCode(t, "moved away", err, connect.CodeNotFound)

			urls := of(c.CreateDownloadUrl(ctx, &filev1.CreateDownloadUrlRequest{Uris: []string{dir + "/sub/memo.txt"}})).ok(t, "download url")
			if body := httpGet(t, urls.GetUrls()[0].GetUrl()); body != "one" || urls.GetExpires() == nil {
				t.Errorf("download %q %v", body, urls)
			}

			of(c.PatchMetadata(ctx, &filev1.PatchMetadataRequest{Uris: []string{dir + "/sub/memo.txt"}, Patches: []*filev1.MetadataPatch{{Key: "tag:urgent", Value: "red"}}})).ok(t, "metadata")
			_, err = c.PatchMetadata(ctx, &filev1.PatchMetadataRequest{Uris: []string{dir + "/sub/memo.txt"}, Patches: []*filev1.MetadataPatch{{Key: "thumb:other", Value: "x"}}})
			wantCode(t, "metadata the server refuses", err, connect.CodeInvalidArgument)
			if md := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/sub/memo.txt"})).ok(t, "info").GetFile().GetMetadata(); md["tag:urgent"] != "red" {
				t.Errorf("metadata %v", md)
			}

			view := &filev1.ExplorerView{PageSize: 60, View: "gallery", OrderDirection: "asc", GalleryWidth: 200, Columns: []*filev1.ListViewColumn{{Type: 2}}}
			of(c.UpdateViewSetting(ctx, &filev1.UpdateViewSettingRequest{Uri: dir + "/sub", View: view})).ok(t, "view")
			listed := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: dir + "/sub"})).ok(t, "list")
			if listed.GetView().GetView() != "gallery" || listed.GetParent().GetName() != "sub" || listed.GetStoragePolicy() == nil || len(listed.GetProps().GetCapabilities()) == 0 {
				t.Errorf("listing %v", listed)
			}
			of(c.UpdateViewSetting(ctx, &filev1.UpdateViewSettingRequest{Uri: dir + "/sub"})).ok(t, "clear view")

			of(c.PinToSidebar(ctx, &filev1.PinToSidebarRequest{Uri: dir + "/sub", Name: "Sub"})).ok(t, "pin")
			_, err = c.PinToSidebar(ctx, &filev1.PinToSidebarRequest{Uri: dir + "/sub", Name: "Other"})
			wantCode(t, "pin under another name", err, connect.CodeAlreadyExists)
			of(c.DeletePin(ctx, &filev1.DeletePinRequest{Uri: dir + "/sub"})).ok(t, "unpin")

			links := of(c.CreateDirectLinks(ctx, &filev1.CreateDirectLinksRequest{Uris: []string{dir + "/sub/memo.txt"}})).ok(t, "direct link")
			if l := links.GetLinks(); len(l) != 1 || l[0].GetFileUrl() != dir+"/sub/memo.txt" || httpGet(t, l[0].GetLink()) != "one" {
				t.Errorf("links %v", l)
			}
			ext := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/sub/memo.txt", Extended: true})).ok(t, "info").GetFile().GetExtendedInfo()
			if len(ext.GetDirectLinks()) != 1 || ext.GetDirectLinks()[0].GetDownloaded() != 1 {
				t.Fatalf("direct links %v", ext.GetDirectLinks())
			}
			of(c.DeleteDirectLink(ctx, &filev1.DeleteDirectLinkRequest{Id: ext.GetDirectLinks()[0].GetId()})).ok(t, "delete direct link")

			of(c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/pic.png", Content: []byte("png")})).ok(t, "image")
			thumb := of(c.GetThumbnailUrl(ctx, &filev1.GetThumbnailUrlRequest{Uri: dir + "/pic.png", ContextHint: listed.GetContextHint()})).ok(t, "thumbnail")
			if thumb.GetUrl() == "" || thumb.GetExpires() == nil {
				t.Errorf("thumbnail %v", thumb)
			}
			_, err = c.GetThumbnailUrl(ctx, &filev1.GetThumbnailUrlRequest{Uri: dir + "/sub/memo.txt"})
			wantCode(t, "no thumbnail", err, connect.CodeNotFound)

			of(c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/a.zip", Content: zipOf(t, "x/y.txt", "hello")})).ok(t, "zip")
			entries := of(c.GetArchiveFileList(ctx, &filev1.GetArchiveFileListRequest{Uri: dir + "/a.zip", TextEncoding: "gbk"})).ok(t, "archive list")
			if f := entries.GetFiles(); len(f) != 1 || f[0].GetName() != "x/y.txt" || f[0].GetSize() != 5 {
				t.Errorf("entries %v", f)
			}

			vs := of(c.CreateViewerSession(ctx, &filev1.CreateViewerSessionRequest{Uri: dir + "/sub/memo.txt", ViewerId: "text", PreferredAction: "edit"})).ok(t, "viewer")
			if vs.GetSession().GetAccessToken() == "" || !vs.GetSession().GetExpires().AsTime().After(time.Now()) {
				t.Errorf("viewer session %v", vs)
			}

			// Chunked upload by hand, a lock conflict that carries its tokens, unlock.
			sess := of(c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{
				Uri: dir + "/manual.bin", Size: 3, LastModified: timestamppb.New(time.Unix(1700000000, 0)), PolicyId: listed.GetStoragePolicy().GetId()})).ok(t, "upload session").GetSession()
			if sess.GetChunkSize() == 0 || sess.GetSessionId() == "" || sess.GetUri() != dir+"/manual.bin" {
				t.Fatalf("session %v", sess)
			}
			_, err = c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: dir + "/manual.bin", Size: 3})
			wantCode(t, "second session", err, connect.CodeAborted)
			if lc := lockConflict(err); len(lc.GetLocks()) != 1 || lc.GetLocks()[0].GetToken() == "" || lc.GetLocks()[0].GetApplication() != "upload" {
				t.Errorf("lock conflict %v", lc)
			}
			of(c.UploadFileChunk(ctx, &filev1.UploadFileChunkRequest{SessionId: sess.GetSessionId(), Index: 0, Content: []byte("abc")})).ok(t, "chunk")
			got := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/manual.bin"})).ok(t, "uploaded").GetFile()
			if got.GetSize() != 3 || !got.GetUpdatedAt().AsTime().Equal(time.Unix(1700000000, 0)) {
				t.Errorf("uploaded %v", got)
			}
			sess = of(c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: dir + "/cancelled.bin", Size: 3})).ok(t, "upload session").GetSession()
			_, err = c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: dir + "/cancelled.bin", Size: 3})
			of(c.ForceUnlock(ctx, &filev1.ForceUnlockRequest{Tokens: []string{lockConflict(err).GetLocks()[0].GetToken()}})).ok(t, "unlock")
			_, err = c.UploadFileChunk(ctx, &filev1.UploadFileChunkRequest{SessionId: sess.GetSessionId(), Index: 0, Content: []byte("abc")})
			wantCode(t, "chunk of an unlocked session", err, connect.CodeNotFound)
			sess = of(c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: dir + "/dropped.bin", Size: 3})).ok(t, "upload session").GetSession()
			of(c.DeleteUploadSession(ctx, &filev1.DeleteUploadSessionRequest{Id: sess.GetSessionId(), Uri: dir + "/dropped.bin"})).ok(t, "cancel upload")
			_, err = c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/dropped.bin"})
			wantCode(t, "placeholder after cancel", err, connect.CodeNotFound)

			// Trash and restore.
			of(c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{dir + "/sub"}})).ok(t, "delete")
			trash := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://trash"})).ok(t, "list trash")
			var restore string
			for _, f := range trash.GetFiles() {
				if f.GetMetadata()["sys:restore_uri"] == dir+"/sub" {
					restore = f.GetPath()
				}
			}
			if restore == "" {
				t.Fatalf("trash %v", trash.GetFiles())
			}
			of(c.RestoreFiles(ctx, &filev1.RestoreFilesRequest{Uris: []string{restore}})).ok(t, "restore")
			of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: dir + "/sub/memo.txt"})).ok(t, "restored")
			of(c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{dir + "/pic.png"}, SkipSoftDelete: true})).ok(t, "delete for good")

			noToken := fileClient(e.f, p.opts...)
			_, err = noToken.ListFiles(ctx, &filev1.ListFilesRequest{Uri: dir})
			wantCode(t, "guest listing", err, connect.CodeUnauthenticated)
		})
	}
}

func hasCapability(f *filev1.File, c filev1.Capability) bool {
	for _, got := range f.GetCapabilities() {
		if got == c {
			return true
		}
	}
	return false
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(content))
	zw.Close()
	return buf.Bytes()
}

// Listings page through page_token whichever way the server pages, and
// StreamFiles walks every page.
func TestListingPagination(t *testing.T) {
	for _, mode := range []struct {
		name   string
		offset bool
	}{{"cursor", false}, {"offset", true}} {
		t.Run(mode.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{OffsetPagination: mode.offset})
			for i := range 7 {
				e.up.putFile(t, e.alice, "cloudreve://my/many/f"+string(rune('a'+i)), "x")
			}
			ctx := context.Background()
			for _, p := range protocols {
				c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
				var names []string
				tok, pages := "", 0
				for {
					page := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my/many", PageSize: 3, OrderDirection: filev1.OrderDirection_ORDER_DIRECTION_DESC, PageToken: tok})).ok(t, "list")
					pages++
					for _, f := range page.GetFiles() {
						names = append(names, f.GetName())
					}
					if mode.offset && page.GetTotalSize() != 7 {
						t.Errorf("%s: total %d", p.name, page.GetTotalSize())
					}
					if tok = page.GetNextPageToken(); tok == "" {
						break
					}
				}
				if strings.Join(names, "") != "fgfffefdfcfbfa" || pages != 3 {
					t.Errorf("%s: %v in %d pages", p.name, names, pages)
				}
				stream, err := c.StreamFiles(ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my/many", PageSize: 2})
				if err != nil {
					t.Fatal(err)
				}
				var streamed []string
				msgs := 0
				var streamErr error
				for {
					msg, err := stream.Receive()
					if err != nil {
						streamErr = err
						break
					}
					if msgs == 0 && msg.GetParent().GetName() != "many" {
						t.Errorf("first message without the parent: %v", msg)
					}
					msgs++
					for _, f := range msg.GetFiles() {
						streamed = append(streamed, f.GetName())
					}
				}
				if errors.Is(streamErr, io.EOF) {
					streamErr = nil
				}
				if streamErr != nil || len(streamed) != 7 || msgs != 4 {
					t.Errorf("%s: streamed %v in %d messages (%v)", p.name, streamed, msgs, streamErr)
				}
				_, err = c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my/many", PageToken: "garbage!"})
				wantCode(t, "bad token", err, connect.CodeInvalidArgument)
			}
		})
	}
}

// A batch in which one item fails names it in the error's UpstreamError.
func TestBatchFailuresNameTheItem(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/a.txt", "a")
	e.up.putFile(t, e.alice, "cloudreve://my/b.txt", "b")
	e.up.putFile(t, e.alice, "cloudreve://my/dst/keep", "k")
	ctx := context.Background()
	for _, p := range protocols {
		c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
		ghost := "cloudreve://my/ghost-" + p.name
		_, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/a.txt", ghost}, Dst: "cloudreve://my/dst", Copy: true})
		wantCode(t, "copy with a missing item", err, connect.CodeNotFound)
		if items := failedItems(t, err); len(items) != 1 || items[ghost] != 40016 {
			t.Errorf("%s copy: items %v", p.name, items)
		}
		_, err = c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{"cloudreve://my/dst/a.txt", ghost}})
		if items := failedItems(t, err); len(items) != 1 || items[ghost] != 40016 {
			t.Errorf("%s delete: items %v", p.name, items)
		}
		_, up := errorDetails(t, err)
		if up.GetCode() != 40081 || up.GetOperation() != "deleteFiles" {
			t.Errorf("%s: detail %v", p.name, up)
		}
	}
	c := fileClient(e.f, withToken(e.alice.Token))
	_, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/b.txt", "cloudreve://my/nope"}, Dst: "cloudreve://my/dst"})
	if items := failedItems(t, err); items["cloudreve://my/nope"] != 40016 {
		t.Errorf("move: items %v", items)
	}
	if _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/dst/b.txt"}); err != nil {
		t.Errorf("the good item did not move: %v", err)
	}
}

// The server keys a failed URI by its own re-encoding (spaces and accents
// percent-encoded, a trailing slash dropped); the error names each item as
// the request did, and says which items were applied.
func TestBatchFailuresUseTheCallersNames(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/a%20b.txt", "a")
	e.up.putFile(t, e.alice, "cloudreve://my/c.txt", "c")
	e.up.putFile(t, e.alice, "cloudreve://my/dst/keep", "k")
	ctx := context.Background()
	c := fileClient(e.f, withToken(e.alice.Token))
	missing, trailing := "cloudreve://my/no such é.txt", "cloudreve://my/gone/"
	_, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/a b.txt", missing, trailing}, Dst: "cloudreve://my/dst", Copy: true})
	wantCode(t, "copy with missing items", err, connect.CodeNotFound)
	if items := failedItems(t, err); len(items) != 2 || items[missing] != 40016 || items[trailing] != 40016 {
		t.Errorf("copy: items %v", items)
	}
	if _, up := errorDetails(t, err); len(up.GetApplied()) != 1 || up.GetApplied()[0] != "cloudreve://my/a b.txt" {
		t.Errorf("copy: applied %v", up.GetApplied())
	}
	if !strings.Contains(err.Error(), "applied to the other 1: cloudreve://my/a b.txt") {
		t.Errorf("copy: message %q", err.Error())
	}
	if _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/dst/a b.txt"}); err != nil {
		t.Errorf("the applied item was not copied: %v", err)
	}

	_, err = c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{"cloudreve://my/c.txt", missing}})
	if items := failedItems(t, err); len(items) != 1 || items[missing] != 40016 {
		t.Errorf("delete: items %v", items)
	}
	if _, up := errorDetails(t, err); len(up.GetApplied()) != 1 || up.GetApplied()[0] != "cloudreve://my/c.txt" {
		t.Errorf("delete: applied %v", up.GetApplied())
	}
	if _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/c.txt"}); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("the applied delete did not happen: %v", err)
	}

	// Nothing applied: said so.
	_, err = c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{missing}, Dst: "cloudreve://my/dst"})
	if _, up := errorDetails(t, err); len(up.GetApplied()) != 0 || failedItems(t, err)[missing] != 40016 {
		t.Errorf("all failed: applied %v", up.GetApplied())
	}
}

// Requests that break the contract fail before any upstream call.
func TestFileRequestsAreValidated(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	c := fileClient(e.f, viaGRPC, withToken(e.alice.Token))
	before := e.up.requests.Load()
	for name, call := range map[string]func() error{
		"http uri": func() error { _, err := c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "http://my/x"}); return err },
		"filesystem": func() error {
			_, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://mine/x"})
			return err
		},
		"no uri or id": func() error { _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{}); return err },
		"empty move":   func() error { _, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Dst: "cloudreve://my"}); return err },
		"bad name": func() error {
			_, err := c.RenameFile(ctx, &filev1.RenameFileRequest{Uri: "cloudreve://my/a", NewName: "a/b"})
			return err
		},
		"view": func() error {
			_, err := c.UpdateViewSetting(ctx, &filev1.UpdateViewSettingRequest{Uri: "cloudreve://my", View: &filev1.ExplorerView{PageSize: 10}})
			return err
		},
		"metadata key": func() error {
			_, err := c.PatchMetadata(ctx, &filev1.PatchMetadataRequest{Uris: []string{"cloudreve://my/a"}, Patches: []*filev1.MetadataPatch{{Key: "nokey"}}})
			return err
		},
		"negative size": func() error {
			_, err := c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: "cloudreve://my/a", Size: -1})
			return err
		},
		"viewer action": func() error {
			_, err := c.CreateViewerSession(ctx, &filev1.CreateViewerSessionRequest{Uri: "cloudreve://my/a", ViewerId: "text", PreferredAction: "print"})
			return err
		},
	} {
		wantCode(t, name, call(), connect.CodeInvalidArgument)
	}
	if n := e.up.requests.Load() - before; n != 0 {
		t.Errorf("%d requests reached the upstream", n)
	}
}

// Another account sees none of the first one's files.
func TestFilesAreIsolated(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	e.up.putFile(t, e.alice, "cloudreve://my/private/secret.txt", "alice's")
	ctx := context.Background()
	alice := fileClient(e.f, withToken(e.alice.Token))
	secret := of(alice.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/private/secret.txt"})).ok(t, "info").GetFile()
	for _, p := range protocols {
		c := fileClient(e.f, append(p.opts, withToken(bob.Token))...)
		if l := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my"})).ok(t, "bob's root"); len(l.GetFiles()) != 0 {
			t.Errorf("%s: bob sees %v", p.name, l.GetFiles())
		}
		_, err := c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://" + e.alice.ID + "@my/private"})
		wantCode(t, "alice's folder", err, connect.CodePermissionDenied)
		_, err = c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Id: secret.GetId()})
		wantCode(t, "alice's file by id", err, connect.CodePermissionDenied)
		stream, err := c.DownloadFile(ctx, &filev1.DownloadFileRequest{Uri: "cloudreve://" + e.alice.ID + "@my/private/secret.txt"})
		if err == nil {
			var streamErr error
			for {
				msg, err := stream.Receive()
				if err != nil {
					streamErr = err
					break
				}
				t.Errorf("%s: bob received %q", p.name, msg.GetData())
			}
			if errors.Is(streamErr, io.EOF) {
				streamErr = nil
			}
			err = streamErr
		}
		wantCode(t, "download alice's file", err, connect.CodePermissionDenied)
		_, err = c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://" + e.alice.ID + "@my/private/secret.txt"}, Dst: "cloudreve://my"})
		if err == nil {
			t.Errorf("%s: bob moved alice's file", p.name)
		}
	}
	if got, err := e.up.ReadFile(e.alice.ID, "cloudreve://my/private/secret.txt"); err != nil || string(got) != "alice's" {
		t.Errorf("alice's file now %q %v", got, err)
	}
}

// The commercial-only operations are Unimplemented on a community upstream,
// and work on a commercial one.
func TestProOnlyFileOperations(t *testing.T) {
	ctx := context.Background()
	calls := func(c filev1connect.FileServiceClient) map[string]error {
		_, a := c.ListFileActivities(ctx, &filev1.ListFileActivitiesRequest{Uri: "cloudreve://my/f.txt", PageSize: 10, Filter: filev1.ActivityFilter_ACTIVITY_FILTER_UPDATES})
		_, b := c.SetPermission(ctx, &filev1.SetPermissionRequest{Uris: []string{"cloudreve://my/f.txt"}, Setting: &filev1.PermissionSetting{Everyone: "AQ=="}})
		_, d := c.DeletePermission(ctx, &filev1.DeletePermissionRequest{Uris: []string{"cloudreve://my/f.txt"}})
		return map[string]error{"activities": a, "set permission": b, "delete permission": d}
	}
	community := newEnv(t, sandbox.Options{})
	community.up.putFile(t, community.alice, "cloudreve://my/f.txt", "x")
	for _, p := range protocols {
		c := fileClient(community.f, append(p.opts, withToken(community.alice.Token))...)
		for name, err := range calls(c) {
			if connect.CodeOf(err) != connect.CodeUnimplemented || !strings.Contains(err.Error(), "commercial") {
				t.Errorf("%s %s on community: %v", p.name, name, err)
			}
		}
		_, err := c.MountStoragePolicy(ctx, &filev1.MountStoragePolicyRequest{Uri: "cloudreve://my", PolicyId: "abcd"})
		wantCode(t, "mount on community", err, connect.CodeUnimplemented)
	}

	pro := newEnv(t, sandbox.Options{Edition: sandbox.EditionPro})
	pro.up.putFile(t, pro.alice, "cloudreve://my/f.txt", "x")
	for _, p := range protocols {
		c := fileClient(pro.f, append(p.opts, withToken(pro.alice.Token))...)
		for name, err := range calls(c) {
			if err != nil {
				t.Errorf("%s %s on pro: %v", p.name, name, err)
			}
		}
		acts := of(c.ListFileActivities(ctx, &filev1.ListFileActivitiesRequest{Uri: "cloudreve://my/f.txt", PageSize: 10})).ok(t, "activities")
		if a := acts.GetActivities(); len(a) == 0 || a[0].GetContent().GetCategory() != 10 || a[0].GetUser().GetId() != pro.alice.ID {
			t.Errorf("%s: activities %v", p.name, a)
		}
		listed := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my"})).ok(t, "list")
		of(c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: "cloudreve://my/m-" + p.name, Type: filev1.FileType_FILE_TYPE_FOLDER})).ok(t, "folder")
		of(c.MountStoragePolicy(ctx, &filev1.MountStoragePolicyRequest{Uri: "cloudreve://my/m-" + p.name, PolicyId: listed.GetStoragePolicy().GetId()})).ok(t, "mount")
	}
}

// Ordered by time, the upstream's cursor pages repeat the previous page's
// last item (as 4.0.0 and 4.18.0 do); ListFiles passes its pages on as they
// are, StreamFiles gives each file once.
func TestStreamFilesGivesEachFileOnce(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	const n = 250
	for i := range n {
		e.up.putFile(t, e.alice, fmt.Sprintf("cloudreve://my/many/f%03d", i), "x")
	}
	ctx := context.Background()
	c := fileClient(e.f, withToken(e.alice.Token))
	for _, by := range []filev1.ListOrderBy{filev1.ListOrderBy_LIST_ORDER_BY_UPDATED_AT, filev1.ListOrderBy_LIST_ORDER_BY_CREATED_AT} {
		listed, tok := 0, ""
		for {
			page := of(c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my/many", PageSize: 50, OrderBy: by, OrderDirection: filev1.OrderDirection_ORDER_DIRECTION_ASC, PageToken: tok})).ok(t, "list")
			listed += len(page.GetFiles())
			if tok = page.GetNextPageToken(); tok == "" {
				break
			}
		}
		if listed != n+5 {
			t.Errorf("%v: ListFiles pages held %d items, want %d (the upstream's repeats)", by, listed, n+5)
		}
		stream, err := c.StreamFiles(ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my/many", PageSize: 50, OrderBy: by, OrderDirection: filev1.OrderDirection_ORDER_DIRECTION_ASC})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		var names []string
		msgs := 0
		for {
			msg, err := stream.Receive()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatal(err)
			}
			msgs++
			for _, f := range msg.GetFiles() {
				seen[f.GetId()]++
				names = append(names, f.GetName())
			}
		}

		if len(names) != n || len(seen) != n || msgs != 6 {
			t.Errorf("%v: streamed %d names, %d distinct, in %d messages; want %d, %d, 6", by, len(names), len(seen), msgs, n, n)
		}
		for i := 1; i < len(names); i++ {
			if names[i-1] >= names[i] {
				t.Errorf("%v: out of order at %d: %s then %s", by, i, names[i-1], names[i])
				break
			}
		}
	}
}
