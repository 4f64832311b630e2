package file

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// drive is one account's FileService, served over a real listener, with the
// sandbox behind it for what a caller cannot see (stored bytes, pins).
type drive struct {
	up     *sandboxtest.Upstream
	userID string
	srv    *servicetest.Server
}

func newDrive(t *testing.T, opts sandbox.Options, name string) *drive {
	t.Helper()
	up := sandboxtest.Start(t, opts)
	acct := up.NewAccount(t, name)
	svc := New(Config{Client: acct.Client, APIBase: up.APIURL, Versions: up.Versions(t)})
	server := connect.NewServer()
	filev1connect.RegisterFileServiceHandler(server, svc)
	return &drive{up: up, userID: acct.ID, srv: servicetest.Serve(t, server)}
}

func (d *drive) client(p servicetest.Protocol) filev1connect.FileServiceClient {
	return servicetest.Client(d.srv, p, filev1connect.NewFileServiceClient)
}

func (d *drive) write(t *testing.T, uri, content string) {
	t.Helper()
	if err := d.up.WriteFile(d.userID, uri, []byte(content)); err != nil {
		t.Fatal(err)
	}
}

func (d *drive) read(t *testing.T, uri string) string {
	t.Helper()
	b, err := d.up.ReadFile(d.userID, uri)
	if err != nil {
		t.Fatalf("reading %s: %v", uri, err)
	}
	return string(b)
}

// names lists a folder through ListFiles, following next_page_token.
func names(t *testing.T, ctx context.Context, c filev1connect.FileServiceClient, uri string, pageSize int32) []string {
	t.Helper()
	var got []string
	token := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("listing %s never ends", uri)
		}
		res, err := c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: uri, PageSize: pageSize, PageToken: token})
		if err != nil {
			t.Fatalf("ListFiles %s: %v", uri, err)
		}
		for _, f := range res.GetFiles() {
			got = append(got, f.GetName())
		}
		if token = res.GetNextPageToken(); token == "" {
			return got
		}
	}
}

// upload sends content to uri through UploadFile in the given slices.
func upload(t *testing.T, c filev1connect.FileServiceClient, header *filev1.UploadFileHeader, parts ...[]byte) *filev1.UploadFileResponse {
	t.Helper()
	stream, err := c.UploadFile(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: header}}); err != nil {
		t.Fatal(err)
	}
	for _, part := range parts {
		if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: part}}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := stream.CloseAndReceive()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// download reads all DownloadFile sends for req, and its SHA-256 trailer.
func download(c filev1connect.FileServiceClient, req *filev1.DownloadFileRequest) (data []byte, sha256 string, err error) {
	ctx, info := connect.NewClientContext(context.Background())
	stream, err := c.DownloadFile(ctx, req)
	if err != nil {
		return nil, "", err
	}
	var streamErr error
	for {
		msg, err := stream.Receive()
		if err != nil {
			streamErr = err
			break
		}
		data = append(data, msg.GetData()...)
	}
	if errors.Is(streamErr, io.EOF) {
		streamErr = nil
	}
	return data, info.ResponseTrailer().Get(TrailerSHA256), streamErr
}

// forEachCase runs fn for every release the sandbox imitates and every
// protocol the facade speaks, each on a drive of its own.
func forEachCase(t *testing.T, fn func(t *testing.T, d *drive, c filev1connect.FileServiceClient)) {
	for _, release := range sandboxtest.Releases {
		for _, p := range servicetest.Protocols {
			t.Run(release+"/"+p.Name, func(t *testing.T) {
				t.Parallel()
				d := newDrive(t, sandbox.Options{Version: release, ChunkSize: 8}, "dee")
				fn(t, d, d.client(p))
			})
		}
	}
}

// A folder's files come back page by page, each once, over ListFiles and
// StreamFiles alike.
func TestListingPagesThroughAFolder(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		var want []string
		for i := range 7 {
			name := fmt.Sprintf("f%02d.txt", i)
			want = append(want, name)
			d.write(t, "cloudreve://my/pages/"+name, name)
		}
		got := names(t, ctx, c, "cloudreve://my/pages", 3)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("ListFiles by 3: %v, want %v", got, want)
		}

		stream, err := c.StreamFiles(ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my/pages", PageSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		var streamed []string
		for {
			msg, err := stream.Receive()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatal(err)
			}
			for _, f := range msg.GetFiles() {
				streamed = append(streamed, f.GetName())
			}
		}

		slices.Sort(streamed)
		if !slices.Equal(streamed, want) {
			t.Errorf("StreamFiles: %v, want %v", streamed, want)
		}
	})
}

// Create, rename, copy, move, rewrite and tag: what the caller sees through
// the facade is what the upstream stored.
func TestFileOperationsReachTheDrive(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		created, err := c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: "cloudreve://my/work", Type: filev1.FileType_FILE_TYPE_FOLDER})
		if err != nil {
			t.Fatal(err)
		}
		if f := created.GetFile(); f.GetType() != filev1.FileType_FILE_TYPE_FOLDER || f.GetName() != "work" || f.GetId() == "" {
			t.Errorf("created folder: %v", f)
		}
		_, err = c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: "cloudreve://my/work", Type: filev1.FileType_FILE_TYPE_FOLDER, ErrOnConflict: true})
		servicetest.WantUpstreamError(t, err, connect.CodeAlreadyExists, "createFile")

		d.write(t, "cloudreve://my/work/draft.txt", "first words")
		renamed, err := c.RenameFile(ctx, &filev1.RenameFileRequest{Uri: "cloudreve://my/work/draft.txt", NewName: "final.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if renamed.GetFile().GetName() != "final.txt" {
			t.Errorf("renamed: %v", renamed.GetFile())
		}
		if _, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/work/final.txt"}, Dst: "cloudreve://my", Copy: true}); err != nil {
			t.Fatal(err)
		}
		if got := d.read(t, "cloudreve://my/final.txt"); got != "first words" {
			t.Errorf("copy holds %q", got)
		}
		if _, err := c.CreateFile(ctx, &filev1.CreateFileRequest{Uri: "cloudreve://my/archive", Type: filev1.FileType_FILE_TYPE_FOLDER}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.MoveFiles(ctx, &filev1.MoveFilesRequest{Uris: []string{"cloudreve://my/work/final.txt"}, Dst: "cloudreve://my/archive"}); err != nil {
			t.Fatal(err)
		}
		if got := names(t, ctx, c, "cloudreve://my/work", 50); len(got) != 0 {
			t.Errorf("the move left %v behind", got)
		}

		info, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/archive/final.txt"})
		if err != nil {
			t.Fatal(err)
		}
		byID, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Id: info.GetFile().GetId()})
		if err != nil {
			t.Fatal(err)
		}
		if byID.GetFile().GetName() != "final.txt" || byID.GetFile().GetSize() != int64(len("first words")) {
			t.Errorf("by id: %v", byID.GetFile())
		}

		updated, err := c.UpdateFileContent(ctx, &filev1.UpdateFileContentRequest{
			Uri: "cloudreve://my/archive/final.txt", Previous: info.GetFile().GetPrimaryEntity(), Content: []byte("second thoughts"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := d.read(t, "cloudreve://my/archive/final.txt"); got != "second thoughts" || updated.GetFile().GetSize() != int64(len(got)) {
			t.Errorf("after the update: %q, %v", got, updated.GetFile())
		}

		if _, err := c.PatchMetadata(ctx, &filev1.PatchMetadataRequest{
			Uris:    []string{"cloudreve://my/archive/final.txt"},
			Patches: []*filev1.MetadataPatch{{Key: "tag:urgent", Value: "teal"}},
		}); err != nil {
			t.Fatal(err)
		}
		tagged, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/archive/final.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if got := tagged.GetFile().GetMetadata()["tag:urgent"]; got != "teal" {
			t.Errorf("metadata after the patch: %v", tagged.GetFile().GetMetadata())
		}
		if _, err := c.PatchMetadata(ctx, &filev1.PatchMetadataRequest{
			Uris:    []string{"cloudreve://my/archive/final.txt"},
			Patches: []*filev1.MetadataPatch{{Key: "tag:urgent", Remove: true}},
		}); err != nil {
			t.Fatal(err)
		}
		untagged, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/archive/final.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := untagged.GetFile().GetMetadata()["tag:urgent"]; ok {
			t.Errorf("metadata after the removal: %v", untagged.GetFile().GetMetadata())
		}
	})
}

// A missing file is NotFound with the upstream's code, and a batch that
// fails on one item names it as the caller did.
func TestMissingFilesAreNamed(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		_, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/nowhere.txt"})
		servicetest.WantUpstreamError(t, err, connect.CodeNotFound, "getFileInfo")

		d.write(t, "cloudreve://my/here.txt", "present")
		missing := "cloudreve://my/gone for good é.txt"
		_, err = c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{"cloudreve://my/here.txt", missing}})
		f := servicetest.WantUpstreamError(t, err, connect.CodeNotFound, "deleteFiles")
		if f.Upstream == nil {
			t.Fatal("no UpstreamError detail")
		}
		var named bool
		for _, item := range f.Upstream.GetItems() {
			named = named || item.GetItem() == missing
		}
		if !named {
			t.Errorf("failed items %v do not name %q", f.Upstream.GetItems(), missing)
		}
		if !slices.Contains(f.Upstream.GetApplied(), "cloudreve://my/here.txt") {
			t.Errorf("applied %v, want the file that was deleted", f.Upstream.GetApplied())
		}
	})
}

// A deleted file goes to the trash and comes back from there.
func TestTrashAndRestore(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		d.write(t, "cloudreve://my/keep.txt", "worth keeping")
		if _, err := c.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{"cloudreve://my/keep.txt"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/keep.txt"}); connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("deleted file still answers: %v", err)
		}
		trash, err := c.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://trash", PageSize: 50})
		if err != nil {
			t.Fatal(err)
		}
		var inTrash string
		for _, f := range trash.GetFiles() {
			if f.GetName() == "keep.txt" {
				inTrash = f.GetPath()
			}
		}
		if inTrash == "" {
			t.Fatalf("keep.txt is not in the trash: %v", trash.GetFiles())
		}
		if _, err := c.RestoreFiles(ctx, &filev1.RestoreFilesRequest{Uris: []string{inTrash}}); err != nil {
			t.Fatal(err)
		}
		if got := d.read(t, "cloudreve://my/keep.txt"); got != "worth keeping" {
			t.Errorf("restored %q", got)
		}
	})
}

// UploadFile and DownloadFile move the bytes exactly, whole and in ranges.
func TestUploadThenDownloadRanges(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		content := bytes.Repeat([]byte("0123456789abcdef"), 5) // 80 bytes: ten 8-byte chunks
		uri := "cloudreve://my/up/data.bin"
		// Slices that straddle chunks.
		res := upload(t, c, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(content))}, content[:5], content[5:41], content[41:])
		sum := sha256.Sum256(content)
		if res.GetSha256() != hex.EncodeToString(sum[:]) {
			t.Errorf("sha256 %s, want %x", res.GetSha256(), sum)
		}
		if got := d.read(t, uri); got != string(content) {
			t.Fatalf("stored %q", got)
		}

		for _, r := range []struct{ offset, length int64 }{{0, 0}, {3, 17}, {70, 0}, {79, 1}} {
			got, _, err := download(c, &filev1.DownloadFileRequest{Uri: uri, Offset: r.offset, Length: r.length})
			if err != nil {
				t.Fatalf("range %+v: %v", r, err)
			}
			want := content[r.offset:]
			if r.length > 0 {
				want = want[:r.length]
			}
			if !bytes.Equal(got, want) {
				t.Errorf("range %+v: %q, want %q", r, got, want)
			}
		}
		_, _, err := download(c, &filev1.DownloadFileRequest{Uri: uri, Offset: 200})
		if connect.CodeOf(err) != connect.CodeOutOfRange {
			t.Errorf("a range past the end: %v, want OutOfRange", err)
		}
	})
}

// The chunk-level upload RPCs: a session, its chunks, and its removal.
func TestUploadSessionByChunks(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		content := []byte("twelve bytes")
		created, err := c.CreateUploadSession(ctx, &filev1.CreateUploadSessionRequest{Uri: "cloudreve://my/chunked.txt", Size: int64(len(content))})
		if err != nil {
			t.Fatal(err)
		}
		session := created.GetSession()
		if session.GetSessionId() == "" || session.GetChunkSize() != 8 {
			t.Fatalf("session: %v", session)
		}
		if d.up.UploadSessions() != 1 {
			t.Fatalf("%d sessions upstream, want 1", d.up.UploadSessions())
		}
		if _, err := c.UploadFileChunk(ctx, &filev1.UploadFileChunkRequest{SessionId: session.GetSessionId(), Index: 0, Content: content[:8]}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteUploadSession(ctx, &filev1.DeleteUploadSessionRequest{Id: session.GetSessionId(), Uri: "cloudreve://my/chunked.txt"}); err != nil {
			t.Fatal(err)
		}
		if d.up.UploadSessions() != 0 {
			t.Errorf("%d sessions left after the removal", d.up.UploadSessions())
		}
		if _, err := c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: "cloudreve://my/chunked.txt"}); connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("an abandoned upload left a file: %v", err)
		}
	})
}

// Download URLs serve the file's bytes; direct links and pins come and go.
func TestLinksAndPins(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		ctx := context.Background()
		uri := "cloudreve://my/linked.txt"
		d.write(t, uri, "fetch me")
		urls, err := c.CreateDownloadUrl(ctx, &filev1.CreateDownloadUrlRequest{Uris: []string{uri}, Download: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(urls.GetUrls()) != 1 {
			t.Fatalf("urls: %v", urls)
		}
		if got := fetch(t, urls.GetUrls()[0].GetUrl()); got != "fetch me" {
			t.Errorf("the download URL serves %q", got)
		}

		links, err := c.CreateDirectLinks(ctx, &filev1.CreateDirectLinksRequest{Uris: []string{uri}})
		if err != nil {
			t.Fatal(err)
		}
		if len(links.GetLinks()) != 1 || links.GetLinks()[0].GetLink() == "" || links.GetLinks()[0].GetFileUrl() != uri {
			t.Fatalf("direct links: %v", links)
		}

		if _, err := c.PinToSidebar(ctx, &filev1.PinToSidebarRequest{Uri: "cloudreve://my", Name: "home"}); err != nil {
			t.Fatal(err)
		}
		if pins := d.up.Pins(d.userID); len(pins) != 1 || pins[0].Name == nil || *pins[0].Name != "home" {
			t.Errorf("pins after pinning: %+v", pins)
		}
		if _, err := c.DeletePin(ctx, &filev1.DeletePinRequest{Uri: "cloudreve://my"}); err != nil {
			t.Fatal(err)
		}
		if pins := d.up.Pins(d.userID); len(pins) != 0 {
			t.Errorf("pins after unpinning: %+v", pins)
		}
	})
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET download URL: %s %s", res.Status, b)
	}
	return string(b)
}

// skip_sha256 waives the checksum: the bytes are the same, the upload's
// sha256 and the download's trailer are left out; without it both are there.
func TestChecksumCanBeWaived(t *testing.T) {
	t.Parallel()
	forEachCase(t, func(t *testing.T, d *drive, c filev1connect.FileServiceClient) {
		content := bytes.Repeat([]byte("checksum"), 5) // 40 bytes: five 8-byte chunks
		sum := sha256.Sum256(content)
		for _, skip := range []bool{false, true} {
			uri := fmt.Sprintf("cloudreve://my/sum-%v.bin", skip)
			want := hex.EncodeToString(sum[:])
			if skip {
				want = ""
			}
			res := upload(t, c, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(content)), SkipSha256: skip}, content)
			if res.GetSha256() != want {
				t.Errorf("skip=%v: upload sha256 %q, want %q", skip, res.GetSha256(), want)
			}
			if got := d.read(t, uri); got != string(content) {
				t.Errorf("skip=%v: stored %q", skip, got)
			}

			got, trailer, err := download(c, &filev1.DownloadFileRequest{Uri: uri, SkipSha256: skip})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, content) {
				t.Errorf("skip=%v: downloaded %q", skip, got)
			}
			if trailer != want {
				t.Errorf("skip=%v: trailer %q, want %q", skip, trailer, want)
			}
		}
	})
}
