package transfer

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// StoreError is a failed request to a storage provider (S3, OneDrive, a
// slave node, …) that an upload session sent the content to.
type StoreError struct {
	Op   string // e.g. "s3 part 3"
	Host string
	// StatusCode is the provider's HTTP status; 0 when it did not answer.
	StatusCode int
	Body       string
	Err        error
}

func (e *StoreError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("storage provider %s: %s: %v", e.Host, e.Op, e.Err)
	}
	return fmt.Sprintf("storage provider %s: %s: HTTP %d: %q", e.Host, e.Op, e.StatusCode, e.Body)
}

func (e *StoreError) Unwrap() error { return e.Err }

// Client sends the requests that carry no Cloudreve credentials: content to
// storage providers and signed download URLs.
type Client interface {
	Do(req *http.Request) (*http.Response, error)
}

// store sends one request to a provider and fails unless the status is one
// of ok. It returns the response with its body read (up to 1 MiB).
func store(ctx context.Context, c Client, op, method, target string, header http.Header, body io.Reader, size int64, ok ...int) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		if c, ok := body.(io.Closer); ok {
			c.Close()
		}
		return nil, nil, &StoreError{Op: op, Host: hostOf(target), Err: withoutURL(err)}
	}
	if body != nil {
		req.ContentLength = size
		resendable(req)
		if size == 0 {
			req.Body = http.NoBody
		}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, &StoreError{Op: op, Host: req.URL.Host, Err: withoutURL(err)}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	for _, s := range ok {
		if resp.StatusCode == s {
			return resp, b, nil
		}
	}
	return nil, nil, &StoreError{Op: op, Host: req.URL.Host, StatusCode: resp.StatusCode, Body: excerpt(b)}
}

// withoutURL: presigned and signed URLs are credentials.
var withoutURL = upstream.WithoutURL

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return ""
}

func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

func octetStream() http.Header {
	return http.Header{"Content-Type": {"application/octet-stream"}}
}

// s3Like uploads parts to presigned URLs, one per chunk, and completes the
// multipart upload (S3, KS3, COS, OBS, OSS).
type s3Like struct {
	http        Client
	kind        string
	urls        []string
	completeURL string
	etags       []string
}

func (t *s3Like) Put(ctx context.Context, c Chunk) error {
	if c.Index >= len(t.urls) {
		return &StoreError{Op: fmt.Sprintf("%s part %d", t.kind, c.Index+1), Err: fmt.Errorf("the upload session has only %d part URLs", len(t.urls))}
	}
	resp, _, err := store(ctx, t.http, fmt.Sprintf("%s part %d", t.kind, c.Index+1), http.MethodPut, t.urls[c.Index], octetStream(), c.Body(), c.Size, http.StatusOK)
	if err != nil {
		return err
	}
	for len(t.etags) <= c.Index {
		t.etags = append(t.etags, "")
	}
	t.etags[c.Index] = resp.Header.Get("ETag")
	return nil
}

type completePart struct {
	PartNumber int
	ETag       string
}

func (t *s3Like) Finish(ctx context.Context) error {
	h := octetStream()
	var body []byte
	switch t.kind {
	case "oss":
		// OSS lists the parts itself.
		h.Set("X-Oss-Forbid-Overwrite", "true")
		h.Set("X-Oss-Complete-All", "yes")
	default:
		parts := struct {
			XMLName xml.Name       `xml:"CompleteMultipartUpload"`
			Parts   []completePart `xml:"Part"`
		}{}
		for i, e := range t.etags {
			parts.Parts = append(parts.Parts, completePart{PartNumber: i + 1, ETag: e})
		}
		body, _ = xml.Marshal(parts)
		if t.kind == "cos" {
			h.Set("X-Cos-Forbid-Overwrite", "true")
		}
	}
	_, _, err := store(ctx, t.http, t.kind+" complete", http.MethodPost, t.completeURL, h, strings.NewReader(string(body)), int64(len(body)), http.StatusOK)
	return err
}

// oneDrive uploads byte ranges to one upload-session URL.
type oneDrive struct {
	http Client
	url  string
}

func (t *oneDrive) Put(ctx context.Context, c Chunk) error {
	if c.Size == 0 {
		return &StoreError{Op: "onedrive range", Host: hostOf(t.url), Err: fmt.Errorf("OneDrive does not take empty files")}
	}
	h := octetStream()
	h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", c.Offset, c.End(), c.Total))
	_, _, err := store(ctx, t.http, "onedrive range "+strconv.Itoa(c.Index), http.MethodPut, t.url, h, c.Body(), c.Size,
		http.StatusOK, http.StatusCreated, http.StatusAccepted)
	return err
}

func (t *oneDrive) Finish(context.Context) error { return nil }

// qiniu uploads parts with an upload token and completes them as JSON.
type qiniu struct {
	http  Client
	url   string
	token string
	mime  string
	etags []string
}

func (t *qiniu) header() http.Header {
	h := octetStream()
	h.Set("Authorization", "UpToken "+t.token)
	return h
}

func (t *qiniu) Put(ctx context.Context, c Chunk) error {
	_, b, err := store(ctx, t.http, fmt.Sprintf("qiniu part %d", c.Index+1), http.MethodPut, fmt.Sprintf("%s/%d", t.url, c.Index+1), t.header(), c.Body(), c.Size, http.StatusOK)
	if err != nil {
		return err
	}
	var part struct {
		Etag string `json:"etag"`
	}
	if err := json.Unmarshal(b, &part); err != nil {
		return &StoreError{Op: "qiniu part", Host: hostOf(t.url), StatusCode: http.StatusOK, Body: excerpt(b), Err: err}
	}
	for len(t.etags) <= c.Index {
		t.etags = append(t.etags, "")
	}
	t.etags[c.Index] = part.Etag
	return nil
}

func (t *qiniu) Finish(ctx context.Context) error {
	type part struct {
		Etag       string `json:"etag"`
		PartNumber int    `json:"partNumber"`
	}
	body := struct {
		MimeType string `json:"mimeType,omitempty"`
		Parts    []part `json:"parts"`
	}{MimeType: t.mime}
	for i, e := range t.etags {
		body.Parts = append(body.Parts, part{Etag: e, PartNumber: i + 1})
	}
	b, _ := json.Marshal(body)
	h := t.header()
	h.Set("Content-Type", "application/json")
	_, _, err := store(ctx, t.http, "qiniu complete", http.MethodPost, t.url, h, strings.NewReader(string(b)), int64(len(b)), http.StatusOK)
	return err
}

// slave sends chunks to a remote (slave) node, which reports to the master
// itself once the last one arrived.
type slave struct {
	http       Client
	url        string
	credential string
}

func (t *slave) Put(ctx context.Context, c Chunk) error {
	h := octetStream()
	h.Set("Authorization", t.credential)
	target := t.url
	if strings.Contains(target, "?") {
		target += "&chunk=" + strconv.Itoa(c.Index)
	} else {
		target += "?chunk=" + strconv.Itoa(c.Index)
	}
	_, b, err := store(ctx, t.http, "node chunk "+strconv.Itoa(c.Index), http.MethodPost, target, h, c.Body(), c.Size, http.StatusOK)
	if err != nil {
		return err
	}
	var env struct {
		Code int    `json:"code"`
		Msg  string `json:"msg"`
	}
	if json.Unmarshal(b, &env) != nil || env.Code != 0 {
		return &StoreError{Op: "node chunk " + strconv.Itoa(c.Index), Host: hostOf(t.url), StatusCode: http.StatusOK, Body: excerpt(b), Err: fmt.Errorf("node answered code %d", env.Code)}
	}
	return nil
}

func (t *slave) Finish(context.Context) error { return nil }

// upyun posts the whole file as a form in one streamed request; Upyun then
// reports to Cloudreve itself.
type upyun struct {
	http   Client
	url    string
	policy string
	auth   string
	mime   string
}

func (t *upyun) Stream(ctx context.Context, body io.Reader, size int64) error {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := writeUpyunForm(mw, t, body)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	h := http.Header{"Content-Type": {mw.FormDataContentType()}}
	_, _, err := store(ctx, t.http, "upyun form", http.MethodPost, t.url, h, pr, -1, http.StatusOK)
	pr.CloseWithError(io.ErrClosedPipe) // stop the writer if the request ended early
	return err
}

func writeUpyunForm(mw *multipart.Writer, t *upyun, body io.Reader) error {
	fields := [][2]string{{"policy", t.policy}, {"authorization", t.auth}}
	if t.mime != "" {
		fields = append(fields, [2]string{"content-type", t.mime})
	}
	for _, f := range fields {
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return err
		}
	}
	// The file goes last, as Upyun requires.
	fw, err := mw.CreateFormFile("file", "file")
	if err != nil {
		return err
	}
	_, err = io.Copy(fw, body)
	return err
}

// Put is Stream for one chunk that holds the whole file.
func (t *upyun) Put(ctx context.Context, c Chunk) error { return t.Stream(ctx, c.Body(), c.Size) }

func (t *upyun) Finish(context.Context) error { return nil }
