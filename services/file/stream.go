package file

import (
	"context"
	"errors"
	"io"
	"net/url"
	"path"
	"strconv"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/transfer"
	"github.com/cloudreve-connect/facade/internal/uploadcodec"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Trailers of DownloadFile.
const (
	TrailerSHA256 = "cloudreve-content-sha256"
	TrailerLength = "cloudreve-content-length"
)

// streamReader reads the content messages of an UploadFile stream, one
// message at a time. A message's content is handed back to the codec's pool
// (uploadcodec.Release) once it has all been copied on.
type streamReader struct {
	stream filev1connect.FileServiceUploadFileServerStream
	chunk  []byte // the current message's content
	buf    []byte // what of it is left
}

func (r *streamReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		r.release()
		msg, err := r.stream.Receive()
		if err != nil {
			return 0, err // io.EOF at the end of the stream
		}
		if msg.GetHeader() != nil {
			return 0, connect.NewError(connect.CodeInvalidArgument, "only the first message may carry a header")
		}
		r.chunk = msg.GetChunk()
		r.buf = r.chunk
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *streamReader) release() {
	uploadcodec.Release(r.chunk)
	r.chunk, r.buf = nil, nil
}

func (s *Service) UploadFile(ctx context.Context, stream filev1connect.FileServiceUploadFileServerStream) (*filev1.UploadFileResponse, error) {
	first, err := stream.Receive()
	if errors.Is(err, io.EOF) {
		return nil, connect.NewError(connect.CodeInvalidArgument, "the stream ended before its header")
	}
	if err != nil {
		return nil, err
	}
	h := first.GetHeader()
	if h == nil {
		return nil, connect.NewError(connect.CodeInvalidArgument, "the first message must carry the header")
	}
	body := cloudreveapi.CreateUploadSessionService{
		Uri: h.GetUri(), Size: values.Ptr(h.GetSize()), MimeType: values.NonZero(h.GetMimeType()), PolicyId: values.NonZero(h.GetPolicyId()),
		Previous: values.NonZero(h.GetPrevious()),
	}
	if body.PolicyId == nil {
		body.PolicyId = s.policyFor(ctx, h.GetUri())
	}
	if t := h.GetLastModified(); t != nil {
		body.LastModified = values.Ptr(t.AsTime().UnixMilli())
	}
	if len(h.GetMetadata()) > 0 {
		m := h.GetMetadata()
		body.Metadata = &m
	}
	var guard func(context.Context) error
	if h.GetOverwrite() {
		v := cloudreveapi.CreateUploadSessionServiceEntityTypeVersion
		body.EntityType = &v
		// On servers that skip the previous check it runs here: before the
		// session opens (nothing is sent for a stale version), and again
		// before the chunk that completes the upload. The session locks the
		// file from its creation (other writers get 40073), so the second
		// check also covers the time before the lock; what remains is a
		// writer that ignores upload locks changing the file between that
		// check and the server finishing the last chunk.
		var err error
		if guard, err = s.checkPrevious(ctx, h.GetUri(), h.GetPrevious()); err != nil {
			return nil, err
		}
	}
	if h.GetSkipSha256() {
		ctx = transfer.WithoutChecksum(ctx)
	}
	content := &streamReader{stream: stream}
	defer content.release()
	res, err := s.up.UploadGuarded(ctx, body, content, guard)
	if err != nil {
		return nil, errorOf(err)
	}
	f, err := s.info(ctx, &cloudreveapi.GetFileInfoParams{Uri: &res.URI})
	if err != nil {
		return nil, err
	}
	return &filev1.UploadFileResponse{File: f, Sha256: res.SHA256, Chunks: int32(res.Chunks)}, nil
}

// policyFor finds the storage policy new files in uri's folder go to, as
// servers before 4.18 need it named: from a listing of the folder, else of
// the drive's root. Nil when neither says.
func (s *Service) policyFor(ctx context.Context, uri string) *string {
	u, err := url.Parse(uri)
	if err != nil {
		return nil
	}
	u.RawQuery = ""
	root := *u
	root.Path, root.RawPath = "", ""
	u.Path, u.RawPath = path.Dir(u.Path), ""
	for _, folder := range []string{u.String(), root.String()} {
		d, err := s.list(ctx, &cloudreveapi.ListFilesParams{Uri: folder, PageSize: values.Ptr(1)})
		if err == nil && d.StoragePolicy != nil && d.StoragePolicy.Id != "" {
			return &d.StoragePolicy.Id
		}
	}
	return nil
}

// DownloadFile asks for one download URL and streams it; a broken
// connection is resumed on that same URL (transfer.Downloader), never on a
// new one: Cloudreve spends one of a share link's limited downloads each
// time it hands out a URL (even the same cached URL again), while fetching
// the URL, whole or by ranges, spends nothing and keeps working after the
// link ran out (seen on 4.0.0 and 4.18.0).
func (s *Service) DownloadFile(ctx context.Context, req *filev1.DownloadFileRequest, stream filev1connect.FileServiceDownloadFileServerStream) error {
	info, _ := connect.CallInfoForServerContext(ctx)
	body := cloudreveapi.FileURLService{Uris: []string{req.GetUri()}, Entity: values.NonZero(req.GetEntity()), Download: values.Ptr(true)}
	d, err := call.Op[cloudreveapi.FileURLResponse]("createDownloadUrl").Need(s.api.CreateDownloadUrl(ctx, &cloudreveapi.CreateDownloadUrlParams{}, body))
	if err != nil {
		return err
	}
	if len(d.Urls) == 0 {
		return call.NoData("createDownloadUrl")
	}
	target, err := s.absolute(d.Urls[0].Url)
	if err != nil {
		return connect.NewError(connect.CodeInternal, err.Error()).WithCause(err)
	}
	rng := transfer.Range{Offset: req.GetOffset(), Length: req.GetLength()}
	if req.GetSkipSha256() {
		ctx = transfer.WithoutChecksum(ctx)
	}
	sum, err := s.down.Download(ctx, target, rng, func(info *transfer.Info, data []byte) error {
		msg := &filev1.DownloadFileResponse{Data: data}
		if info != nil {
			msg.Info = &filev1.DownloadInfo{Name: info.Name, ContentType: info.ContentType, Size: info.Size, Offset: info.Offset, Length: info.Length}
			if msg.Info.Name == "" {
				msg.Info.Name = path.Base(req.GetUri())
			}
		}
		return stream.Send(msg)
	})
	if err != nil {
		return errorOf(err)
	}
	if sum.SHA256 != "" {
		info.ResponseTrailer().Set(TrailerSHA256, sum.SHA256)
	}
	info.ResponseTrailer().Set(TrailerLength, strconv.FormatInt(sum.Bytes, 10))
	return nil
}

// absolute resolves a download URL against the upstream, for servers that
// answer with a path when no site URL is configured.
func (s *Service) absolute(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.IsAbs() {
		return raw, nil
	}
	base, err := url.Parse(s.up.APIBase)
	if err != nil {
		return "", err
	}
	return base.ResolveReference(u).String(), nil
}
