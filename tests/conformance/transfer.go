package conformance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
)

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
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

// oddSlices are the sizes an uploader sends its content in: none a power of
// two, none a divisor of a chunk size, so every chunk is re-sliced.
var oddSlices = []int{1, 777, 4093, 13, 65537, 31000, 250_001}

// upload streams data through UploadFile in oddSlices.
func upload(ctx context.Context, c filev1connect.FileServiceClient, h *filev1.UploadFileHeader, data []byte) (*filev1.UploadFileResponse, error) {
	stream, err := c.UploadFile(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Header{Header: h}}); err != nil {
		_, err = stream.CloseAndReceive()
		return nil, err
	}
	for i := 0; len(data) > 0; i++ {
		n := min(oddSlices[i%len(oddSlices)], len(data))
		if err := stream.Send(&filev1.UploadFileRequest{Payload: &filev1.UploadFileRequest_Chunk{Chunk: data[:n]}}); err != nil {
			break // CloseAndReceive says why
		}
		data = data[n:]
	}
	return stream.CloseAndReceive()
}

// put uploads a whole new file of Main's.
func (c *caller) put(t *testing.T, uri string, data []byte) *filev1.File {
	t.Helper()
	res, err := upload(c.ctx, c.a.files, &filev1.UploadFileHeader{Uri: uri, Size: int64(len(data))}, data)
	if err != nil {
		t.Fatalf("uploading %s: %v", uri, err)
	}
	return res.GetFile()
}

// downloaded is a whole DownloadFile answer.
type downloaded struct {
	data   []byte
	info   *filev1.DownloadInfo
	sha256 string // the trailer
}

func download(ctx context.Context, c filev1connect.FileServiceClient, req *filev1.DownloadFileRequest) (downloaded, error) {
	ctx, info := connect.NewClientContext(ctx)
	stream, err := c.DownloadFile(ctx, req)
	if err != nil {
		return downloaded{}, err
	}
	var d downloaded
	for {
		msg, err := stream.Receive()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return downloaded{}, err
		}
		if i := msg.GetInfo(); i != nil {
			d.info = i
		}
		d.data = append(d.data, msg.GetData()...)
	}
	d.sha256 = info.ResponseTrailer().Get("cloudreve-content-sha256")
	return d, nil
}
