package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A typed parser that expects an object in data must not lose an error
// envelope whose data is a list (40073) or a string (203).
func TestErrorDataSurvivesTypedParsing(t *testing.T) {
	bodies := map[string]string{
		"/conflict": `{"code":40073,"msg":"Lock conflict","correlation_id":"c1","data":[{"token":"opaquelocktoken:9","type":0}]}`,
		"/twofa":    `{"code":203,"msg":"","data":"2fa-session-id"}`,
		"/ok":       `{"code":0,"msg":"","data":{"id":"x"}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, bodies[r.URL.Path])
	}))
	defer srv.Close()
	doer := ErrorDataDoer{Base: srv.Client()}
	get := func(path string) (*typedResponse, error) {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+path, nil)
		resp, err := doer.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		out := &typedResponse{fakeResponse{resp.StatusCode, resp.Header.Get("Content-Type"), string(body)}}
		var typed struct {
			Data *struct{ ID string } `json:"data"`
		}
		return out, json.Unmarshal(body, &typed) // what the generated parser does
	}
	resp, err := get("/conflict")
	err = Check("createFile", resp, err)
	var ue *Error
	if !errors.As(err, &ue) || ue.Code != CodeLockConflict || !strings.Contains(string(ue.Data), "opaquelocktoken:9") || ue.CorrelationID != "c1" {
		t.Fatalf("conflict: %#v", err)
	}
	resp, err = get("/twofa")
	err = Check("passwordSignIn", resp, err)
	if !errors.As(err, &ue) || ue.Code != CodeNotFullySuccessful || string(ue.Data) != `"2fa-session-id"` {
		t.Fatalf("203: %#v", err)
	}
	resp, err = get("/ok")
	if err := Check("getFileInfo", resp, err); err != nil || !strings.Contains(resp.body, `"data":{"id":"x"}`) {
		t.Fatalf("success answer changed: %v %s", err, resp.body)
	}
}

type typedResponse struct{ fakeResponse }

func TestTransportErrorsHideURLs(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/api/v4/callback/s3/session/secret-key?uri=cloudreve://x:pw@share")
	err = Check("completeS3Upload", (*typedResponse)(nil), err)
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("%T %v", err, err)
	}
	for _, secret := range []string{"secret-key", "pw@share", "/callback/"} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows %q", err.Error(), secret)
		}
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q lost the host", err.Error())
	}
}
