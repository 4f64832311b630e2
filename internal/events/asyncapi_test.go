package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"gopkg.in/yaml.v3"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/tasks"
)

// asyncAPIPath is the feed's description, from this package's directory.
const asyncAPIPath = "../../docs/asyncapi.yaml"

// asyncAPI is docs/asyncapi.yaml, read as JSON values, with its schemas
// compiled by a JSON Schema validator (AsyncAPI schemas are a superset of
// draft 7; the extra keywords are annotations).
type asyncAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
}

const asyncAPIURL = "file:///asyncapi.json"

func loadAsyncAPI(t *testing.T) *asyncAPI {
	t.Helper()
	raw, err := os.ReadFile(asyncAPIPath)
	if err != nil {
		t.Fatal(err)
	}
	var y any
	if err := yaml.Unmarshal(raw, &y); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(y)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	if err := c.AddResource(asyncAPIURL, doc); err != nil {
		t.Fatal(err)
	}
	return &asyncAPI{doc: doc.(map[string]any), compiler: c}
}

// at walks the document along a JSON pointer's segments.
func (a *asyncAPI) at(t *testing.T, path ...string) any {
	t.Helper()
	var v any = a.doc
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok || m[p] == nil {
			t.Fatalf("docs/asyncapi.yaml has no /%s", strings.Join(path, "/"))
		}
		v = m[p]
	}
	return v
}

func (a *asyncAPI) schema(t *testing.T, pointer string) *jsonschema.Schema {
	t.Helper()
	s, err := a.compiler.Compile(asyncAPIURL + "#" + pointer)
	if err != nil {
		t.Fatalf("compiling %s: %v", pointer, err)
	}
	return s
}

// subjectPattern turns a channel address into a pattern with one group per
// parameter: a parameter with an enum allows only its values.
func (a *asyncAPI) subjectPattern(t *testing.T, channel string) (*regexp.Regexp, []string) {
	t.Helper()
	address := a.at(t, "channels", channel, "address").(string)
	params := a.at(t, "channels", channel, "parameters").(map[string]any)
	var names, segments []string
	for _, seg := range strings.Split(address, ".") {
		name, isParam := strings.CutPrefix(seg, "{")
		if !isParam {
			segments = append(segments, regexp.QuoteMeta(seg))
			continue
		}
		name = strings.TrimSuffix(name, "}")
		names = append(names, name)
		p, ok := params[name].(map[string]any)
		if !ok {
			t.Fatalf("the address names {%s}, which has no parameter", name)
		}
		alts := []string{`[^.*>]+`}
		if enum, ok := p["enum"].([]any); ok {
			alts = alts[:0]
			for _, e := range enum {
				alts = append(alts, regexp.QuoteMeta(e.(string)))
			}
		}
		segments = append(segments, "("+strings.Join(alts, "|")+")")
	}
	if len(names) != len(params) {
		t.Fatalf("channel %s: %d parameters, %d in the address", channel, len(params), len(names))
	}
	return regexp.MustCompile(`^` + strings.Join(segments, `\.`) + `$`), names
}

// publishedKinds publishes one event of each kind through Bus.Publish and
// Bus.PublishAfter (what the watcher and the RPCs call) and returns what a
// plain NATS subscriber received.
func publishedKinds(t *testing.T, bus *Bus) []*nats.Msg {
	t.Helper()
	sub, err := bus.JetStream().Conn().SubscribeSync(SubjectPrefix + ".>")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	at := timestamppb.New(time.Date(2026, 12, 5, 3, 4, 5, 678000000, time.UTC))
	download := &taskv1.Task{
		Id: "VwUJ", Type: taskv1.TaskType_TASK_TYPE_REMOTE_DOWNLOAD, Status: taskv1.TaskStatus_TASK_STATUS_PROCESSING, Phase: "monitor",
		Summary: &taskv1.TaskSummary{Src: "https://example.com/f.iso", Dst: "cloudreve://my", SrcMultiple: []string{"a"}, Failed: 1,
			Props: &structpb.Struct{Fields: map[string]*structpb.Value{"k": structpb.NewStringValue("v")}},
			Download: &taskv1.DownloadStatus{Name: "f.iso", State: taskv1.DownloadState_DOWNLOAD_STATE_DOWNLOADING, Total: 1 << 40, Downloaded: 5,
				Files: []*taskv1.DownloadFile{{Index: 0, Name: "f.iso", Size: 1 << 40, Progress: 0.5, Selected: true}}}},
		Progress:  map[string]*taskv1.Progress{"download": {Total: 10, Current: 5, Identifier: "x"}},
		Node:      &taskv1.Node{Id: "n", Name: "Master", Type: taskv1.NodeType_NODE_TYPE_MASTER, Capabilities: "Dg=="},
		Duration:  durationpb.New(1500 * time.Millisecond),
		CreatedAt: at, UpdatedAt: at, RetryCount: 1, ErrorHistory: []string{"e"},
	}
	ev := func(task *taskv1.Task, seq uint64, changes ...eventsv1.Change) *eventsv1.TaskEvent {
		return &eventsv1.TaskEvent{Id: EventID(task.GetId(), seq), UserId: "lPFE", Task: task, Sequence: seq, Changes: changes,
			ObservedAt: at, PreviousStatus: taskv1.TaskStatus_TASK_STATUS_QUEUED, PreviousPhase: "prepare"}
	}
	ctx := context.Background()
	first, err := bus.PublishAfter(ctx, ev(download, 1, eventsv1.Change_CHANGE_FIRST_SEEN, eventsv1.Change_CHANGE_STATUS), 0)
	if err != nil {
		t.Fatal(err)
	}
	next := []*eventsv1.TaskEvent{
		ev(download, 2, eventsv1.Change_CHANGE_STATUS),
		ev(download, 3, eventsv1.Change_CHANGE_PHASE),
		ev(download, 4, eventsv1.Change_CHANGE_PROGRESS),
		ev(download, 5), // no listed change
		ev(download, 6, eventsv1.Change_CHANGE_FINISHED, eventsv1.Change_CHANGE_STATUS),
	}
	prev := first.StreamSequence
	for _, e := range next {
		pub, err := bus.PublishAfter(ctx, e, prev)
		if err != nil {
			t.Fatal(err)
		}
		prev = pub.StreamSequence
	}
	// A watch lost before the facade saw the task: only its id is known.
	lost := ev(&taskv1.Task{Id: "ZRFO"}, 1, eventsv1.Change_CHANGE_WATCH_LOST)
	lost.WatchLost = &eventsv1.WatchLost{Reason: eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_EXPIRED, Detail: "refresh token expired"}
	if _, err := bus.Publish(ctx, lost); err != nil {
		t.Fatal(err)
	}
	return receive(t, sub, len(next)+2)
}

// publishedFileKinds publishes one file event of each kind through
// Files.Publish (what a folder watch's holder calls) and returns what a
// plain NATS subscriber received.
func publishedFileKinds(t *testing.T, files *Files) []*nats.Msg {
	t.Helper()
	sub, err := files.JetStream().Conn().SubscribeSync(FileSubjectPrefix + ".>")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	at := timestamppb.New(time.Date(2026, 12, 5, 3, 4, 5, 678000000, time.UTC))
	const watch, folder = "0f8fad5b-d9cb-469f-a165-70867728950e", "cloudreve://my/inbox"
	change := func(n int, kind eventsv1.FileEventKind, path, newPath string) *eventsv1.FileEvent {
		ev := &eventsv1.FileEvent{Id: fmt.Sprintf("%s.1.%d", watch, n), UserId: "lPFE", Kind: kind, FileId: "x7Ga",
			Path: path, Uri: folder + path, FolderUri: folder, WatchId: watch, ObservedAt: at}
		if newPath != "" {
			ev.NewPath, ev.PreviousUri, ev.Uri = newPath, folder+path, folder+newPath
		}
		return ev
	}
	sent := []*eventsv1.FileEvent{
		change(1, eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/a.txt", ""),
		change(2, eventsv1.FileEventKind_FILE_EVENT_KIND_MODIFIED, "/a.txt", ""),
		change(3, eventsv1.FileEventKind_FILE_EVENT_KIND_RENAMED, "/a.txt", "/sub/b.txt"),
		change(4, eventsv1.FileEventKind_FILE_EVENT_KIND_DELETED, "/sub/b.txt", ""),
		{Id: watch + ".1.lost", UserId: "lPFE", Kind: eventsv1.FileEventKind_FILE_EVENT_KIND_WATCH_LOST, FolderUri: folder, WatchId: watch,
			ObservedAt: at, WatchLost: &eventsv1.WatchLost{Reason: eventsv1.WatchLostReason_WATCH_LOST_REASON_FOLDER_GONE, Detail: "folder deleted"}},
	}
	for _, ev := range sent {
		if _, err := files.Publish(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	return receive(t, sub, len(sent))
}

func receive(t *testing.T, sub *nats.Subscription, n int) []*nats.Msg {
	t.Helper()
	var msgs []*nats.Msg
	for range n {
		m, err := sub.NextMsg(5 * time.Second)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(msgs), err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}

// feedUnderTest is what one channel of the document is checked against:
// the messages the real code published and the stream it created.
type feedUnderTest struct {
	channel string
	msgs    []*nats.Msg
	stream  jetstream.StreamConfig
	// decode reads a payload and the values the subject's parameters must
	// have for it.
	decode func(data []byte) (proto.Message, map[string]string, error)
}

// Every event kind the publishing code sends matches docs/asyncapi.yaml: its
// subject the channel's address (parameters matching the payload), its
// headers the schema of exactly one message (told apart by ce-type), its
// payload, in protobuf's JSON form, the message's schema; and every message
// the document lists was sent. Each stream's settings are its channel's.
func TestEventsMatchTheAsyncAPIDocument(t *testing.T) {
	api := loadAsyncAPI(t)
	bus := openBusWith(t, Config{})
	files, err := OpenFiles(context.Background(), bus.JetStream().Conn(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(files.Close)
	feeds := []feedUnderTest{
		{channel: "taskEvents", msgs: publishedKinds(t, bus), stream: bus.stream.CachedInfo().Config,
			decode: func(data []byte) (proto.Message, map[string]string, error) {
				ev := &eventsv1.TaskEvent{}
				err := proto.Unmarshal(data, ev)
				return ev, map[string]string{"userId": ev.GetUserId(), "taskType": tasks.TypeName(ev.GetTask().GetType()), "taskId": ev.GetTask().GetId()}, err
			}},
		{channel: "fileEvents", msgs: publishedFileKinds(t, files), stream: files.stream.CachedInfo().Config,
			decode: func(data []byte) (proto.Message, map[string]string, error) {
				ev := &eventsv1.FileEvent{}
				err := proto.Unmarshal(data, ev)
				return ev, map[string]string{"userId": ev.GetUserId(), "kind": KindName(ev.GetKind())}, err
			}},
	}
	if channels := api.at(t, "channels").(map[string]any); len(channels) != len(feeds) {
		t.Errorf("the document has %d channels, the test checks %d", len(channels), len(feeds))
	}
	for _, f := range feeds {
		t.Run(f.channel, func(t *testing.T) { checkChannel(t, api, f) })
	}
}

func checkChannel(t *testing.T, api *asyncAPI, f feedUnderTest) {
	subject, params := api.subjectPattern(t, f.channel)
	declared := map[string]string{} // message key → its components pointer
	for key, ref := range api.at(t, "channels", f.channel, "messages").(map[string]any) {
		declared[key] = strings.TrimPrefix(ref.(map[string]any)["$ref"].(string), "#")
	}
	seen := map[string]bool{}
	for _, m := range f.msgs {
		ev, want, err := f.decode(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		id := m.Header.Get(nats.MsgIdHdr)
		parts := subject.FindStringSubmatch(m.Subject)
		if parts == nil {
			t.Errorf("subject %s does not match the address %s", m.Subject, subject)
			continue
		}
		for i, name := range params {
			if parts[i+1] != want[name] {
				t.Errorf("subject %s: {%s} is %q, the event says %q", m.Subject, name, parts[i+1], want[name])
			}
		}

		headers := map[string]any{}
		for name, values := range m.Header {
			if len(values) != 1 {
				t.Errorf("header %s sent %d times", name, len(values))
			}
			headers[name] = values[0]
		}
		var matched []string
		for key, ptr := range declared {
			if api.schema(t, ptr+"/headers").Validate(headers) == nil {
				matched = append(matched, key)
			}
		}
		if len(matched) != 1 {
			t.Errorf("event %s (%s): headers %v match messages %v, want one", id, headers["ce-type"], headers, matched)
			continue
		}
		seen[matched[0]] = true

		payload, err := protojson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(payload))
		if err != nil {
			t.Fatal(err)
		}
		if err := api.schema(t, declared[matched[0]]+"/payload").Validate(inst); err != nil {
			t.Errorf("event %s: payload %s does not match the document: %v", id, payload, err)
		}
	}
	for key := range declared {
		if !seen[key] {
			t.Errorf("message %s is in the document but was never sent", key)
		}
	}

	js := api.at(t, "channels", f.channel, "x-jetstream").(map[string]any)
	for name, pair := range map[string][2]string{
		"stream":          {js["stream"].(string), f.stream.Name},
		"subjects":        {fmt.Sprint(js["subjects"]), fmt.Sprint(f.stream.Subjects)},
		"storage":         {js["storage"].(string), f.stream.Storage.String()},
		"maxAge":          {js["maxAge"].(string), isoDuration(f.stream.MaxAge)},
		"duplicateWindow": {js["duplicateWindow"].(string), isoDuration(f.stream.Duplicates)},
	} {
		if !strings.EqualFold(pair[0], pair[1]) {
			t.Errorf("x-jetstream %s is %s, the stream's %s", name, pair[0], pair[1])
		}
	}
}

// isoDuration writes whole days or minutes as ISO 8601 (P7D, PT10M).
func isoDuration(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("P%dD", d/(24*time.Hour))
	}
	return fmt.Sprintf("PT%dM", d/time.Minute)
}
