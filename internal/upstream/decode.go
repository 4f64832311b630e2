package upstream

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"sync"
)

// Decoding limits. A success answer has no limit: a listing of many files or
// an archive's content can be large and must come back whole. What is only
// quoted or kept for an error is bounded.
const (
	// maxErrorBody bounds an error answer, and the non-envelope bodies that
	// are only quoted.
	maxErrorBody = 1 << 20
	// maxDrain is how much of an unread remainder is read to keep the
	// connection reusable; a longer one closes the connection instead.
	maxDrain = 64 << 10
	// maxPooledBuffer is the largest body buffer kept for reuse.
	maxPooledBuffer = 256 << 10
)

// Op names one upstream operation (its operationId, used in errors) and the
// type of its answer's data:
//
//	d, err := upstream.Op[cloudreveapi.TaskListResponse]("listTasks").Decode(client.ListTasks(ctx, params))
type Op[T any] string

// typedEnvelope is the envelope of a success answer, data in its own type.
type typedEnvelope[T any] struct {
	Code *int `json:"code"`
	Data *T   `json:"data"`
}

// Decode judges the raw answer of one generated-client call (the
// ClientInterface methods, which return the *http.Response unread) and
// decodes the envelope's data into a T. A success answer is decoded once,
// straight into T; only an answer that is not a success is looked at again,
// by CheckBody, to say what went wrong.
//
// The returned pointer is nil when the answer had no data (absent or null).
// Errors are *TransportError, *HTTPError or *Error. The body is always
// closed, so the connection goes back to the pool.
func (o Op[T]) Decode(resp *http.Response, err error) (*T, error) {
	op := string(o)
	if err != nil {
		return nil, classifyCallError(op, err)
	}
	defer drainAndClose(resp.Body)
	ctype := resp.Header.Get("Content-Type")
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBuffer(buf)
	if err := readBody(buf, resp); err != nil {
		return nil, classifyCallError(op, err)
	}
	body := buf.Bytes()
	if resp.StatusCode != http.StatusOK || len(body) > maxErrorBody && leadingCode(body) != CodeOK {
		return nil, judge(op, resp.StatusCode, ctype, body)
	}
	var env typedEnvelope[T]
	typedErr := json.Unmarshal(body, &env)
	if typedErr == nil && env.Code != nil && *env.Code == CodeOK {
		return env.Data, nil
	}
	if err := CheckBody(op, resp.StatusCode, ctype, body); err != nil {
		return nil, err
	}
	// An envelope with code 0 whose data is not what the operation promises.
	return nil, &HTTPError{Op: op, StatusCode: resp.StatusCode, ContentType: ctype, Body: quote(body),
		Reason: fmt.Sprintf("malformed JSON body: %v", typedErr)}
}

// readBody reads an answer: a success whole, whatever its size; anything
// else up to maxErrorBody (and one byte more, to tell it was longer).
func readBody(buf *bytes.Buffer, resp *http.Response) error {
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxErrorBody+1)); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || buf.Len() <= maxErrorBody || leadingCode(buf.Bytes()) != CodeOK {
		return nil
	}
	_, err := buf.ReadFrom(resp.Body)
	return err
}

// judge reports an answer that is not a success, quoting a bounded part.
func judge(op string, status int, ctype string, body []byte) error {
	if len(body) > maxErrorBody {
		if code := leadingCode(body); code != noLeadingCode {
			return &Error{Op: op, HTTPStatus: status, Code: code, Msg: fmt.Sprintf("error answer longer than %d bytes, not read", maxErrorBody)}
		}
		body = body[:maxErrorBody]
	}
	return CheckBody(op, status, ctype, body)
}

// leadingCode reads the code of an envelope that starts with it (Cloudreve
// writes code first), without decoding the rest: noLeadingCode when the
// body is no JSON object, CodeOK when its first key is not the code (the
// full decode judges it then).
func leadingCode(body []byte) int {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return noLeadingCode
	}
	if key, err := dec.Token(); err != nil || key != "code" {
		return CodeOK
	}
	var code int
	if dec.Decode(&code) != nil {
		return noLeadingCode
	}
	return code
}

const noLeadingCode = math.MinInt

var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return // a large answer's buffer would pin its memory
	}
	b.Reset()
	bodyBuffers.Put(b)
}

// drainAndClose reads a short remainder so that the connection can be
// reused, and closes the body.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, maxDrain)
	_ = body.Close()
}

// Need is Decode for operations whose success always carries data: an
// answer without it is an *HTTPError (see NoData).
func (o Op[T]) Need(resp *http.Response, err error) (*T, error) {
	d, err := o.Decode(resp, err)
	if err == nil && d == nil {
		return nil, NoData(string(o))
	}
	return d, err
}

// NoData is the error of a success answer that lacks the data it promises.
func NoData(op string) *HTTPError {
	return &HTTPError{Op: op, StatusCode: http.StatusOK, Reason: "answer without data"}
}

// Action names an operation whose answer carries nothing the caller needs.
type Action string

// Check judges the answer; whatever data it has is skipped, not decoded.
func (a Action) Check(resp *http.Response, err error) error {
	_, err = Op[Ignored](a).Decode(resp, err)
	return err
}

// Ignored is the data type of operations whose answer's data nobody reads:
// whatever it holds is skipped.
type Ignored struct{}

func (*Ignored) UnmarshalJSON([]byte) error { return nil }
