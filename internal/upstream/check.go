package upstream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxBodyInError bounds how much of a non-envelope body an error quotes.
const maxBodyInError = 200

// envelope is the generic shape of every JSON answer, with data kept raw.
type envelope struct {
	Code            *int                       `json:"code"`
	Msg             string                     `json:"msg"`
	Error           string                     `json:"error"`
	CorrelationID   string                     `json:"correlation_id"`
	AggregatedError map[string]json.RawMessage `json:"aggregated_error"`
	Data            json.RawMessage            `json:"data"`
}

// CheckBody judges an answer whose status, content type and body the
// caller holds itself (raw-body operations, the streaming paths). It answers
// nil only for an HTTP 200 JSON envelope with code 0; otherwise an
// *HTTPError or *Error that says what happened.
func CheckBody(op string, status int, contentType string, body []byte) error {
	env, decodeErr := decodeEnvelope(body)
	if status != http.StatusOK {
		// The storage callbacks answer 400/401 with a real envelope.
		if decodeErr == nil && *env.Code != CodeOK {
			e := env.toError(op)
			e.HTTPStatus = status
			return e
		}
		return &HTTPError{Op: op, StatusCode: status, ContentType: contentType, Body: quote(body)}
	}
	if decodeErr != nil {
		return &HTTPError{Op: op, StatusCode: status, ContentType: contentType, Body: quote(body), Reason: decodeErr.Error()}
	}
	if *env.Code != CodeOK {
		return env.toError(op)
	}
	return nil
}

func decodeEnvelope(body []byte) (*envelope, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, errors.New("empty body where a JSON envelope was expected")
	}
	if trimmed[0] != '{' {
		return nil, errors.New("body is not a JSON envelope")
	}
	var env envelope
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return nil, errors.New("malformed JSON envelope: " + err.Error())
	}
	if env.Code == nil {
		return nil, errors.New("JSON body has no envelope code")
	}
	return &env, nil
}

func (env *envelope) toError(op string) *Error {
	e := &Error{
		Op:            op,
		HTTPStatus:    http.StatusOK,
		Code:          *env.Code,
		Msg:           env.Msg,
		CorrelationID: env.CorrelationID,
		Detail:        env.Error,
	}
	data := env.Data
	if len(data) > 0 && !bytes.Equal(data, []byte("null")) {
		e.Data = data
	}
	if len(env.AggregatedError) > 0 {
		e.Items = make(map[string]*Error, len(env.AggregatedError))
		for key, raw := range env.AggregatedError {
			item, err := decodeEnvelope(raw)
			if err != nil {
				// Keep the item even if its envelope is odd: losing it would
				// hide which part of the batch failed.
				e.Items[key] = &Error{Op: op, HTTPStatus: http.StatusOK, Code: CodeNotSet, Msg: string(raw)}
				continue
			}
			e.Items[key] = item.toError(op)
		}
	}
	return e
}

// WithoutURL drops the URL from a request error, keeping its host: request
// URLs can carry credentials (signed and presigned URLs, callback secrets,
// share passwords inside cloudreve:// URIs), and errors end up in logs and
// in answers to callers.
func WithoutURL(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	host := ""
	if u, perr := url.Parse(ue.URL); perr == nil {
		host = u.Host
	}
	return &url.Error{Op: ue.Op, URL: host, Err: ue.Err}
}

func classifyCallError(op string, err error) error {
	err = WithoutURL(err)
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntaxErr), errors.As(err, &typeErr):
		// The generated parser failed on a body labelled JSON.
		return &HTTPError{Op: op, StatusCode: http.StatusOK, ContentType: "application/json", Reason: "malformed JSON body: " + err.Error()}
	case errors.Is(err, context.DeadlineExceeded):
		return &TransportError{Op: op, Timeout: true, Err: err}
	case errors.Is(err, context.Canceled):
		return &TransportError{Op: op, Canceled: true, Err: err}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return &TransportError{Op: op, Timeout: true, Err: err}
	}
	return &TransportError{Op: op, Err: err}
}

func quote(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > maxBodyInError {
		s = s[:maxBodyInError]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
