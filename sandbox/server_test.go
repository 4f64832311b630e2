package sandbox_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

func TestStartServesOnLoopback(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	if !strings.HasPrefix(sb.URL(), "http://127.0.0.1:") || sb.APIURL() != sb.URL()+sandbox.APIPrefix {
		t.Fatalf("URL %q, APIURL %q", sb.URL(), sb.APIURL())
	}
	var version string
	if err := call("GET", sb.APIURL()+"/site/ping", "", nil, &version); err != nil || version != sandbox.Version {
		t.Fatalf("ping: %q, %v", version, err)
	}
	if o := sb.Options(); o.Edition != sandbox.EditionCommunity || o.Version != sandbox.Version || o.Tick != time.Second {
		t.Fatalf("defaults: %+v", o)
	}
}

func TestBadOptionsAreErrors(t *testing.T) {
	for _, o := range []sandbox.Options{{Version: "3.8.3"}, {Edition: "enterprise"}, {StoragePolicy: "ftp"}} {
		if sb, err := sandbox.New(o); err == nil {
			sb.Close()
			t.Errorf("%+v: no error", o)
		}
	}
}

func TestCreateAdmin(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	first, _ := sb.CreateUser("first@example.com", "pw-first", "")
	plain, _ := sb.CreateUser("plain@example.com", "pw-plain", "")
	admin, err := sb.CreateAdmin("root@example.com", "pw-root", "")
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{first: "Admin", plain: "User", admin: "Admin"} {
		email := map[string]string{first: "first@example.com", plain: "plain@example.com", admin: "root@example.com"}[id]
		var login struct {
			User struct {
				Group struct {
					Name string `json:"name"`
				} `json:"group"`
			} `json:"user"`
		}
		pw := "pw-" + strings.TrimSuffix(email, "@example.com")
		if err := call("POST", sb.APIURL()+"/session/token", "", map[string]string{"email": email, "password": pw}, &login); err != nil || login.User.Group.Name != want {
			t.Errorf("%s: group %q (%v), want %q", email, login.User.Group.Name, err, want)
		}
	}
}

func TestInjectedFaults(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{})
	ping := sb.APIURL() + "/site/ping"
	if err := sb.InjectFault("nope", sandbox.Fault{Code: 50002}); err == nil {
		t.Error("an unknown operation is accepted")
	}
	if err := sb.InjectFault("ping", sandbox.Fault{Code: 50002, Times: 2}); err != nil {
		t.Fatal(err)
	}
	if err := sb.InjectFault("Ping", sandbox.Fault{Status: http.StatusBadGateway, Times: 1}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"code 50002", "code 50002"} {
		if err := call("GET", ping, "", nil, nil); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("call %d: %v, want %s", i, err, want)
		}
	}
	resp, err := http.Get(ping)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("third call: HTTP %d, want 502", resp.StatusCode)
	}
	if err := call("GET", ping, "", nil, nil); err != nil {
		t.Errorf("faults used up, still: %v", err)
	}

	if err := sb.InjectFault("ping", sandbox.Fault{Delay: 300 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ping, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Error("a delayed answer came before the client's deadline")
	}
	sb.ClearFaults()
	if err := call("GET", ping, "", nil, nil); err != nil {
		t.Errorf("after ClearFaults: %v", err)
	}
}

func TestPauseHoldsTasksResumeReleasesThem(t *testing.T) {
	sb := sandbox.Start(t, sandbox.Options{Tick: 10 * time.Millisecond})
	sb.Pause()
	ann, _ := sb.CreateUser("ann@example.com", "pw-ann", "")
	_ = sb.WriteFile(ann, "cloudreve://my/a.txt", []byte("a"))
	token, _, _ := sb.IssueTokens(ann)
	if err := call("POST", sb.APIURL()+"/workflow/archive", token,
		map[string]any{"src": []string{"cloudreve://my/a.txt"}, "dst": "cloudreve://my/a.zip"}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond) // five ticks
	if _, err := sb.ReadFile(ann, "cloudreve://my/a.zip"); err == nil || sb.RunningTaskCount() != 1 {
		t.Fatal("a paused queue ran the task")
	}
	sb.Resume()
	deadline := time.Now().Add(2 * time.Second)
	for sb.RunningTaskCount() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the resumed queue did not finish the task")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
