package tests

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/timestamppb"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// testChunk keeps multi-chunk uploads small and fast.
const testChunk = 64 << 10

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 99))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// upload streams data through UploadFile in slices of odd, varying sizes.
func upload(ctx context.Context, c filev1connect.FileServiceClient, h *filev1.UploadFileHeader, data []byte) (*filev1.UploadFileResponse, error) {
	stream, err := c.UploadFile(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: h}}); err != nil {
		_, err = stream.CloseAndReceive()
		return nil, err
	}
	sizes := []int{1, 777, 4093, 13, 65537, 31000}
	for i := 0; len(data) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(data))
		if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: data[:n]}}); err != nil {
			break // the answer says why
		}
		data = data[n:]
	}
	return stream.CloseAndReceive()
}

// download reads a whole DownloadFile stream.
func download(ctx context.Context, c filev1connect.FileServiceClient, req *filev1.DownloadFileRequest) ([]byte, *filev1.DownloadInfo, string, error) {
	ctx, call := connect.NewClientContext(ctx)
	stream, err := c.DownloadFile(ctx, req)
	if err != nil {
		return nil, nil, "", err
	}
	var data []byte
	var info *filev1.DownloadInfo
	err = receiveAll(stream.Receive, func(m *filev1.DownloadFileResponse) bool {
		if i := m.GetInfo(); i != nil {
			info = i
		}
		data = append(data, m.GetData()...)
		return true
	})
	if err != nil {
		return nil, nil, "", err
	}
	return data, info, call.ResponseTrailer().Get("cloudreve-content-sha256"), nil
}

// A multi-chunk file streamed in odd slices comes back byte for byte, and a
// byte range of it too.
func TestUploadDownloadRoundTrip(t *testing.T) {
	e := newEnv(t, sandbox.Options{ChunkSize: testChunk})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	data := randomBytes(5*testChunk+12345, 1)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			uri := "cloudreve://my/round/" + p.name + ".bin"
			mod := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
			res := of(upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(data)), MimeType: "application/x-test",
				LastModified: timestamppb.New(mod), Metadata: map[string]string{"tag:test": "yes"}}, data)).ok(t, "upload")
			f := res.GetFile()
			if f.GetSize() != int64(len(data)) || f.GetPath() != uri || res.GetChunks() != 6 || res.GetSha256() != hexSHA(data) ||
				!f.GetUpdatedAt().AsTime().Equal(mod) || f.GetMetadata()["tag:test"] != "yes" {
				t.Errorf("uploaded %v", res)
			}
			got, info, sum, err := download(ctx, c, &filev1.DownloadFileRequest{Uri: uri})
			if err != nil {
				t.Fatal(err)
			}
			if hexSHA(got) != hexSHA(data) || sum != hexSHA(data) || info.GetSize() != int64(len(data)) || info.GetName() != p.name+".bin" {
				t.Errorf("downloaded %d bytes, trailer %s, info %v", len(got), sum, info)
			}
			part, info, sum, err := download(ctx, c, &filev1.DownloadFileRequest{Uri: uri, Offset: testChunk - 10, Length: 100})
			if err != nil || !bytes.Equal(part, data[testChunk-10:testChunk+90]) || sum != hexSHA(part) || info.GetOffset() != testChunk-10 || info.GetLength() != 100 {
				t.Errorf("range: %d bytes, %v, %v", len(part), info, err)
			}
			_, _, _, err = download(ctx, c, &filev1.DownloadFileRequest{Uri: uri, Offset: int64(len(data))})
			wantCode(t, "range past the end", err, connect.CodeOutOfRange)
		})
	}
	if n := e.up.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
}

// An upload the caller abandons leaves neither a file nor a session.
func TestAbortedUploadLeavesNothing(t *testing.T) {
	e := newEnv(t, sandbox.Options{ChunkSize: testChunk})
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			uri := "cloudreve://my/aborted-" + p.name + ".bin"
			ctx, cancel := context.WithCancel(context.Background())
			stream := of(c.UploadFile(ctx)).ok(t, "open the stream")
			if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: &filev1.UploadFileHeader{Uri: uri, Size: 10 * testChunk}}}); err != nil {
				t.Fatal(err)
			}
			for range 3 {
				if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: randomBytes(testChunk, 2)}}); err != nil {
					t.Fatal(err)
				}
			}
			eventually(t, 15*time.Second, "the upload session to open", func() bool { return e.up.UploadSessions() == 1 })
			cancel()
			if _, err := stream.CloseAndReceive(); err == nil {
				t.Fatal("an abandoned upload succeeded")
			}
			eventually(t, 15*time.Second, "the upload session to go", func() bool { return e.up.UploadSessions() == 0 })
			check := fileClient(e.f, withToken(e.alice.Token))
			_, err := check.GetFileInfo(context.Background(), &filev1.GetFileInfoRequest{Uri: uri})
			wantCode(t, "the placeholder", err, connect.CodeNotFound)
		})
	}
	// A stream shorter than its header says fails the same clean way.
	c := fileClient(e.f, withToken(e.alice.Token))
	_, err := upload(context.Background(), c, &filev1.UploadFileHeader{Uri: "cloudreve://my/short.bin", Size: 3 * testChunk}, randomBytes(testChunk, 3))
	wantCode(t, "short content", err, connect.CodeInvalidArgument)
	_, err = upload(context.Background(), c, &filev1.UploadFileHeader{Uri: "cloudreve://my/long.bin", Size: 10}, randomBytes(11, 3))
	wantCode(t, "long content", err, connect.CodeInvalidArgument)
	if n := e.up.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
	stream := of(c.UploadFile(context.Background())).ok(t, "open the stream")
	stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: []byte("no header")}})
	_, err = stream.CloseAndReceive()
	wantCode(t, "content before the header", err, connect.CodeInvalidArgument)
}

// Uploading over a file needs overwrite (a new version); a stale previous
// version is refused.
func TestUploadOverExistingFile(t *testing.T) {
	e := newEnv(t, sandbox.Options{ChunkSize: testChunk})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			uri := "cloudreve://my/versioned-" + p.name + ".bin"
			first := of(upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: 100}, randomBytes(100, 4))).ok(t, "first upload").GetFile()
			_, err := upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: 50}, randomBytes(50, 5))
			wantCode(t, "upload over a file", err, connect.CodeAlreadyExists)
			second := of(upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: testChunk + 1, Overwrite: true, Previous: first.GetPrimaryEntity()}, randomBytes(testChunk+1, 6))).ok(t, "new version").GetFile()
			if second.GetSize() != testChunk+1 || second.GetPrimaryEntity() == first.GetPrimaryEntity() {
				t.Errorf("new version %v", second)
			}
			_, err = upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: 10, Overwrite: true, Previous: first.GetPrimaryEntity()}, randomBytes(10, 7))
			wantCode(t, "stale version", err, connect.CodeFailedPrecondition)
			info := of(c.GetFileInfo(ctx, &filev1.GetFileInfoRequest{Uri: uri, Extended: true})).ok(t, "info").GetFile()
			if len(info.GetExtendedInfo().GetEntities()) != 2 {
				t.Errorf("versions %v", info.GetExtendedInfo().GetEntities())
			}
		})
	}
	if n := e.up.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
}

// With an S3 storage policy the content goes to presigned part URLs and
// the upload completes through the S3 callback.
func TestUploadThroughPresignedURLs(t *testing.T) {
	e := newEnv(t, sandbox.Options{ChunkSize: testChunk, StoragePolicy: "s3"})
	ctx := context.Background()
	data := randomBytes(3*testChunk+5, 8)
	for _, p := range protocols {
		c := fileClient(e.f, append(p.opts, withToken(e.alice.Token))...)
		uri := "cloudreve://my/s3-" + p.name + ".bin"
		res := of(upload(ctx, c, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(data))}, data)).ok(t, "upload")
		if res.GetChunks() != 4 || res.GetFile().GetSize() != int64(len(data)) {
			t.Errorf("%s: %v", p.name, res)
		}
		got, _, sum, err := download(ctx, c, &filev1.DownloadFileRequest{Uri: uri})
		if err != nil || !bytes.Equal(got, data) || sum != hexSHA(data) {
			t.Errorf("%s: downloaded %d bytes (%v)", p.name, len(got), err)
		}
	}
}
