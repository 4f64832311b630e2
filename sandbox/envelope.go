package sandbox

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// apiError is a Cloudreve error answer. Handlers return it as the error of a
// strict-server method; responseError turns it into an HTTP 200 envelope.
type apiError struct {
	code    int
	msg     string
	data    any
	agg     map[string]*apiError // 40081: per-item errors keyed by URI or source
	binding bool                 // request binding/validation error: no correlation_id
}

func (e *apiError) Error() string { return fmt.Sprintf("code %d: %s", e.code, e.msg) }

func fail(code int, format string, args ...any) *apiError {
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	return &apiError{code: code, msg: format}
}

// bindErr is the early binding error of the real server: code 40001 without a
// correlation id.
func bindErr(msg string) *apiError {
	return &apiError{code: upstream.CodeParamError, msg: msg, binding: true}
}

func errNotImplemented() *apiError {
	return fail(upstream.CodeInternalSetting, "not implemented by the sandbox")
}

func errLoginRequired() *apiError { return fail(upstream.CodeLoginRequired, "Login required") }

// batchError is the 40081 answer of a batch with failed items, keyed as the
// request named them; the answer keys them as the real server does (uriKey).
func batchError(agg map[string]*apiError) *apiError {
	msg := "One or more operation failed"
	if len(agg) == 1 {
		for _, e := range agg {
			msg = e.msg
		}
	}
	keyed := make(map[string]*apiError, len(agg))
	for k, e := range agg {
		keyed[uriKey(k)] = e
	}
	return &apiError{code: upstream.CodeBatchPartialFailure, msg: msg, agg: keyed}
}

// uriKey is how Cloudreve keys a failed cloudreve:// URI: it parses the URI
// with net/url, drops a trailing "/" from the decoded path, and prints the
// URI again, so spaces and non-ASCII letters come back percent-encoded
// ("a b é" → "a%20b%20%C3%A9") while an escape the caller wrote stays as
// written. Anything that is not a cloudreve:// URI is its own key.
func uriKey(item string) string {
	u, err := url.Parse(item)
	if err != nil || u.Scheme != "cloudreve" {
		return item
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String()
}

// envelope is the JSON body of every answer written outside generated types.
type envelope struct {
	Code            int                              `json:"code"`
	Data            any                              `json:"data,omitempty"`
	Msg             string                           `json:"msg"`
	CorrelationID   string                           `json:"correlation_id,omitempty"`
	AggregatedError map[string]cloudreveapi.Envelope `json:"aggregated_error,omitempty"`
}

func (s *cloudreve) writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	env := envelope{Code: e.code, Data: e.data, Msg: e.msg}
	if !e.binding {
		env.CorrelationID = correlationID(r)
	}
	if len(e.agg) > 0 {
		env.AggregatedError = map[string]cloudreveapi.Envelope{}
		for k, v := range e.agg {
			item := cloudreveapi.Envelope{Code: v.code, Msg: v.msg}
			if env.CorrelationID != "" {
				id := env.CorrelationID
				item.CorrelationId = &id
			}
			env.AggregatedError[k] = item
		}
	}
	writeJSON(w, env)
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"code":50005,"msg":"failed to encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(b, '\n'))
}

// correlationID honours a client-supplied X-Cr-Correlation-Id UUID, else makes
// one up. It is stable for a request: the first call stores it.
func correlationID(r *http.Request) string {
	if id, ok := r.Context().Value(ctxCorrelation{}).(*string); ok && *id != "" {
		return *id
	}
	id := r.Header.Get("X-Cr-Correlation-Id")
	if !isUUID(id) {
		id = newUUID()
	}
	if p, ok := r.Context().Value(ctxCorrelation{}).(*string); ok {
		*p = id
	}
	return id
}

type ctxCorrelation struct{}

// requestError answers a body that could not be decoded.
func (s *cloudreve) requestError(w http.ResponseWriter, r *http.Request, err error) {
	msg := "Parameter error"
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		msg = "JSON marshall error"
	}
	s.writeError(w, r, bindErr(msg))
}

// paramError answers a query/path parameter that could not be bound.
func (s *cloudreve) paramError(w http.ResponseWriter, r *http.Request, err error) {
	msg := "Parameter error"
	var req *cloudreveapi.RequiredParamError
	if errors.As(err, &req) {
		msg = fieldName(req.ParamName) + " cannot be empty"
	}
	s.writeError(w, r, bindErr(msg))
}

// responseError writes the envelope of an error returned by a handler.
func (s *cloudreve) responseError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		s.log.Error("sandbox: handler failed", "path", r.URL.Path, "err", err)
		ae = fail(upstream.CodeInternalSetting, err.Error())
	}
	s.writeError(w, r, ae)
}

// fieldName turns a snake_case parameter into the Go field name the real
// server puts in validation messages.
func fieldName(p string) string {
	parts := strings.Split(p, "_")
	for i, s := range parts {
		if s != "" {
			parts[i] = strings.ToUpper(s[:1]) + s[1:]
		}
	}
	return strings.Join(parts, "")
}

// Context plumbing: the caller and the raw request.

type ctxUser struct{}
type ctxRequest struct{}

func withUser(ctx context.Context, u *user) context.Context {
	var cid string
	ctx = context.WithValue(ctx, ctxCorrelation{}, &cid)
	return context.WithValue(ctx, ctxUser{}, u)
}

// caller is the signed-in user of a request, or nil for a guest.
func caller(ctx context.Context) *user {
	u, _ := ctx.Value(ctxUser{}).(*user)
	return u
}

func request(ctx context.Context) *http.Request {
	r, _ := ctx.Value(ctxRequest{}).(*http.Request)
	return r
}

type ctxWriter struct{}

// responseWriter is the raw writer of a request, for the few operations that
// set headers of their own (caching of profile pictures).
func responseWriter(ctx context.Context) http.ResponseWriter {
	w, _ := ctx.Value(ctxWriter{}).(http.ResponseWriter)
	return w
}

// strictMiddleware runs before every generated operation: it applies injected
// faults, records the raw request and rejects guests on login-required
// operations.
func (s *cloudreve) strictMiddleware(f cloudreveapi.StrictHandlerFunc, op string) cloudreveapi.StrictHandlerFunc {
	info := specOps().byName[op]
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		if answered, err := s.inject(ctx, w, op); answered {
			return nil, err
		}
		ctx = context.WithValue(ctx, ctxRequest{}, r)
		ctx = context.WithValue(ctx, ctxWriter{}, w)
		if info.login && caller(ctx) == nil {
			return nil, errLoginRequired()
		}
		return f(ctx, w, r, req)
	}
}

func newUUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
