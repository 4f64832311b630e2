package tests

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// taskEvents reads a task's events from JetStream until its final one.
func taskEvents(t *testing.T, ctx context.Context, natsURL, userID, taskID string) []*eventsv1.TaskEvent {
	t.Helper()
	js, _ := jetstream.New(natsConnect(t, natsURL))
	cons, err := js.OrderedConsumer(ctx, "CLOUDREVE_TASKS", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"cloudreve.v1.tasks." + userID + ".*." + taskID},
	})
	if err != nil {
		t.Fatal(err)
	}
	var evs []*eventsv1.TaskEvent
	for len(evs) == 0 || !(hasChange(evs[len(evs)-1], eventsv1.Change_CHANGE_FINISHED) || hasChange(evs[len(evs)-1], eventsv1.Change_CHANGE_WATCH_LOST)) {
		msg, err := cons.Next(jetstream.FetchMaxWait(30 * time.Second))
		if err != nil {
			t.Fatalf("after %v: %v", statusesOf(evs), err)
		}
		ev := &eventsv1.TaskEvent{}
		if err := proto.Unmarshal(msg.Data(), ev); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// A facade stopped in the middle of a task and started again finishes the
// watch from its stored state: the terminal event is published exactly once
// and the sequence goes on without a gap or a repeat.
func TestRestartMidTaskDeliversTerminalOnce(t *testing.T) {
	up := startSandbox(t, sandbox.Options{Tick: 400 * time.Millisecond})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	up.putFile(t, alice, "cloudreve://my/a.txt", "hello")
	stateDir := t.TempDir()
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	args := []string{"--upstream", up.URL, "--nats-url", natsURL, "--state-dir", stateDir, "--secret-key", key, "--poll-active", "50ms"}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	first := startFacade(t, args...)
	res, err := workflowClient(first, withToken(alice.Token)).CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.zip"})
	if err != nil {
		t.Fatal(err)
	}
	first.stop(t)
	// The credentials kept for the watch across the restart are sealed, never in the clear.
	assertNoSecretInBucket(t, ctx, natsURL, "CLOUDREVE_CREDENTIALS", alice.Token)

	// The task moves on (to its end) while no facade runs.
	eventually(t, 15*time.Second, "the task finishes upstream", func() bool { return up.RunningTaskCount() == 0 })
	second := startFacade(t, args...)
	evs := taskEvents(t, ctx, natsURL, alice.ID, res.GetTask().GetId())
	finished := 0
	for i, ev := range evs {
		if ev.GetSequence() != uint64(i+1) {
			t.Errorf("event %d has sequence %d: %v", i, ev.GetSequence(), statusesOf(evs))
		}
		if hasChange(ev, eventsv1.Change_CHANGE_FINISHED) {
			finished++
		}
	}
	if last := evs[len(evs)-1]; finished != 1 || last.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("events after restart: %v (finished %d times)", statusesOf(evs), finished)
	}
	if strings.Contains(first.logs.String()+second.logs.String(), alice.Token) {
		t.Error("a log shows the caller's token")
	}
	// And a third start, after the end, publishes nothing more.
	second.stop(t)
	third := startFacade(t, args...)
	// Its first poll round (right after it resumed its stored watches) is
	// where a repeat would be published; with no watch left, it has no other.
	eventually(t, 15*time.Second, "the first poll round", func() bool { return pollRounds(t, third) >= 1 })
	third.stop(t)
	if again := taskEventsNow(t, ctx, natsURL, alice.ID, res.GetTask().GetId()); again != len(evs) {
		t.Errorf("%d events after a restart past the end, want %d", again, len(evs))
	}
}

// assertNoSecretInBucket reads every revision still kept in a KV bucket.
func assertNoSecretInBucket(t *testing.T, ctx context.Context, natsURL, bucket, secret string) {
	t.Helper()
	js, _ := jetstream.New(natsConnect(t, natsURL))
	stream, err := js.Stream(ctx, "KV_"+bucket)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		msg, err := stream.GetMsg(ctx, seq)
		if err != nil || len(msg.Data) == 0 {
			continue // deleted
		}
		read++
		if strings.Contains(string(msg.Data), secret) || strings.Contains(string(msg.Data), "eyJ") {
			t.Errorf("bucket %s holds a token in the clear", bucket)
		}
	}
	if read == 0 {
		t.Fatalf("bucket %s holds nothing to check", bucket)
	}
}

func taskEventsNow(t *testing.T, ctx context.Context, natsURL, userID, taskID string) int {
	js, _ := jetstream.New(natsConnect(t, natsURL))
	stream, err := js.Stream(ctx, "CLOUDREVE_TASKS")
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter("cloudreve.v1.tasks."+userID+".*."+taskID))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range info.State.Subjects {
		n += int(c)
	}
	return n
}

// When the caller's token expires and the facade has no way to renew it,
// the watch ends with a "watch lost" event that says why.
func TestExpiredCredentialsLoseTheWatch(t *testing.T) {
	up := startSandbox(t, sandbox.Options{Tick: 500 * time.Millisecond, AccessTTL: 1500 * time.Millisecond})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	up.putFile(t, alice, "cloudreve://my/a.txt", "hello")
	f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--poll-active", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := workflowClient(f, withToken(alice.Token)).CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{
		Src: []string{"http://sandbox.invalid/slow/file.bin"}, Dst: "cloudreve://my"})
	if err != nil {
		t.Fatal(err)
	}
	evs := taskEvents(t, ctx, natsURL, alice.ID, res.GetTasks()[0].GetId())
	t.Logf("events: %v", statusesOf(evs))
	last := evs[len(evs)-1]
	if !hasChange(last, eventsv1.Change_CHANGE_WATCH_LOST) || last.GetWatchLost().GetReason() != eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_EXPIRED || last.GetWatchLost().GetDetail() == "" {
		t.Fatalf("last event %v", last)
	}
	if last.GetTask().GetId() != res.GetTasks()[0].GetId() {
		t.Errorf("watch-lost event lacks the task snapshot: %v", last.GetTask())
	}
}
