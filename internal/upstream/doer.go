package upstream

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// errorDataKey is where ErrorDataDoer moves the data of an error envelope.
const errorDataKey = "x_facade_error_data"

// maxEnvelope bounds the JSON bodies ErrorDataDoer inspects; larger ones pass
// untouched (error envelopes are small).
const maxEnvelope = 4 << 20

// Doer is what the generated client sends requests with.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// ErrorDataDoer protects error envelopes from the generated client's typed
// parsing. An error's data has another shape than the operation's success
// data (a lock conflict lists locks, code 203 carries a session id string),
// and the generated parser would fail on it and lose the whole answer. This
// doer moves such data under a private key, where Check finds it again as
// Error.Data.
type ErrorDataDoer struct{ Base Doer }

func (d ErrorDataDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.Base.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxEnvelope+1))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(moveErrorData(body)))
	return resp, nil
}

func moveErrorData(body []byte) []byte {
	if len(body) > maxEnvelope {
		return body
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return body
	}
	code, err := strconv.Atoi(string(bytes.TrimSpace(fields["code"])))
	data, hasData := fields["data"]
	if err != nil || code == CodeOK || !hasData {
		return body
	}
	delete(fields, "data")
	fields[errorDataKey] = data
	out, err := json.Marshal(fields)
	if err != nil {
		return body
	}
	return out
}
