package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

type fakeResponse struct {
	status int
	ctype  string
	body   string
}

// check runs Decode on a canned answer, or on a call that failed with err.
func check(op string, r fakeResponse, err error) error {
	if err != nil {
		_, err = Op[json.RawMessage](op).Decode(nil, err)
		return err
	}
	_, err = Op[json.RawMessage](op).Decode(r.http(), nil)
	return err
}

func (r fakeResponse) http() *http.Response {
	h := http.Header{}
	if r.ctype != "" {
		h.Set("Content-Type", r.ctype)
	}
	return &http.Response{StatusCode: r.status, Header: h, Body: io.NopCloser(strings.NewReader(r.body))}
}

func TestCheckSuccess(t *testing.T) {
	for _, body := range []string{
		`{"code":0,"msg":""}`,
		`{"code":0,"data":{"id":"qlboH4"},"msg":""}`,
		"  \n{\"code\":0,\"data\":\"4.18.0\",\"msg\":\"\"}\n",
	} {
		if err := check("op", fakeResponse{200, "application/json", body}, nil); err != nil {
			t.Errorf("Check(%q) = %v, want nil", body, err)
		}
	}
}

// The codes the reference lists as seen on real servers, each as the server
// sends it: HTTP 200, a message, a correlation id.
func TestCheckCodes(t *testing.T) {
	codes := []int{-1, 203, 401, 403, 404, 409, 40001, 40004, 40007, 40011, 40012, 40013, 40016, 40018,
		40020, 40026, 40028, 40032, 40049, 40051, 40052, 40069, 40071, 40073, 40076, 40077, 40080, 40081,
		40082, 40088, 40089, 50001, 50004, 50005}
	for _, code := range codes {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			body := fmt.Sprintf(`{"code":%d,"msg":"message %d","correlation_id":"c0ffee00-0000-4000-8000-000000000001"}`, code, code)
			err := check("listTasks", fakeResponse{200, "application/json; charset=utf-8", body}, nil)
			var ue *Error
			if !errors.As(err, &ue) {
				t.Fatalf("Check = %T %v, want *Error", err, err)
			}
			if ue.Code != code || ue.Msg != fmt.Sprintf("message %d", code) || ue.Op != "listTasks" {
				t.Errorf("got code %d msg %q op %q", ue.Code, ue.Msg, ue.Op)
			}
			if ue.CorrelationID != "c0ffee00-0000-4000-8000-000000000001" {
				t.Errorf("correlation id %q", ue.CorrelationID)
			}
			if ue.HTTPStatus != 200 {
				t.Errorf("HTTPStatus %d", ue.HTTPStatus)
			}
			if CodeName(code) == "" {
				t.Errorf("code %d has no name", code)
			}
			if !strings.Contains(ue.Error(), CodeName(code)) || !strings.Contains(ue.Error(), fmt.Sprint(code)) {
				t.Errorf("message %q does not name the code", ue.Error())
			}
		})
	}
}

func TestCheckBindingErrorHasNoCorrelationID(t *testing.T) {
	err := check("createArchive", fakeResponse{200, "application/json", `{"code":40001,"msg":"Src cannot be empty"}`}, nil)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != CodeParamError || ue.CorrelationID != "" || ue.Msg != "Src cannot be empty" {
		t.Fatalf("got %#v", err)
	}
}

func TestCheckBatchItems(t *testing.T) {
	body := `{"code":40081,"msg":"Failed to process some files","correlation_id":"x",
	 "data":[{"link":"https://d/f/1/a.txt","file_url":"cloudreve://my/a.txt"}],
	 "aggregated_error":{
	   "cloudreve://my/b.txt":{"code":40016,"msg":"path not exist","correlation_id":"y"},
	   "cloudreve://my/c.txt":{"code":40073,"msg":"Lock conflict","data":[{"token":"opaquelocktoken:1","type":0}]},
	   "cloudreve://my/d.txt":"not an envelope"}}`
	err := check("createDirectLinks", fakeResponse{200, "application/json", body}, nil)
	var ue *Error
	if !errors.As(err, &ue) {
		t.Fatalf("got %T", err)
	}
	if ue.Code != CodeBatchPartialFailure || len(ue.Items) != 3 {
		t.Fatalf("code %d items %d", ue.Code, len(ue.Items))
	}
	if got := ue.ItemKeys(); got[0] != "cloudreve://my/b.txt" || got[2] != "cloudreve://my/d.txt" {
		t.Errorf("keys %v", got)
	}
	b := ue.Items["cloudreve://my/b.txt"]
	if b.Code != CodeParentNotExist || b.Msg != "path not exist" || b.CorrelationID != "y" {
		t.Errorf("item b %#v", b)
	}
	c := ue.Items["cloudreve://my/c.txt"]
	if c.Code != CodeLockConflict || !strings.Contains(string(c.Data), "opaquelocktoken:1") {
		t.Errorf("item c %#v", c)
	}
	if d := ue.Items["cloudreve://my/d.txt"]; d.Code != CodeNotSet || !strings.Contains(d.Msg, "not an envelope") {
		t.Errorf("item d %#v", d)
	}
	if !strings.Contains(string(ue.Data), "file_url") {
		t.Errorf("partial data lost: %s", ue.Data)
	}
	if !strings.Contains(ue.Error(), "3 failed") {
		t.Errorf("message %q", ue.Error())
	}
}

func TestCheckHTTPFailures(t *testing.T) {
	long := strings.Repeat("é", 300)
	cases := []struct {
		name       string
		resp       fakeResponse
		wantStatus int
		wantIn     string
		missing    bool
	}{
		{"unknown route", fakeResponse{404, "text/plain; charset=utf-8", "404 page not found"}, 404, "404 page not found", true},
		{"gateway", fakeResponse{502, "text/html", "<html>Bad Gateway</html>"}, 502, "Bad Gateway", false},
		{"panic recovered", fakeResponse{500, "", ""}, 500, "HTTP 500", false},
		{"html at 200", fakeResponse{200, "text/html", "<html>login</html>"}, 200, "not a JSON envelope", false},
		{"empty at 200", fakeResponse{200, "application/json", ""}, 200, "empty body", false},
		{"truncated json", fakeResponse{200, "application/json", `{"code":0,"data":{`}, 200, "malformed JSON", false},
		{"json without code", fakeResponse{200, "application/json", `{"error":"x"}`}, 200, "no envelope code", false},
		{"long body", fakeResponse{503, "text/plain", long}, 503, "…", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := check("ping", tc.resp, nil)
			var he *HTTPError
			if !errors.As(err, &he) {
				t.Fatalf("got %T %v", err, err)
			}
			if he.StatusCode != tc.wantStatus || he.RouteMissing() != tc.missing {
				t.Errorf("status %d missing %v", he.StatusCode, he.RouteMissing())
			}
			if !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("%q does not contain %q", err.Error(), tc.wantIn)
			}
			if len(he.Body) > maxBodyInError+len("…") {
				t.Errorf("body quoted at length %d", len(he.Body))
			}
		})
	}
}

func TestCheckCallbackStatuses(t *testing.T) {
	// Storage callbacks answer 401 and 400 with real envelopes.
	err := check("completeS3Upload", fakeResponse{401, "application/json", `{"code":40020,"msg":"invalid key"}`}, nil)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != CodeCredentialInvalid || ue.HTTPStatus != 401 {
		t.Fatalf("got %#v", err)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

var _ net.Error = timeoutErr{}

func TestCheckTransportErrors(t *testing.T) {
	cases := []struct {
		err                error
		timeout, cancelled bool
		httpErr            bool
	}{
		{fmt.Errorf("Post: %w", context.DeadlineExceeded), true, false, false},
		{fmt.Errorf("Get: %w", context.Canceled), false, true, false},
		{&net.OpError{Op: "dial", Err: timeoutErr{}}, true, false, false},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, false, false, false},
		{fmt.Errorf("decode: %w", jsonSyntaxError()), false, false, true},
	}
	for _, tc := range cases {
		err := check("ping", fakeResponse{}, tc.err)
		if tc.httpErr {
			var he *HTTPError
			if !errors.As(err, &he) || !strings.Contains(he.Error(), "malformed JSON") {
				t.Errorf("%v: got %T %v", tc.err, err, err)
			}
			continue
		}
		var te *TransportError
		if !errors.As(err, &te) {
			t.Fatalf("%v: got %T", tc.err, err)
		}
		if te.Timeout != tc.timeout || te.Canceled != tc.cancelled || !errors.Is(err, tc.err) {
			t.Errorf("%v: timeout %v canceled %v", tc.err, te.Timeout, te.Canceled)
		}
	}
}

func jsonSyntaxError() error {
	var v any
	return json.Unmarshal([]byte("{"), &v)
}
