package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The direct side (B) of the transfer scenarios: Cloudreve's REST API as a
// client without the facade uses it.

// restClient calls one upstream (or the floor proxy in front of it) with
// one account's token, over its own keep-alive connection.
type restClient struct {
	base     string // the upstream's (or the floor proxy's) base URL, without /api/v4
	token    string
	hc       *http.Client
	policies map[string]string // folder URI → its storage policy's ID
}

// newRESTClient speaks HTTP/1.1, as Cloudreve serves it.
func newRESTClient(base, token string) *restClient {
	return restClientOver(base, token, http1Transport())
}

func restClientOver(base, token string, t *http.Transport) *restClient {
	return &restClient{base: base, token: token, hc: &http.Client{Transport: t}}
}

func (c *restClient) close() { c.hc.Transport.(*http.Transport).CloseIdleConnections() }

// call sends a request to /api/v4+path and decodes the data of a successful
// envelope into out (if not nil). A body that is not JSON is sent with its
// length, as application/octet-stream.
func (c *restClient) call(ctx context.Context, method, path string, in any, out any) error {
	var body io.Reader
	var length int64 = -1
	contentType := ""
	switch v := in.(type) {
	case nil:
	case []byte:
		body, length, contentType = bytes.NewReader(v), int64(len(v)), "application/octet-stream"
	default:
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		body, length, contentType = bytes.NewReader(raw), int64(len(raw)), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/api/v4"+path, body)
	if err != nil {
		return err
	}
	if length >= 0 {
		req.ContentLength = length
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d: %.200s", method, path, resp.StatusCode, raw)
	}
	var env restEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("%s %s: %w: %.200s", method, path, err, raw)
	}
	if env.Code != 0 {
		return fmt.Errorf("%s %s: Cloudreve code %d: %s", method, path, env.Code, env.Msg)
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// upload sends size bytes of src to uri: an upload session, then its
// chunks in order, each read whole into buf first (a REST client has to,
// to send Content-Length).
func (c *restClient) upload(ctx context.Context, uri string, size int64, src io.Reader) error {
	var sess struct {
		SessionID string `json:"session_id"`
		ChunkSize int64  `json:"chunk_size"`
	}
	policy, err := c.policyOf(ctx, uri[:strings.LastIndex(uri, "/")])
	if err != nil {
		return fmt.Errorf("upload session: %w", err)
	}
	if err := c.call(ctx, http.MethodPut, "/file/upload", map[string]any{"uri": uri, "size": size, "policy_id": policy}, &sess); err != nil {
		return fmt.Errorf("upload session: %w", err)
	}
	chunk := sess.ChunkSize
	if chunk <= 0 {
		chunk = size
	}
	buf := make([]byte, min(chunk, max(size, 1)))
	for i, sent := 0, int64(0); sent < size || (size == 0 && i == 0); i++ {
		n, err := io.ReadFull(src, buf[:min(chunk, size-sent)])
		if err != nil && n == 0 && size > 0 {
			return fmt.Errorf("reading the content: %w", err)
		}
		if err := c.call(ctx, http.MethodPost, "/file/upload/"+url.PathEscape(sess.SessionID)+"/"+strconv.Itoa(i), buf[:n], nil); err != nil {
			return fmt.Errorf("chunk %d: %w", i, err)
		}
		sent += int64(n)
	}
	return nil
}

// policyOf is the storage policy of folder, as a listing of it names it.
// An upload session names it, as Cloudreve's web client does: servers
// before 4.18 refuse a session without one ("unknown policy id").
func (c *restClient) policyOf(ctx context.Context, folder string) (string, error) {
	if id, ok := c.policies[folder]; ok {
		return id, nil
	}
	var list struct {
		StoragePolicy struct {
			ID string `json:"id"`
		} `json:"storage_policy"`
	}
	if err := c.call(ctx, http.MethodGet, "/file?page_size=1&uri="+url.QueryEscape(folder), nil, &list); err != nil {
		return "", fmt.Errorf("listing %s for its storage policy: %w", folder, err)
	}
	if list.StoragePolicy.ID == "" {
		return "", fmt.Errorf("listing %s names no storage policy", folder)
	}
	if c.policies == nil {
		c.policies = map[string]string{}
	}
	c.policies[folder] = list.StoragePolicy.ID
	return list.StoragePolicy.ID, nil
}

// download fetches uri's content by a download URL and returns its length.
func (c *restClient) download(ctx context.Context, uri string) (int64, error) {
	target, err := c.downloadURL(ctx, uri)
	if err != nil {
		return 0, err
	}
	return c.get(ctx, target, io.Discard)
}

// downloadURL asks for uri's download URL, made absolute against the base.
func (c *restClient) downloadURL(ctx context.Context, uri string) (string, error) {
	var urls struct {
		Urls []struct {
			URL string `json:"url"`
		} `json:"urls"`
	}
	if err := c.call(ctx, http.MethodPost, "/file/url", map[string]any{"uris": []string{uri}, "download": true}, &urls); err != nil {
		return "", fmt.Errorf("download URL: %w", err)
	}
	if len(urls.Urls) == 0 {
		return "", fmt.Errorf("download URL: the answer has none")
	}
	return resolveURL(c.base, urls.Urls[0].URL)
}

// get copies the content at a download URL into w and returns its length.
func (c *restClient) get(ctx context.Context, target string, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
		return 0, fmt.Errorf("GET the download URL: HTTP %d: %s", resp.StatusCode, raw)
	}
	return io.Copy(w, resp.Body)
}

// remove deletes files for good, so the upstream's storage does not grow.
func (c *restClient) remove(ctx context.Context, uris ...string) error {
	if len(uris) == 0 {
		return nil
	}
	return c.call(ctx, http.MethodDelete, "/file", map[string]any{"uris": uris, "skip_soft_delete": true}, nil)
}

// resolveURL makes a download URL absolute against the upstream (servers
// without a configured site URL answer with a path).
func resolveURL(base, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("download URL %q: %w", raw, err)
	}
	if u.IsAbs() {
		return raw, nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(u).String(), nil
}

// pattern is size bytes of a repeated random block, produced without
// holding them all: content that does not compress, cheap to make.
type pattern struct {
	block []byte
	left  int64
	pos   int
}

// patternBlock is 1 MiB + 7 bytes, so that slices of round sizes do not
// line up with it.
var patternBlock = func() []byte {
	b := make([]byte, 1<<20+7)
	var x uint64 = 0x9e3779b97f4a7c15
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return b
}()

func newPattern(size int64) *pattern { return &pattern{block: patternBlock, left: size} }

func (p *pattern) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := copy(b[:min(int64(len(b)), p.left)], p.block[p.pos:])
	p.pos = (p.pos + n) % len(p.block)
	p.left -= int64(n)
	return n, nil
}
