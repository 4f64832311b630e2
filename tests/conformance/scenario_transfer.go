package conformance

import (
	"bytes"
	"context"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
)

// A few MB sent in odd slices come back byte for byte, whole (with the
// SHA-256 trailer) and as odd ranges that tile the file.
func uploadDownloadRoundTrip(t *testing.T, c *caller) {
	dir := c.workspace(t)
	data := randomBytes(3<<20+12345, 21)
	uri := dir + "/round trip.bin"
	res := must[*filev1.UploadFileResponse](t, "UploadFile")(upload(c.ctx, c.a.files, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(data))}, data))
	if res.GetFile().GetSize() != int64(len(data)) || res.GetSha256() != hexSHA(data) {
		t.Errorf("uploaded size %d sha %s, want %d %s", res.GetFile().GetSize(), res.GetSha256(), len(data), hexSHA(data))
	}
	whole, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri})
	if err != nil {
		t.Fatalf("DownloadFile: %v", err)
	}
	if hexSHA(whole.data) != hexSHA(data) || whole.sha256 != hexSHA(data) || whole.info.GetSize() != int64(len(data)) {
		t.Errorf("downloaded %d bytes (sha %s, trailer %s, info %v)", len(whole.data), hexSHA(whole.data), whole.sha256, whole.info)
	}
	// Ranges of odd lengths, one of them crossing the 1 MiB mark, the last
	// one open-ended (length 0: to the end).
	var tiled []byte
	for off, i := int64(0), 0; off < int64(len(data)); i++ {
		length := []int64{1, 999_983, 65_521, 1_048_573, 7}[i%5]
		if off+length >= int64(len(data)) {
			length = 0
		}
		part, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri, Offset: off, Length: length})
		if err != nil {
			t.Fatalf("range %d+%d: %v", off, length, err)
		}
		want := data[off:]
		if length > 0 {
			want = want[:length]
		}
		if !bytes.Equal(part.data, want) || part.sha256 != hexSHA(want) || part.info.GetOffset() != off {
			t.Fatalf("range %d+%d: %d bytes, info %v", off, length, len(part.data), part.info)
		}
		tiled = append(tiled, part.data...)
		off += int64(len(part.data))
	}
	if hexSHA(tiled) != hexSHA(data) {
		t.Errorf("the ranges put together differ from the file")
	}
	_, err = download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri, Offset: int64(len(data))})
	wantCode(t, "a range past the end", err, connect.CodeOutOfRange)
}

// An upload the caller abandons halfway leaves no file and no upload
// session: a new session for the same URI is not refused as locked.
func abortedUploadLeavesNothing(t *testing.T, c *caller) {
	dir := c.workspace(t)
	uri := dir + "/abandoned.bin"
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	stream := must[uploadStream](t, "UploadFile")(c.a.files.UploadFile(ctx))
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{Uri: uri, Size: 8 << 20}}}); err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: randomBytes(1<<20, 22)}}); err != nil {
		t.Fatal(err)
	}
	// The session is open once its placeholder file shows.
	eventually(t, c.ctx, "the upload's placeholder", func() bool {
		_, err := c.a.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
		return err == nil
	})
	cancel()
	if _, err := stream.CloseAndReceive(); err == nil {
		t.Fatal("an abandoned upload succeeded")
	}
	eventually(t, c.ctx, "the placeholder to go", func() bool {
		_, err := c.a.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
		return connect.CodeOf(err) == connect.CodeNotFound
	})
	sess, err := c.a.files.CreateUploadSession(c.ctx, &filev1.CreateUploadSessionRequest{Uri: uri, Size: 3})
	if err != nil {
		t.Fatalf("a new session where the abandoned one was: %v", err)
	}
	must[*filev1.DeleteUploadSessionResponse](t, "DeleteUploadSession")(c.a.files.DeleteUploadSession(c.ctx, &filev1.DeleteUploadSessionRequest{Id: sess.GetSession().GetSessionId(), Uri: uri}))
	_, err = c.a.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
	wantCode(t, "the file after the probe session", err, connect.CodeNotFound)
}

// Uploading over a file needs overwrite; overwrite with the current version
// as previous makes a new version; with a stale one it is FailedPrecondition
// and the file keeps its content.
func overwriteAndStaleVersion(t *testing.T, c *caller) {
	dir := c.workspace(t)
	uri := dir + "/versioned.bin"
	v1data, v2data := randomBytes(1000, 31), randomBytes(70_001, 32)
	first := c.put(t, uri, v1data)
	_, err := upload(c.ctx, c.a.files, &filev1.UploadFileHeader{Uri: uri, Size: 5}, []byte("other"))
	wantCode(t, "upload over a file without overwrite", err, connect.CodeAlreadyExists)
	second := must[*filev1.UploadFileResponse](t, "new version")(upload(c.ctx, c.a.files,
		&filev1.UploadFileHeader{Uri: uri, Size: int64(len(v2data)), Overwrite: true, Previous: first.GetPrimaryEntity()}, v2data)).GetFile()
	if second.GetPrimaryEntity() == "" || second.GetPrimaryEntity() == first.GetPrimaryEntity() || second.GetSize() != int64(len(v2data)) {
		t.Errorf("new version %v after %v", second, first)
	}
	_, err = upload(c.ctx, c.a.files, &filev1.UploadFileHeader{Uri: uri, Size: 4, Overwrite: true, Previous: first.GetPrimaryEntity()}, []byte("late"))
	wantCode(t, "overwrite with a stale previous", err, connect.CodeFailedPrecondition)
	got, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri})
	if err != nil || !bytes.Equal(got.data, v2data) {
		t.Errorf("after the refused overwrite: %d bytes, %v; want the second version", len(got.data), err)
	}
	old, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri, Entity: first.GetPrimaryEntity()})
	if err != nil || !bytes.Equal(old.data, v1data) {
		t.Errorf("the first version: %d bytes, %v", len(old.data), err)
	}
}

// uploadStream is UploadFile's client stream.
type uploadStream = filev1connect.FileServiceUploadFileClientStream
