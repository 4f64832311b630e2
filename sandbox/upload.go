package sandbox

import (
	"context"
	"io"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

const uploadSessionTTL = 24 * time.Hour

// uploadSession is a chunked upload in progress; its file (a placeholder for
// a new file, or the existing file for a new version) is locked meanwhile.
type uploadSession struct {
	id           string
	owner        *user
	node         *fsNode
	newFile      bool
	size         int64
	chunkSize    int64
	expires      time.Time
	secret       string
	lockToken    string
	lastModified int64 // unix ms, 0 = completion time
	meta         map[string]string
	buf          []byte
	received     map[int]bool
	policy       string        // storage policy type the session was made for
	parts        map[int]*part // S3 parts stored through presigned URLs
	stored       bool          // the S3 multipart upload was completed
}

// part is one part of an S3 multipart upload.
type part struct {
	data []byte
	etag string
}

func (us *uploadSession) chunks() int {
	if us.size == 0 {
		return 1
	}
	return int((us.size + us.chunkSize - 1) / us.chunkSize)
}

func errSessionGone() *apiError {
	return fail(upstream.CodeUploadSessionExpired, "Upload session not exist or expired")
}

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
	entityType := ""
	if b.EntityType != nil {
		entityType = string(*b.EntityType)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.lookup(u, p)
	switch {
	case aerr == nil && n.folder:
		return nil, errObjectExists()
	case aerr == nil && n.upload != nil:
		return nil, errLockConflict(n)
	case aerr == nil && entityType == "":
		return nil, errObjectExists()
	case aerr == nil:
		if s.has(upstream.FeatureUploadPrevious) && b.Previous != nil && *b.Previous != "" && (n.entity == nil || n.entity.hid != *b.Previous) {
			return nil, fail(upstream.CodeStaleVersion, "File is not the latest version")
		}
	case entityType != "" && entityType != string(cloudreveapi.CreateUploadSessionServiceEntityTypeVersion):
		return nil, errPathNotExist()
	}
	if s.usedBytes(u)+size > u.group().quota {
		return nil, fail(upstream.CodeInsufficientCapacity, "Insufficient capacity")
	}
	newFile := n == nil
	if newFile {
		parent, aerr := s.mkdirs(u, p.elems[:len(p.elems)-1], actorOf(ctx))
		if aerr != nil {
			return nil, aerr
		}
		if aerr := validateName(p.name()); aerr != nil {
			return nil, aerr
		}
		n = s.newNode(u, parent, p.name(), false)
		s.emitCreated(actorOf(ctx), n)
	}
	us := &uploadSession{
		id: newUUID(), owner: u, node: n, newFile: newFile, size: size, chunkSize: s.opts.ChunkSize,
		expires: time.Now().Add(uploadSessionTTL), secret: randomString(32), lockToken: newUUID(),
		meta: map[string]string{}, received: map[int]bool{}, policy: s.policyType(),
	}
	if b.LastModified != nil && *b.LastModified > 0 {
		us.lastModified = *b.LastModified
	}
	if b.Metadata != nil {
		for k, v := range *b.Metadata {
			us.meta[k] = v
		}
	}
	n.upload = us
	n.meta[metaUploadSession] = us.id
	s.uploads[us.id] = us

	out := cloudreveapi.UploadSessionResponse{
		SessionId:      us.id,
		ChunkSize:      us.chunkSize,
		Expires:        us.expires.Unix(),
		Uri:            n.uri(),
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

// session returns the caller's live upload session. Callers hold mu.
func (s *cloudreve) session(u *user, id string) (*uploadSession, *apiError) {
	us := s.uploads[id]
	if us == nil || u == nil || us.owner != u {
		return nil, errSessionGone()
	}
	if time.Now().After(us.expires) {
		s.dropSession(us)
		return nil, errSessionGone()
	}
	return us, nil
}

// dropSession ends an upload without completing it; a placeholder goes away.
func (s *cloudreve) dropSession(us *uploadSession) {
	delete(s.uploads, us.id)
	n := us.node
	n.upload = nil
	delete(n.meta, metaUploadSession)
	if us.newFile {
		s.emitDeleted("", n)
		detach(n)
		s.purge(n)
	}
}

// UploadFileChunk is POST /file/upload/{session_id}/{index}. Every chunk but
// the last is exactly chunk_size bytes; chunk 0 truncates what was stored
// (as on the local policy); the upload completes when every index arrived.
func (s *cloudreve) UploadFileChunk(ctx context.Context, req cloudreveapi.UploadFileChunkRequestObject) (cloudreveapi.UploadFileChunkResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	us, aerr := s.session(u, req.SessionId)
	if aerr != nil {
		s.mu.Unlock()
		return nil, aerr
	}
	if us.policy != policyLocal {
		s.mu.Unlock()
		return nil, fail(upstream.CodePolicyNotAllowed, "Storage policy does not accept relayed data")
	}
	if req.Index < 0 || req.Index >= us.chunks() {
		s.mu.Unlock()
		return nil, fail(upstream.CodeInvalidChunkIndex, "Chunk index out of range")
	}
	offset := int64(req.Index) * us.chunkSize
	want := min(us.chunkSize, us.size-offset)
	s.mu.Unlock()

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

	s.mu.Lock()
	defer s.mu.Unlock()
	if us, aerr = s.session(u, req.SessionId); aerr != nil {
		return nil, aerr
	}
	// The local policy writes chunks into one file: chunk 0 truncates it,
	// and a chunk beyond what was written leaves a gap the server's writer
	// fails on.
	if req.Index == 0 {
		if us.buf == nil {
			us.buf = make([]byte, 0, us.size) // the file, without regrowing
		}
		us.buf = us.buf[:0]
		clear(us.received)
	}
	if offset > int64(len(us.buf)) {
		return nil, fail(upstream.CodeIOFailed, "Failed to write chunk: chunk %d arrived before chunk %d", req.Index, len(us.buf)/int(max(us.chunkSize, 1)))
	}
	us.buf = append(us.buf[:offset], data...)
	us.received[req.Index] = true
	if len(us.received) < us.chunks() {
		return cloudreveapi.UploadFileChunk200JSONResponse{}, nil
	}
	if aerr := s.completeUpload(us); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UploadFileChunk200JSONResponse{}, nil
}

// completeUpload turns a session's content into the file's new version.
// Callers hold mu.
func (s *cloudreve) completeUpload(us *uploadSession) *apiError {
	if int64(len(us.buf)) != us.size {
		s.dropSession(us)
		return fail(upstream.CodeIOFailed, "File size not match")
	}
	delete(s.uploads, us.id)
	n := us.node
	n.upload = nil
	delete(n.meta, metaUploadSession)
	for k, v := range us.meta {
		n.meta[k] = v
	}
	s.addVersion(n, s.newEntity(us.owner, us.buf))
	s.record(n, us.owner, logEntityUploaded, nil)
	s.emitModified("", n)
	if us.lastModified > 0 {
		n.updated = time.UnixMilli(us.lastModified)
	}
	us.buf = nil
	return nil
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
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.lookup(u, p)
	if aerr != nil {
		return nil, aerr
	}
	us := s.uploads[b.Id]
	if us == nil {
		// Nothing to cancel: the real server just succeeds.
		return cloudreveapi.DeleteUploadSession200JSONResponse{}, nil
	}
	if us.owner != u || us.node != n {
		return nil, fail(upstream.CodeNotFound, "Upload session not found")
	}
	s.dropSession(us)
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
