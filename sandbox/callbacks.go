package sandbox

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Storage policy types the sandbox can stand for (Options.StoragePolicy).
const (
	policyLocal = "local"
	policyS3    = "s3"
)

// The sandbox's stand-in for an S3 bucket: presigned part URLs and a
// completion URL, outside the API and without a bearer, like a provider's.
const s3Prefix = "/sandbox-s3/"

// presign fills the provider fields of an S3 upload session: one part URL
// per chunk and the multipart completion URL.
func (s *cloudreve) presign(r *http.Request, us uploadView, out *cloudreveapi.UploadSessionResponse) {
	base := baseURL(r)
	exp := us.expires
	urls := make([]string, us.chunks)
	for i := range urls {
		path := s3Prefix + us.id + "/" + strconv.Itoa(i+1)
		urls[i] = base + path + "?sign=" + s.sign(path, exp)
	}
	path := s3Prefix + us.id
	out.UploadUrls = &urls
	out.CompleteURL = values.Ptr(base + path + "?sign=" + s.sign(path, exp))
	out.UploadId = randomString(24)
}

// s3PutPart stores one part: PUT /sandbox-s3/{session}/{part}.
func (s *cloudreve) s3PutPart(w http.ResponseWriter, r *http.Request) {
	if aerr := s.checkSign(r); aerr != nil {
		s3Error(w, http.StatusForbidden, "SignatureDoesNotMatch")
		return
	}
	n, _ := strconv.Atoi(r.PathValue("part")) // 0, an invalid part, when no number
	data, rerr := io.ReadAll(io.LimitReader(r.Body, s.opts.ChunkSize+1))
	etag, failure := s.store.putPart(r.PathValue("session"), n, data, rerr != nil)
	if failure != "" {
		s3Error(w, s3Status(failure), failure)
		return
	}
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
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
	parts := make([]partRef, len(body.Parts))
	for i, p := range body.Parts {
		parts[i] = partRef{number: p.PartNumber, etag: p.ETag}
	}
	session := r.PathValue("session")
	if failure := s.store.completeParts(session, parts, derr != nil); failure != "" {
		s3Error(w, s3Status(failure), failure)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Key>` + session + `</Key></CompleteMultipartUploadResult>`))
}

// s3Status is the HTTP status S3 answers an error code with.
func s3Status(code string) int {
	if code == s3NoSuchUpload {
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code></Error>`))
}

// CompleteS3Upload is GET /callback/s3/{session_id}/{key}: the client's
// report that the multipart upload is complete.
func (s *cloudreve) CompleteS3Upload(ctx context.Context, req cloudreveapi.CompleteS3UploadRequestObject) (cloudreveapi.CompleteS3UploadResponseObject, error) {
	aerr, unauthorized := s.store.completeS3Upload(req.SessionId, req.Key)
	switch {
	case unauthorized:
		return cloudreveapi.CompleteS3Upload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
	case aerr != nil:
		return cloudreveapi.CompleteS3Upload400JSONResponse(s.envelopeOf(ctx, aerr)), nil
	}
	return cloudreveapi.CompleteS3Upload200JSONResponse{}, nil
}

// CompleteCosUpload is GET /callback/cos/{session_id}/{key}. The sandbox has
// no COS policy, so a live session always has the wrong type.
func (s *cloudreve) CompleteCosUpload(ctx context.Context, req cloudreveapi.CompleteCosUploadRequestObject) (cloudreveapi.CompleteCosUploadResponseObject, error) {
	aerr := s.store.checkCallback(req.SessionId, req.Key, "cos")
	return cloudreveapi.CompleteCosUpload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
}

// CompleteObsUpload is POST /callback/obs/{session_id}/{key} (no OBS policy
// in the sandbox either).
func (s *cloudreve) CompleteObsUpload(ctx context.Context, req cloudreveapi.CompleteObsUploadRequestObject) (cloudreveapi.CompleteObsUploadResponseObject, error) {
	aerr := s.store.checkCallback(req.SessionId, req.Key, "obs")
	return cloudreveapi.CompleteObsUpload401JSONResponse(s.envelopeOf(ctx, aerr)), nil
}

// CompleteOneDriveUpload is POST /callback/onedrive/{session_id}/{key} (no
// OneDrive policy in the sandbox).
func (s *cloudreve) CompleteOneDriveUpload(ctx context.Context, req cloudreveapi.CompleteOneDriveUploadRequestObject) (cloudreveapi.CompleteOneDriveUploadResponseObject, error) {
	aerr := s.store.checkCallback(req.SessionId, req.Key, "onedrive")
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
