package sandbox

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"maps"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
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

// session returns the caller's live upload session. Callers hold mu.
func (st *store) session(u *user, id string) (*uploadSession, *apiError) {
	us := st.uploads[id]
	if us == nil || u == nil || us.owner != u {
		return nil, errSessionGone()
	}
	if time.Now().After(us.expires) {
		st.dropSession(us)
		return nil, errSessionGone()
	}
	return us, nil
}

// dropSession ends an upload without completing it; a placeholder goes away.
func (st *store) dropSession(us *uploadSession) {
	delete(st.uploads, us.id)
	n := us.node
	n.upload = nil
	delete(n.meta, metaUploadSession)
	if us.newFile {
		st.emitDeleted("", n)
		detach(n)
		st.purge(n)
	}
}

// completeUpload turns a session's content into the file's new version.
// Callers hold mu.
func (st *store) completeUpload(us *uploadSession) *apiError {
	if int64(len(us.buf)) != us.size {
		st.dropSession(us)
		return fail(upstream.CodeIOFailed, "File size not match")
	}
	delete(st.uploads, us.id)
	n := us.node
	n.upload = nil
	delete(n.meta, metaUploadSession)
	for k, v := range us.meta {
		n.meta[k] = v
	}
	st.addVersion(n, st.newEntity(us.owner, us.buf))
	st.record(n, us.owner, logEntityUploaded, nil)
	st.emitModified("", n)
	if us.lastModified > 0 {
		n.updated = time.UnixMilli(us.lastModified)
	}
	us.buf = nil
	return nil
}

func (st *store) policyType() string {
	if st.opts.StoragePolicy == policyS3 {
		return policyS3
	}
	return policyLocal
}

// callbackSession applies the callback middleware: the session must exist
// (40011), the key must match (40020) and the policy must be of the route's
// type (40006), each answered with HTTP 401. Callers hold mu.
func (st *store) callbackSession(id, key, policy string) (*uploadSession, *apiError) {
	us := st.uploads[id]
	if us == nil || time.Now().After(us.expires) {
		return nil, errSessionGone()
	}
	if subtle.ConstantTimeCompare([]byte(key), []byte(us.secret)) != 1 {
		return nil, fail(upstream.CodeCredentialInvalid, "invalid callback key")
	}
	if us.policy != policy {
		return nil, fail(upstream.CodePolicyNotAllowed, "Storage policy not match")
	}
	return us, nil
}

// newUpload is what a client asks for when it opens an upload session.
type newUpload struct {
	size         int64
	version      bool    // entity_type "version": a new version of an existing file
	entityType   string  // as sent; "" when none
	previous     *string // the version the client last saw (4.18.0)
	lastModified int64   // unix ms; 0 = completion time
	meta         map[string]string
	actor        string
}

// uploadView is an upload session as the answer of its creation shows it.
type uploadView struct {
	id        string
	chunkSize int64
	chunks    int
	expires   time.Time
	uri       string
	secret    string
	policy    string
}

// createUpload opens an upload session for a new file of u (creating
// missing folders and a locked placeholder) or for a new version of one.
func (st *store) createUpload(u *user, p *fsURI, req newUpload) (uploadView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.lookup(u, p)
	switch {
	case aerr == nil && n.folder:
		return uploadView{}, errObjectExists()
	case aerr == nil && n.upload != nil:
		return uploadView{}, errLockConflict(n)
	case aerr == nil && req.entityType == "":
		return uploadView{}, errObjectExists()
	case aerr == nil:
		if st.has(upstream.FeatureUploadPrevious) && req.previous != nil && *req.previous != "" && (n.entity == nil || n.entity.hid != *req.previous) {
			return uploadView{}, fail(upstream.CodeStaleVersion, "File is not the latest version")
		}
	case req.entityType != "" && !req.version:
		return uploadView{}, errPathNotExist()
	}
	if st.usedBytes(u)+req.size > u.group().quota {
		return uploadView{}, fail(upstream.CodeInsufficientCapacity, "Insufficient capacity")
	}
	newFile := n == nil
	if newFile {
		parent, aerr := st.mkdirs(u, p.elems[:len(p.elems)-1], req.actor)
		if aerr != nil {
			return uploadView{}, aerr
		}
		if aerr := validateName(p.name()); aerr != nil {
			return uploadView{}, aerr
		}
		n = st.newNode(u, parent, p.name(), false)
		st.emitCreated(req.actor, n)
	}
	us := &uploadSession{
		id: newUUID(), owner: u, node: n, newFile: newFile, size: req.size, chunkSize: st.opts.ChunkSize,
		expires: time.Now().Add(uploadSessionTTL), secret: randomString(32), lockToken: newUUID(),
		meta: maps.Clone(req.meta), received: map[int]bool{}, policy: st.policyType(),
		lastModified: max(req.lastModified, 0),
	}
	if us.meta == nil {
		us.meta = map[string]string{}
	}
	if us.policy == policyS3 {
		us.parts = map[int]*part{}
	}
	n.upload = us
	n.meta[metaUploadSession] = us.id
	st.uploads[us.id] = us
	return uploadView{id: us.id, chunkSize: us.chunkSize, chunks: us.chunks(), expires: us.expires,
		uri: n.uri(), secret: us.secret, policy: us.policy}, nil
}

// chunkSlot is where chunk index of a relayed upload of u goes and how long
// it must be.
func (st *store) chunkSlot(u *user, sessionID string, index int) (offset, size int64, aerr *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	us, aerr := st.session(u, sessionID)
	if aerr != nil {
		return 0, 0, aerr
	}
	if us.policy != policyLocal {
		return 0, 0, fail(upstream.CodePolicyNotAllowed, "Storage policy does not accept relayed data")
	}
	if index < 0 || index >= us.chunks() {
		return 0, 0, fail(upstream.CodeInvalidChunkIndex, "Chunk index out of range")
	}
	offset = int64(index) * us.chunkSize
	return offset, min(us.chunkSize, us.size-offset), nil
}

// writeChunk stores a chunk read for chunkSlot; the upload completes when
// every index arrived.
func (st *store) writeChunk(u *user, sessionID string, index int, offset int64, data []byte) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	us, aerr := st.session(u, sessionID)
	if aerr != nil {
		return aerr
	}
	// The local policy writes chunks into one file: chunk 0 truncates it,
	// and a chunk beyond what was written leaves a gap the server's writer
	// fails on.
	if index == 0 {
		if us.buf == nil {
			us.buf = make([]byte, 0, us.size) // the file, without regrowing
		}
		us.buf = us.buf[:0]
		clear(us.received)
	}
	if offset > int64(len(us.buf)) {
		return fail(upstream.CodeIOFailed, "Failed to write chunk: chunk %d arrived before chunk %d", index, len(us.buf)/int(max(us.chunkSize, 1)))
	}
	us.buf = append(us.buf[:offset], data...)
	us.received[index] = true
	if len(us.received) < us.chunks() {
		return nil
	}
	return st.completeUpload(us)
}

// cancelUpload ends an upload session of u on the file p without
// completing it; an unknown session is no error.
func (st *store) cancelUpload(u *user, p *fsURI, sessionID string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.lookup(u, p)
	if aerr != nil {
		return aerr
	}
	us := st.uploads[sessionID]
	if us == nil {
		return nil // nothing to cancel: the real server just succeeds
	}
	if us.owner != u || us.node != n {
		return fail(upstream.CodeNotFound, "Upload session not found")
	}
	st.dropSession(us)
	return nil
}

// What the stand-in S3 bucket (callbacks.go) fails with: S3's error codes.
const (
	s3NoSuchUpload   = "NoSuchUpload"
	s3InvalidPart    = "InvalidPart"
	s3EntityTooLarge = "EntityTooLarge"
	s3MalformedXML   = "MalformedXML"
)

// putPart stores part number n of an S3 upload session and returns its
// ETag, or the S3 error code; tooLarge when the body could not be read
// within a chunk.
func (st *store) putPart(sessionID string, n int, data []byte, tooLarge bool) (etag, failure string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	us := st.uploads[sessionID]
	switch {
	case us == nil:
		return "", s3NoSuchUpload
	case n < 1 || n > us.chunks():
		return "", s3InvalidPart
	case tooLarge || int64(len(data)) > us.chunkSize:
		return "", s3EntityTooLarge
	}
	sum := md5.Sum(data)
	p := &part{data: data, etag: `"` + hex.EncodeToString(sum[:]) + `"`}
	us.parts[n] = p
	return p.etag, ""
}

// partRef is one part a multipart completion lists.
type partRef struct {
	number int
	etag   string
}

// completeParts assembles an S3 upload's object from the parts listed, in
// order; malformed when the request could not be read.
func (st *store) completeParts(sessionID string, parts []partRef, malformed bool) (failure string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	us := st.uploads[sessionID]
	if us == nil {
		return s3NoSuchUpload
	}
	if malformed || len(parts) == 0 {
		return s3MalformedXML
	}
	var buf []byte
	for i, p := range parts {
		stored := us.parts[p.number]
		if p.number != i+1 || stored == nil || stored.etag != p.etag {
			return s3InvalidPart
		}
		buf = append(buf, stored.data...)
	}
	us.buf, us.parts, us.stored = buf, nil, true
	return ""
}

// checkCallback applies the callback middleware to a storage provider's
// call about an upload session (callbackSession).
func (st *store) checkCallback(sessionID, key, policy string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, aerr := st.callbackSession(sessionID, key, policy)
	return aerr
}

// completeS3Upload turns the object an S3 upload stored into the file's
// new version. unauthorized says the callback middleware refused it.
func (st *store) completeS3Upload(sessionID, key string) (aerr *apiError, unauthorized bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	us, aerr := st.callbackSession(sessionID, key, policyS3)
	if aerr != nil {
		return aerr, true
	}
	if !us.stored {
		return fail(upstream.CodeUploadFailed, "Failed to get uploaded object: no such key"), false
	}
	return st.completeUpload(us), false
}
