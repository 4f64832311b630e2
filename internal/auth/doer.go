package auth

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// maxPeek bounds how much of a JSON answer the doer reads to spot a 401.
const maxPeek = 1 << 20

// Doer is the HTTP doer of the facade's upstream client. It sets the
// Authorization header from the request's context (WithBearer) or, when the
// context has none, from the service account; a call made with the service
// account's token that is answered "login required" is retried once with a
// fresh token.
type Doer struct {
	Base    cloudreveapi.HttpRequestDoer
	Account *ServiceAccount // nil when no service account is configured
}

var _ cloudreveapi.HttpRequestDoer = (*Doer)(nil)

func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return d.Base.Do(req)
	}
	if tok := BearerFrom(req.Context()); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
		return d.Base.Do(req)
	}
	if d.Account == nil {
		return d.Base.Do(req)
	}
	tok, err := d.Account.Token(req.Context())
	if err != nil {
		return nil, err
	}
	retry := req.GetBody != nil || req.Body == nil || req.Body == http.NoBody
	first := req
	if retry {
		first = req.Clone(req.Context())
		if req.GetBody != nil {
			if first.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
	first.Header.Set("Authorization", "Bearer "+tok)
	resp, err := d.Base.Do(first)
	if err != nil || !retry || !answersLoginRequired(resp) {
		return resp, err
	}
	d.Account.Invalidate(tok)
	fresh, err := d.Account.Token(req.Context())
	if err != nil {
		return nil, err
	}
	if req.GetBody != nil {
		if req.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
	}
	req.Header.Set("Authorization", "Bearer "+fresh)
	return d.Base.Do(req)
}

// answersLoginRequired reads a JSON answer to see whether it is code 401,
// and leaves the body readable again either way.
func answersLoginRequired(resp *http.Response) bool {
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPeek))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(body), rest), rest}
	if err != nil {
		return false
	}
	var env struct {
		Code int `json:"code"`
	}
	if json.Unmarshal(body, &env) != nil || env.Code != upstream.CodeLoginRequired {
		return false
	}
	resp.Body.Close()
	return true
}
