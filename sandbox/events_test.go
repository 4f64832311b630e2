package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

const testDebounce = 40 * time.Millisecond

// eventUser is an account with its token and a client.
type eventUser struct {
	id, token string
	c         *cloudreveapi.ClientWithResponses
}

func (e *env) eventUser(email string) eventUser {
	e.t.Helper()
	id, err := e.s.CreateUser(email, "password123", "")
	if err != nil {
		e.t.Fatal(err)
	}
	access, _, err := e.s.IssueTokens(id)
	if err != nil {
		e.t.Fatal(err)
	}
	return eventUser{id: id, token: access, c: e.client(access)}
}

type bearerDoer struct{ token string }

func (d bearerDoer) Do(r *http.Request) (*http.Response, error) {
	r.Header.Set("Authorization", "Bearer "+d.token)
	return http.DefaultClient.Do(r)
}

func (e *env) listen(u eventUser, uri, clientID string) *fileevents.Channel {
	e.t.Helper()
	ch, err := fileevents.Open(context.Background(), bearerDoer{u.token}, e.srv.URL+APIPrefix, uri, clientID, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(ch.Close)
	return ch
}

// nextChanges reads n changes, failing after a while.
func nextChanges(t *testing.T, ch *fileevents.Channel, n int) []fileevents.Change {
	t.Helper()
	out := make(chan []fileevents.Change, 1)
	errs := make(chan error, 1)
	go func() {
		var got []fileevents.Change
		for len(got) < n {
			c, err := ch.Next()
			if err != nil {
				errs <- err
				return
			}
			got = append(got, c)
		}
		out <- got
	}()
	select {
	case got := <-out:
		return got
	case err := <-errs:
		t.Fatalf("reading %d changes: %v", n, err)
	case <-time.After(5 * time.Second):
		t.Fatalf("timed out waiting for %d changes", n)
	}
	return nil
}

// The raw stream: the headers and framing of the real server's SSE encoder.
func TestFileEventsFraming(t *testing.T) {
	e := newEnv(t, Options{EventDebounce: testDebounce, EventKeepAlive: 30 * time.Millisecond})
	u := e.eventUser("ann@example.com")
	mkdir(t, u.c, "cloudreve://my/w")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+APIPrefix+"/file/events?uri="+url.QueryEscape("cloudreve://my/w"), nil)
	req.Header.Set("Authorization", "Bearer "+u.token)
	req.Header.Set(clientIDHeader, newUUID())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for h, want := range map[string]string{"Content-Type": "text/event-stream;charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	r := bufio.NewReader(resp.Body)
	frame := func() string {
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(line)
			if line == "\n" {
				return b.String()
			}
		}
	}
	if got := frame(); got != "event:subscribed\ndata:<nil>\n\n" {
		t.Fatalf("first frame %q", got)
	}
	put(t, u.c, "cloudreve://my/w/a b.txt", "x")
	for {
		got := frame()
		if got == "event:keep-alive\ndata:<nil>\n\n" {
			continue
		}
		if !strings.HasPrefix(got, `event:event`+"\n"+`data:{"type":"create","file_id":"`) || !strings.HasSuffix(got, `","from":"/a b.txt","to":""}`+"\n\n") {
			t.Fatalf("event frame %q", got)
		}
		break
	}
}

// A subscriber on a folder hears about everything below it, in the order
// of the changes, with paths relative to the folder, and moves in, out and
// within it the way the real server reports them. Each step waits for its
// events, so that no two steps fall into one debounce period.
func TestFileEventsScenario(t *testing.T) {
	e := newEnv(t, Options{EventDebounce: testDebounce})
	u := e.eventUser("ann@example.com")
	mkdir(t, u.c, "cloudreve://my/w")
	mkdir(t, u.c, "cloudreve://my/out")
	root := e.listen(u, "cloudreve://my", newUUID())
	w := e.listen(u, "cloudreve://my/w", newUUID())

	// step checks what w and the root heard, as "type from to"; "" for nothing.
	step := func(what, inW, inRoot string) fileevents.Change {
		t.Helper()
		var c fileevents.Change
		for _, l := range []struct {
			ch   *fileevents.Channel
			want string
		}{{w, inW}, {root, inRoot}} {
			if l.want == "" {
				continue
			}
			c = nextChanges(t, l.ch, 1)[0]
			if got := strings.TrimSpace(c.Type + " " + c.From + " " + c.To); got != l.want {
				t.Fatalf("%s: heard %q, want %q", what, got, l.want)
			}
		}
		return c
	}
	move := func(src, dst string, copy bool) {
		t.Helper()
		r := must(u.c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{src}, Dst: dst, Copy: values.Ptr(copy)}))
		code(t, "move "+src, r.JSON200.Code, 0, r.JSON200.Msg)
	}
	id := put(t, u.c, "cloudreve://my/w/a.txt", "1").Id
	if c := step("create (then written: one create)", "create /a.txt", "create /w/a.txt"); c.FileID != id {
		t.Fatalf("file id %q, want %q", c.FileID, id)
	}
	put(t, u.c, "cloudreve://my/w/a.txt", "22")
	step("overwrite", "modify /a.txt", "modify /w/a.txt")
	must(u.c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/w/a.txt", NewName: "b.txt"}))
	step("rename", "rename /a.txt /b.txt", "rename /w/a.txt /w/b.txt")
	mkdir(t, u.c, "cloudreve://my/w/sub")
	step("mkdir", "create /sub", "create /w/sub")
	move("cloudreve://my/w/b.txt", "cloudreve://my/w/sub", false)
	step("move within", "rename /b.txt /sub/b.txt", "rename /w/b.txt /w/sub/b.txt")
	move("cloudreve://my/w/sub/b.txt", "cloudreve://my/out", false)
	step("move out", "delete /sub/b.txt", "rename /w/sub/b.txt /out/b.txt")
	move("cloudreve://my/out/b.txt", "cloudreve://my/w", false)
	step("move in", "create /b.txt", "rename /out/b.txt /w/b.txt")
	move("cloudreve://my/w/b.txt", "cloudreve://my/out", true)
	step("copy out", "", "create /out/b.txt")
	must(u.c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFilesJSONRequestBody{Uris: []string{"cloudreve://my/w/b.txt"}}))
	step("delete", "delete /b.txt", "delete /w/b.txt")
	must(u.c.RestoreFilesWithResponse(bg, cloudreveapi.RestoreFileService{Uris: []string{"cloudreve://trash/b.txt"}}))
	// The real server names a restored file by its random trash name.
	for _, l := range []struct {
		ch     *fileevents.Channel
		prefix string
	}{{w, "/"}, {root, "/w/"}} {
		c := nextChanges(t, l.ch, 1)[0]
		if c.Type != "create" || c.FileID != id || !strings.HasPrefix(c.From, l.prefix) || !isUUID(strings.TrimPrefix(c.From, l.prefix)) {
			t.Fatalf("restore: %+v", c)
		}
	}
}

// A subscriber that comes back with its client id resumes: what happened
// while it was away arrives merged, after "resumed"; the change it made
// itself is not reported to it; another user hears nothing.
func TestFileEventsResumeAndIsolation(t *testing.T) {
	e := newEnv(t, Options{EventDebounce: testDebounce})
	ann := e.eventUser("ann@example.com")
	bob := e.eventUser("bob@example.com")
	mkdir(t, ann.c, "cloudreve://my/w")
	mkdir(t, bob.c, "cloudreve://my/w")
	id := newUUID()
	first := e.listen(ann, "cloudreve://my/w", id)
	if first.Resumed {
		t.Fatal("a new client id resumed")
	}
	bobs := e.listen(bob, "cloudreve://my/w", newUUID())
	put(t, ann.c, "cloudreve://my/w/1.txt", "x")
	nextChanges(t, first, 1)
	first.Close()
	waitFor(t, "the subscriber offline", time.Second, func() bool { return e.s.FileEventSubscribers() == 1 })

	put(t, ann.c, "cloudreve://my/w/2.txt", "x")
	put(t, ann.c, "cloudreve://my/w/2.txt", "xy")
	must(ann.c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/w/2.txt", NewName: "3.txt"}))
	put(t, ann.c, "cloudreve://my/w/gone.txt", "x")
	must(ann.c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFilesJSONRequestBody{Uris: []string{"cloudreve://my/w/gone.txt"}}))
	// Made by the subscriber itself: not reported to it.
	self := must(ann.c.CreateFileWithResponse(bg, cloudreveapi.CreateFileJSONRequestBody{Uri: "cloudreve://my/w/self.txt", Type: cloudreveapi.CreateFileServiceTypeFile},
		func(ctx context.Context, req *http.Request) error { req.Header.Set(clientIDHeader, id); return nil }))
	code(t, "create as the subscriber", self.JSON200.Code, 0, self.JSON200.Msg)
	put(t, ann.c, "cloudreve://my/w/last.txt", "x")

	again := e.listen(ann, "cloudreve://my/w", id)
	if !again.Resumed {
		t.Fatal("the same client id did not resume")
	}
	got := nextChanges(t, again, 2)
	if got[0].Type != "create" || got[0].From != "/3.txt" || got[1].From != "/last.txt" {
		t.Fatalf("resumed with %+v, want create /3.txt then create /last.txt", got)
	}
	// Bob's subscriber on his own w saw none of it: his first change is his own.
	put(t, bob.c, "cloudreve://my/w/bob.txt", "x")
	if c := nextChanges(t, bobs, 1)[0]; c.From != "/bob.txt" {
		t.Fatalf("bob heard %+v", c)
	}
}

// The real server's refusals, in its order, and 4.0.0's missing route.
func TestFileEventsRefusals(t *testing.T) {
	e := newEnv(t, Options{EventDebounce: testDebounce})
	u := e.eventUser("ann@example.com")
	put(t, u.c, "cloudreve://my/f.txt", "x")
	open := func(env *env, token, uri, clientID string) error {
		_, err := fileevents.Open(bg, bearerDoer{token}, env.srv.URL+APIPrefix, uri, clientID, 0)
		return err
	}
	codeOf := func(err error) int {
		if ue, ok := err.(*upstream.Error); ok {
			return ue.Code
		}
		t.Fatalf("not an upstream error: %v", err)
		return 0
	}
	for _, c := range []struct {
		what, token, uri, clientID string
		code                       int
	}{
		{"guest", "", "cloudreve://my", newUUID(), upstream.CodeLoginRequired},
		{"no uri", u.token, "", newUUID(), upstream.CodeParamError},
		{"bad uri", u.token, "nope", newUUID(), upstream.CodeParamError},
		{"missing folder", u.token, "cloudreve://my/nope", newUUID(), upstream.CodeParentNotExist},
		{"a file", u.token, "cloudreve://my/f.txt", newUUID(), upstream.CodeParentNotExist},
		{"no client id", u.token, "cloudreve://my", "", upstream.CodeParamError},
		{"bad client id", u.token, "cloudreve://my", "not-a-uuid", upstream.CodeParamError},
	} {
		if got := codeOf(open(e, c.token, c.uri, c.clientID)); got != c.code {
			t.Errorf("%s: code %d, want %d", c.what, got, c.code)
		}
	}

	off := newEnv(t, Options{NoFileEvents: true})
	o := off.eventUser("ann@example.com")
	if got := codeOf(open(off, o.token, "cloudreve://my", newUUID())); got != upstream.CodeFeatureDisabled {
		t.Errorf("switched off: code %d", got)
	}
	old := newEnv(t, Options{Version: Version40})
	v := old.eventUser("ann@example.com")
	var he *upstream.HTTPError
	err := open(old, v.token, "cloudreve://my", newUUID())
	if he, _ = err.(*upstream.HTTPError); he == nil || !he.RouteMissing() {
		t.Errorf("4.0.0: %v, want a 404", err)
	}
}

// A flush into a queue nobody empties keeps the first 16 changes and
// drops the rest, as on 4.18.0 (40 new files gave 17 events there).
func TestFileEventsQueueDropsBeyondItsSize(t *testing.T) {
	e := newEnv(t, Options{EventDebounce: time.Hour})
	u := e.eventUser("ann@example.com")
	c := e.s.c.store
	c.mu.Lock()
	usr := c.userByHID(u.id)
	sub, _ := c.subscribe(usr.root, newUUID())
	for i := range 40 {
		n := c.newNode(usr, usr.root, fmt.Sprintf("f%02d", i), false)
		c.emitCreated("", n)
	}
	c.flushEvents(sub)
	c.mu.Unlock()
	if len(sub.out) != eventQueueSize {
		t.Fatalf("%d queued, want %d", len(sub.out), eventQueueSize)
	}
	if ev := <-sub.out; ev.From != "/f00" {
		t.Fatalf("first kept %+v", ev)
	}
}

func TestMergeEvents(t *testing.T) {
	ev := func(typ, id, from, to string) fileEvent { return fileEvent{Type: typ, FileID: id, From: from, To: to} }
	for _, c := range []struct {
		name    string
		in, out []fileEvent
	}{
		{"modifies collapse", []fileEvent{ev("modify", "a", "/x", ""), ev("modify", "a", "/x", "")}, []fileEvent{ev("modify", "a", "/x", "")}},
		{"create absorbs modify and rename", []fileEvent{ev("create", "a", "/x", ""), ev("modify", "a", "/x", ""), ev("rename", "a", "/x", "/y")}, []fileEvent{ev("create", "a", "/y", "")}},
		{"create and delete cancel", []fileEvent{ev("create", "a", "/x", ""), ev("create", "b", "/b", ""), ev("delete", "a", "/x", "")}, []fileEvent{ev("create", "b", "/b", "")}},
		{"renames chain", []fileEvent{ev("rename", "a", "/x", "/y"), ev("rename", "a", "/y", "/z")}, []fileEvent{ev("rename", "a", "/x", "/z")}},
		{"rename back cancels", []fileEvent{ev("rename", "a", "/x", "/y"), ev("rename", "a", "/y", "/x")}, nil},
		{"modify then rename", []fileEvent{ev("modify", "a", "/x", ""), ev("rename", "a", "/x", "/y")}, []fileEvent{ev("rename", "a", "/x", "/y")}},
		{"rename then delete", []fileEvent{ev("rename", "a", "/x", "/y"), ev("delete", "a", "/y", "")}, []fileEvent{ev("delete", "a", "/y", "")}},
		{"delete then create is a create", []fileEvent{ev("delete", "a", "/x", ""), ev("create", "a", "/t", "")}, []fileEvent{ev("create", "a", "/t", "")}},
		{"order of first change", []fileEvent{ev("modify", "b", "/b", ""), ev("create", "a", "/a", ""), ev("modify", "b", "/b", "")}, []fileEvent{ev("modify", "b", "/b", ""), ev("create", "a", "/a", "")}},
	} {
		got := mergeEvents(c.in)
		if len(got) == 0 && len(c.out) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.out) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.out)
		}
	}
}
