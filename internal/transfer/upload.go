// Package transfer moves file content between a caller's stream and Cloudreve:
// uploads through an upload session (re-sliced into the session's chunk size,
// sent in order, failed chunks retried, the session removed when anything
// goes wrong) and downloads of signed URLs (byte ranges, resumed after a
// broken connection, hashed). It knows the REST side only; the RPC side hands
// it an io.Reader or a sink function.
package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// ErrUnsupportedPolicy is returned for an upload session of a storage policy
// the facade cannot send content to.
var ErrUnsupportedPolicy = errors.New("transfer: storage policy type not supported for uploads")

// cleanupTimeout bounds the removal of a failed upload's session, which runs
// after the caller's context may have ended.
const cleanupTimeout = 15 * time.Second

// Uploader sends content to Cloudreve through upload sessions.
type Uploader struct {
	// API is the upstream client with the caller's credentials.
	API cloudreveapi.ClientInterface
	// HTTP sends content to storage providers; it must not add Cloudreve
	// credentials.
	HTTP Client
	// APIBase is the upstream API root (…/api/v4), for the callback that
	// has no generated operation (KS3).
	APIBase string
	Retry   Retry
	Log     *slog.Logger
}

// Result is the outcome of a finished upload.
type Result struct {
	// URI is the uploaded file's URI, as the session named it.
	URI     string
	Session string
	Bytes   int64
	Chunks  int
	SHA256  string
}

// target receives the chunks of one upload session.
type target interface {
	Put(ctx context.Context, c Chunk) error
	Finish(ctx context.Context) error
}

// streamer is a target that takes the whole file in one request.
type streamer interface {
	Stream(ctx context.Context, body io.Reader, size int64) error
}

// Upload creates an upload session for req and sends req.Size bytes of src
// through it. If anything fails after the session exists, including src
// (the caller's stream breaking), the session and its placeholder file are
// removed before Upload returns.
func (u *Uploader) Upload(ctx context.Context, req cloudreveapi.CreateUploadSessionService, src io.Reader) (*Result, error) {
	return u.UploadGuarded(ctx, req, src, nil)
}

// UploadGuarded is Upload with a check run just before the content that
// completes the upload goes out (the last chunk, or the whole content when
// it goes in one request): an error from it removes the session and ends
// the upload, so the file keeps its current version. A nil check is none.
func (u *Uploader) UploadGuarded(ctx context.Context, req cloudreveapi.CreateUploadSessionService, src io.Reader, beforeLast func(context.Context) error) (*Result, error) {
	size := values.Deref(req.Size)
	// The session is created even if the caller gives up meanwhile: an
	// answer lost to cancellation would leave a session and its placeholder
	// that nobody knows to remove. A caller gone by then fails the first
	// chunk, which removes them.
	createCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	sess, err := upstream.Op[cloudreveapi.UploadSessionResponse]("createUploadSession").Need(u.API.CreateUploadSession(createCtx, req))
	cancel()
	if err != nil {
		return nil, err
	}
	res, err := u.send(ctx, sess, size, src, req.MimeType, beforeLast)
	if err != nil {
		u.abort(ctx, sess)
		return nil, err
	}
	res.URI, res.Session = sess.Uri, sess.SessionId
	return res, nil
}

func (u *Uploader) send(ctx context.Context, sess *cloudreveapi.UploadSessionResponse, size int64, src io.Reader, mime *string, beforeLast func(context.Context) error) (*Result, error) {
	t, err := u.targetFor(sess, mime)
	if err != nil {
		return nil, err
	}
	if beforeLast == nil {
		beforeLast = func(context.Context) error { return nil }
	}
	res := &Result{Chunks: 1, Bytes: size}
	st, whole := t.(streamer)
	switch {
	case whole || sess.ChunkSize <= 0:
		// The whole file in one request: streamed, so not retried.
		if err := beforeLast(ctx); err != nil {
			return nil, err
		}
		body := &countingReader{r: src, total: size}
		if checksumWanted(ctx) {
			body.hash = sha256.New()
		}
		guard := &guardedReader{r: body}
		if whole {
			err = st.Stream(ctx, guard, size)
		} else {
			err = t.Put(ctx, Chunk{Size: size, Total: size, Last: true, body: guard})
		}
		guard.close()
		if err := sourceFirst(body.failed, err); err != nil {
			return nil, err
		}
		if err := body.finish(); err != nil {
			return nil, err
		}
		if body.hash != nil {
			res.SHA256 = hex.EncodeToString(body.hash.Sum(nil))
		}
	default:
		ch := newChunker(src, size, sess.ChunkSize, checksumWanted(ctx))
		defer ch.Close()
		for {
			c, err := ch.NextLive()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, err
			}
			if c.Last {
				if err := beforeLast(ctx); err != nil {
					return nil, err
				}
			}
			if err := u.put(ctx, t, sess.SessionId, c); err != nil {
				return nil, err
			}
		}
		res.Chunks = ch.Chunks()
		if sum := ch.Sum(); sum != nil {
			res.SHA256 = hex.EncodeToString(sum)
		}
		ch.Close() // the chunk's memory is free before the last calls
	}
	if err := t.Finish(ctx); err != nil {
		return nil, err
	}
	if err := u.callback(ctx, sess); err != nil {
		return nil, err
	}
	return res, nil
}

// put sends one chunk, again after failures that may pass. A retry first
// settles a live chunk (reads the rest of it from the source), so that it
// resends kept bytes; when the source itself failed, that is the error.
func (u *Uploader) put(ctx context.Context, t target, session string, c Chunk) error {
	err := u.Retry.do(ctx, func(attempt int) error {
		if attempt > 0 {
			if err := c.settle(); err != nil {
				return err
			}
			u.log().Info("retrying an upload chunk", "session_id", session, "index", c.Index, "attempt", attempt+1)
		}
		err := t.Put(ctx, c)
		if attempt > 0 && c.Last && isSessionGone(err) {
			// The first try of the last chunk completed the upload but its
			// answer got lost.
			return nil
		}
		return err
	})
	if src := c.sourceErr(); src != nil {
		return src
	}
	if err == nil {
		// The upstream accepted the chunk, so it read all of it; settling
		// only checks that.
		if err := c.settle(); err != nil {
			return err
		}
	}
	return err
}

// guardedReader stops a request's transport, which may read on from its own
// goroutine after the request returned, from touching the source (or the
// memory) once the uploader moved on: close waits for a read in flight.
type guardedReader struct {
	mu     sync.Mutex
	r      io.Reader
	closed bool
}

func (g *guardedReader) Read(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return 0, errSuperseded
	}
	return g.r.Read(p)
}

// close reports whether the reader was open.
func (g *guardedReader) close() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	open := !g.closed
	g.closed = true
	return open
}

// sourceFirst prefers the caller's stream error over the request error it
// caused.
func sourceFirst(src, req error) error {
	if src != nil {
		return src
	}
	return req
}

func isSessionGone(err error) bool {
	var ue *upstream.Error
	return errors.As(err, &ue) && ue.Code == upstream.CodeUploadSessionExpired
}

// abort removes the session of a failed upload, even after the caller left.
func (u *Uploader) abort(ctx context.Context, sess *cloudreveapi.UploadSessionResponse) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	err := upstream.Action("deleteUploadSession").Check(u.API.DeleteUploadSession(ctx, cloudreveapi.DeleteUploadSessionService{Id: sess.SessionId, Uri: sess.Uri}))
	if err != nil {
		u.log().Warn("removing the session of a failed upload failed", "session_id", sess.SessionId, "error", err)
	}
}

func (u *Uploader) log() *slog.Logger {
	if u.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Log
}

// targetFor picks how content reaches the storage, like Cloudreve's web
// client: relayed policies and local storage take chunks through the API,
// the others get them at provider URLs.
func (u *Uploader) targetFor(sess *cloudreveapi.UploadSessionResponse, mime *string) (target, error) {
	kind := "local"
	relay := false
	if p := sess.StoragePolicy; p != nil {
		kind = string(p.Type)
		relay = values.Deref(p.Relay)
	}
	urls := []string{}
	if sess.UploadUrls != nil {
		urls = *sess.UploadUrls
	}
	need := func(n int) error {
		if len(urls) < n {
			return fmt.Errorf("%w: a %s session without upload URLs", ErrUnsupportedPolicy, kind)
		}
		return nil
	}
	if relay || kind == "local" {
		return &relayTarget{api: u.API, session: sess.SessionId}, nil
	}
	switch kind {
	case "remote":
		if err := need(1); err != nil {
			return nil, err
		}
		return &slave{http: u.HTTP, url: urls[0], credential: values.Deref(sess.Credential)}, nil
	case "s3", "ks3", "cos", "obs", "oss":
		if err := need(1); err != nil {
			return nil, err
		}
		return &s3Like{http: u.HTTP, kind: kind, urls: urls, completeURL: values.Deref(sess.CompleteURL)}, nil
	case "onedrive":
		if err := need(1); err != nil {
			return nil, err
		}
		return &oneDrive{http: u.HTTP, url: urls[0]}, nil
	case "qiniu":
		if err := need(1); err != nil {
			return nil, err
		}
		return &qiniu{http: u.HTTP, url: urls[0], token: values.Deref(sess.Credential), mime: values.Deref(mime)}, nil
	case "upyun":
		if err := need(1); err != nil {
			return nil, err
		}
		return &upyun{http: u.HTTP, url: urls[0], policy: values.Deref(sess.UploadPolicy), auth: values.Deref(sess.Credential), mime: values.Deref(mime)}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnsupportedPolicy, kind)
}

// callback tells Cloudreve that a provider upload is complete, for the
// providers whose web client does so; the others call Cloudreve themselves.
func (u *Uploader) callback(ctx context.Context, sess *cloudreveapi.UploadSessionResponse) error {
	if sess.StoragePolicy == nil || (sess.StoragePolicy.Relay != nil && *sess.StoragePolicy.Relay) {
		return nil
	}
	id, key := sess.SessionId, sess.CallbackSecret
	// The callback URLs carry the secret: errors must not quote them.
	switch sess.StoragePolicy.Type {
	case "s3":
		resp, err := u.API.CompleteS3Upload(ctx, id, key)
		return upstream.Action("completeS3Upload").Check(resp, withoutURL(err))
	case "cos":
		resp, err := u.API.CompleteCosUpload(ctx, id, key)
		return upstream.Action("completeCosUpload").Check(resp, withoutURL(err))
	case "onedrive":
		resp, err := u.API.CompleteOneDriveUpload(ctx, id, key)
		return upstream.Action("completeOneDriveUpload").Check(resp, withoutURL(err))
	case "ks3":
		return u.rawCallback(ctx, "ks3", id, key)
	}
	return nil
}

// rawCallback calls a completion callback the spec has no operation for.
func (u *Uploader) rawCallback(ctx context.Context, kind, id, key string) error {
	op := "complete" + strings.ToUpper(kind[:1]) + kind[1:] + "Upload"
	target := strings.TrimRight(u.APIBase, "/") + "/callback/" + kind + "/" + url.PathEscape(id) + "/" + url.PathEscape(key)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := u.HTTP.Do(req)
	if err != nil {
		return &upstream.TransportError{Op: op, Err: withoutURL(err), Canceled: errors.Is(err, context.Canceled)}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return upstream.CheckBody(op, resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

// relayTarget sends chunks through the upstream's chunk endpoint.
type relayTarget struct {
	api     cloudreveapi.ClientInterface
	session string
}

func (t *relayTarget) Put(ctx context.Context, c Chunk) error {
	resp, err := t.api.UploadFileChunkWithBody(ctx, t.session, c.Index, "application/octet-stream", c.Body(),
		func(_ context.Context, req *http.Request) error {
			req.ContentLength = c.Size
			resendable(req)
			if c.Size == 0 {
				req.Body = http.NoBody
			}
			return nil
		})
	return upstream.Action("uploadFileChunk").Check(resp, err)
}

// Finish has nothing to do: the server completes the upload itself when the
// last chunk arrives.
func (t *relayTarget) Finish(context.Context) error { return nil }
