package sandbox_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// envelope is Cloudreve's answer: HTTP 200 with a code, 0 on success.
type envelope struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// call is a bare REST call, as any client of Cloudreve makes it.
func call(method, url, token string, body, data any) error {
	var in bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&in).Encode(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequest(method, url, &in)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return err
	}
	if env.Code != 0 {
		return fmt.Errorf("code %d: %s", env.Code, env.Msg)
	}
	if data == nil {
		return nil
	}
	return json.Unmarshal(env.Data, data)
}

type task struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Summary struct {
		Phase string `json:"phase"`
	} `json:"summary"`
}

// A test signs in over REST, creates an archive and moves the task queue by
// hand. In a test, the first two lines are one:
//
//	sb := sandbox.Start(t, sandbox.Options{Paused: true})
func Example() {
	sb, err := sandbox.NewServer(sandbox.Options{Paused: true, Tick: 20 * time.Millisecond})
	if err != nil {
		panic(err)
	}
	defer sb.Close()

	// Seed an account and a file without HTTP.
	ann, _ := sb.CreateUser("ann@example.com", "ann-password", "Ann")
	_ = sb.WriteFile(ann, "cloudreve://my/notes.txt", []byte("hello"))

	// Sign in as a client would.
	var login struct {
		Token struct {
			AccessToken string `json:"access_token"`
		} `json:"token"`
	}
	if err := call("POST", sb.APIURL()+"/session/token", "",
		map[string]string{"email": "ann@example.com", "password": "ann-password"}, &login); err != nil {
		panic(err)
	}
	token := login.Token.AccessToken

	var created task
	if err := call("POST", sb.APIURL()+"/workflow/archive", token, map[string]any{
		"src": []string{"cloudreve://my/notes.txt"}, "dst": "cloudreve://my/notes.zip",
	}, &created); err != nil {
		panic(err)
	}
	show := func() {
		var page struct {
			Tasks []task `json:"tasks"`
		}
		if err := call("GET", sb.APIURL()+"/workflow?page_size=10&category=general", token, nil, &page); err != nil {
			panic(err)
		}
		fmt.Println(strings.TrimSpace(page.Tasks[0].Status + " " + page.Tasks[0].Summary.Phase))
	}

	show() // the queue is paused: the task waits
	for range 3 {
		sb.Step() // one poll of the queue
		show()
	}
	if err := sb.Drain(context.Background()); err != nil {
		panic(err)
	}
	show()
	zip, _ := sb.ReadFile(ann, "cloudreve://my/notes.zip")
	fmt.Println("zip:", string(zip[:2]))

	// Output:
	// queued
	// suspending compress_files
	// suspending upload_archive
	// processing upload_archive
	// completed upload_archive
	// zip: PK
}
