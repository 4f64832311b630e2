package sandbox

import (
	"context"
	"io"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// CreateUploadSession is PUT /file/upload.
func (s *cloudreve) CreateUploadSession(ctx context.Context, req cloudreveapi.CreateUploadSessionRequestObject) (cloudreveapi.CreateUploadSessionResponseObject, error) {
	b := req.Body
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	var size int64
	if b.Size != nil {
		if size = *b.Size; size < 0 {
			return nil, bindErr("")
		}
	}
	u := caller(ctx)
	p, aerr := myURI(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if p.fs != "my" {
		return nil, errNotSupported()
	}
	if b.PolicyId != nil && *b.PolicyId != "" {
		if id, ok := s.ids.decode(kindPolicy, *b.PolicyId); !ok || id != 1 {
			return nil, fail(upstream.CodeParamError, "Failed to parse storage policy ID")
		}
	} else if !s.version.AtLeast(4, 18, 0) {
		// 4.0.0 decodes the policy id it is given, and an empty one fails
		// to decode (4.18.0 takes the folder's policy).
		return nil, fail(upstream.CodeParamError, "unknown policy id")
	}
	nu := newUpload{size: size, previous: b.Previous, lastModified: values.Deref(b.LastModified), actor: actorOf(ctx)}
	if b.EntityType != nil {
		nu.entityType = string(*b.EntityType)
		nu.version = *b.EntityType == cloudreveapi.CreateUploadSessionServiceEntityTypeVersion
	}
	if b.Metadata != nil {
		nu.meta = *b.Metadata
	}
	us, aerr := s.store.createUpload(u, p, nu)
	if aerr != nil {
		return nil, aerr
	}
	out := cloudreveapi.UploadSessionResponse{
		SessionId:      us.id,
		ChunkSize:      us.chunkSize,
		Expires:        us.expires.Unix(),
		Uri:            us.uri,
		CallbackSecret: us.secret,
		StoragePolicy:  values.Ptr(s.policyJSON()),
	}
	if b.MimeType != nil && *b.MimeType != "" {
		out.MimeType = b.MimeType
	}
	if us.policy == policyS3 {
		s.presign(request(ctx), us, &out)
	}
	return cloudreveapi.CreateUploadSession200JSONResponse{Data: &out}, nil
}

// UploadFileChunk is POST /file/upload/{session_id}/{index}. Every chunk but
// the last is exactly chunk_size bytes; chunk 0 truncates what was stored
// (as on the local policy); the upload completes when every index arrived.
func (s *cloudreve) UploadFileChunk(ctx context.Context, req cloudreveapi.UploadFileChunkRequestObject) (cloudreveapi.UploadFileChunkResponseObject, error) {
	u := caller(ctx)
	offset, want, aerr := s.store.chunkSlot(u, req.SessionId, req.Index)
	if aerr != nil {
		return nil, aerr
	}
	if r := request(ctx); r != nil && r.ContentLength >= 0 && r.ContentLength != want {
		return nil, fail(upstream.CodeInvalidContentLength, "Invalid Content-Length (expected: %d)", want)
	}
	data := make([]byte, want)
	n, err := io.ReadFull(req.Body, data)
	extra, _ := req.Body.Read(make([]byte, 1))
	switch {
	case int64(n) != want || extra > 0:
		return nil, fail(upstream.CodeInvalidContentLength, "Invalid Content-Length (expected: %d)", want)
	case err != nil:
		return nil, fail(upstream.CodeIOFailed, "Failed to read chunk")
	}

	if aerr := s.store.writeChunk(u, req.SessionId, req.Index, offset, data); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UploadFileChunk200JSONResponse{}, nil
}

// DeleteUploadSession is DELETE /file/upload.
func (s *cloudreve) DeleteUploadSession(ctx context.Context, req cloudreveapi.DeleteUploadSessionRequestObject) (cloudreveapi.DeleteUploadSessionResponseObject, error) {
	b := req.Body
	if b.Id == "" {
		return nil, bindErr("Id cannot be empty")
	}
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	u := caller(ctx)
	p, aerr := myURI(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if aerr := s.store.cancelUpload(u, p, b.Id); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.DeleteUploadSession200JSONResponse{}, nil
}

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
