package sandbox

import (
	"context"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Storage policy types the sandbox can stand for (Options.StoragePolicy).
const (
	policyLocal = "local"
	policyS3    = "s3"
)

func (s *cloudreve) policyType() string {
	if s.opts.StoragePolicy == policyS3 {
		return policyS3
	}
	return policyLocal
}

// The sandbox's stand-in for an S3 bucket: presigned part URLs and a
// completion URL, outside the API and without a bearer, like a provider's.
const s3Prefix = "/sandbox-s3/"

// presign fills the provider fields of an S3 upload session: one part URL
// per chunk and the multipart completion URL. Callers hold mu.
func (s *cloudreve) presign(r *http.Request, us *uploadSession, out *cloudreveapi.UploadSessionResponse) {
	base := baseURL(r)
	exp := us.expires
	urls := make([]string, us.chunks())
	for i := range urls {
		path := s3Prefix + us.id + "/" + strconv.Itoa(i+1)
		urls[i] = base + path + "?sign=" + s.sign(path, exp)
	}
	path := s3Prefix + us.id
	out.UploadUrls = &urls
	out.CompleteURL = values.Ptr(base + path + "?sign=" + s.sign(path, exp))
	out.UploadId = randomString(24)
	us.parts = map[int]*part{}
}

// s3PutPart stores one part: PUT /sandbox-s3/{session}/{part}.
func (s *cloudreve) s3PutPart(w http.ResponseWriter, r *http.Request) {
	if aerr := s.checkSign(r); aerr != nil {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch")
		return
	}
	n, err := strconv.Atoi(r.PathValue("part"))
	data, rerr := io.ReadAll(io.LimitReader(r.Body, s.opts.ChunkSize+1))
	s.mu.Lock()
	defer s.mu.Unlock()
	us := s.uploads[r.PathValue("session")]
	switch {
	case us == nil:
		s3Error(w, http.StatusNotFound, "NoSuchUpload")
	case err != nil || n < 1 || n > us.chunks():
		s3Error(w, http.StatusBadRequest, "InvalidPart")
	case rerr != nil || int64(len(data)) > us.chunkSize:
		s3Error(w, http.StatusBadRequest, "EntityTooLarge")
	default:
		sum := md5.Sum(data)
		p := &part{data: data, etag: `"` + hex.EncodeToString(sum[:]) + `"`}
		us.parts[n] = p
		w.Header().Set("ETag", p.etag)
		w.WriteHeader(http.StatusOK)
	}
}

// s3Complete assembles the parts the body lists: POST /sandbox-s3/{session}.
func (s *cloudreve) s3Complete(w http.ResponseWriter, r *http.Request) {
	if aerr := s.checkSign(r); aerr != nil {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch")
		return
	}
	var body struct {
		Parts []struct {
			PartNumber int
			ETag       string
		} `xml:"Part"`
	}
	derr := xml.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body)
	s.mu.Lock()
	defer s.mu.Unlock()
	us := s.uploads[r.PathValue("session")]
	if us == nil {
		s3Error(w, http.StatusNotFound, "NoSuchUpload")
		return
	}
	if derr != nil || len(body.Parts) == 0 {
		s3Error(w, http.StatusBadRequest, "MalformedXML")
		return
	}
	var buf []byte
	for i, p := range body.Parts {
		stored := us.parts[p.PartNumber]
		if p.PartNumber != i+1 || stored == nil || stored.etag != p.ETag {
			s3Error(w, http.StatusBadRequest, "InvalidPart")
			return
		}
		buf = append(buf, stored.data...)
	}
	us.buf, us.parts, us.stored = buf, nil, true
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Key>` + us.id + `</Key></CompleteMultipartUploadResult>`))
}

func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code></Error>`))
}

// callbackSession applies the callback middleware: the session must exist
// (40011), the key must match (40020) and the policy must be of the route's
// type (40006), each answered with HTTP 401. Callers hold mu.
func (s *cloudreve) callbackSession(id, key, policy string) (*uploadSession, *apiError) {
	us := s.uploads[id]
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

// CompleteS3Upload is GET /callback/s3/{session_id}/{key}: the client's
// report that the multipart upload is complete.
func (s *cloudreve) CompleteS3Upload(ctx context.Context, req cloudreveapi.CompleteS3UploadRequestObject) (cloudreveapi.CompleteS3UploadResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	us, aerr := s.callbackSession(req.SessionId, req.Key, policyS3)
	if aerr != nil {
		return cloudreveapi.CompleteS3Upload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
	}
	if !us.stored {
		return cloudreveapi.CompleteS3Upload400JSONResponse(s.envelopeOf(ctx, fail(upstream.CodeUploadFailed, "Failed to get uploaded object: no such key"))), nil
	}
	if aerr := s.completeUpload(us); aerr != nil {
		return cloudreveapi.CompleteS3Upload400JSONResponse(s.envelopeOf(ctx, aerr)), nil
	}
	return cloudreveapi.CompleteS3Upload200JSONResponse{}, nil
}

// CompleteCosUpload is GET /callback/cos/{session_id}/{key}. The sandbox has
// no COS policy, so a live session always has the wrong type.
func (s *cloudreve) CompleteCosUpload(ctx context.Context, req cloudreveapi.CompleteCosUploadRequestObject) (cloudreveapi.CompleteCosUploadResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, aerr := s.callbackSession(req.SessionId, req.Key, "cos")
	return cloudreveapi.CompleteCosUpload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
}

// CompleteObsUpload is POST /callback/obs/{session_id}/{key} (no OBS policy
// in the sandbox either).
func (s *cloudreve) CompleteObsUpload(ctx context.Context, req cloudreveapi.CompleteObsUploadRequestObject) (cloudreveapi.CompleteObsUploadResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, aerr := s.callbackSession(req.SessionId, req.Key, "obs")
	return cloudreveapi.CompleteObsUpload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
}

// CompleteOneDriveUpload is POST /callback/onedrive/{session_id}/{key} (no
// OneDrive policy in the sandbox).
func (s *cloudreve) CompleteOneDriveUpload(ctx context.Context, req cloudreveapi.CompleteOneDriveUploadRequestObject) (cloudreveapi.CompleteOneDriveUploadResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, aerr := s.callbackSession(req.SessionId, req.Key, "onedrive")
	return cloudreveapi.CompleteOneDriveUpload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
}

// envelopeOf renders an error as the envelope of a non-200 answer.
func (s *cloudreve) envelopeOf(ctx context.Context, e *apiError) cloudreveapi.Envelope {
	env := cloudreveapi.Envelope{Code: e.code, Msg: e.msg}
	if r := request(ctx); r != nil {
		env.CorrelationId = values.Ptr(correlationID(r))
	}
	return env
}
