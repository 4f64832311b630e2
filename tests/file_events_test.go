package tests

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// fileWatchesConnected is the facade's count of folder watches connected
// to the upstream's event channel.
func fileWatchesConnected(t testing.TB, f *facade) float64 {
	t.Helper()
	v, _ := metric(scrape(t, f.URL+"/metrics"), "facade_file_watches_connected")
	return v
}

// A durable folder watch survives the facade killed (SIGKILL) between two
// changes: the restarted facade resumes the subscription under the same
// client id, Cloudreve hands over the change it kept, and every change
// reaches a JetStream consumer exactly once.
func TestFolderWatchSurvivesAKilledFacade(t *testing.T) {
	up := startSandbox(t, sandbox.Options{EventDebounce: 20 * time.Millisecond})
	_, natsURL := startNATS(t)
	fay := up.newAccount(t, "fay")
	up.putFile(t, fay, "cloudreve://my/w/seed.txt", "seed")
	state := t.TempDir()
	args := []string{"--upstream", up.URL, "--nats-url", natsURL, "--state-dir", state, "--lease-ttl", "900ms"}
	f := startFacade(t, args...)

	ctx := context.Background()
	c := filev1connect.NewFileServiceClient(connectClient(h2cClient(), f.URL, withToken(fay.Token), withRefresh(fay.Refresh), viaGRPC))
	res, err := c.CreateFolderWatch(ctx, &filev1.CreateFolderWatchRequest{Uri: "cloudreve://my/w"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the folder watch connected", func() bool { return fileWatchesConnected(t, f) == 1 })

	js, err := jetstream.New(natsConnect(t, natsURL))
	if err != nil {
		t.Fatal(err)
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, "CLOUDREVE_FILES", jetstream.ConsumerConfig{
		Durable: "indexer", FilterSubject: "cloudreve.v1.files." + fay.ID + ".>", AckPolicy: jetstream.AckNonePolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	next := func() *eventsv1.FileEvent {
		t.Helper()
		msg, err := cons.Next(jetstream.FetchMaxWait(15 * time.Second))
		if err != nil {
			t.Fatalf("no file event: %v\nfacade log:\n%s", err, f.logs.String())
		}
		ev := &eventsv1.FileEvent{}
		if err := protoUnmarshal(msg.Data(), ev); err != nil {
			t.Fatal(err)
		}
		if msg.Headers().Get("Nats-Msg-Id") != ev.GetId() || ev.GetWatchId() != res.GetWatch().GetId() {
			t.Fatalf("event %v, headers %v", ev, msg.Headers())
		}
		return ev
	}

	up.putFile(t, fay, "cloudreve://my/w/one.txt", "1")
	if ev := next(); ev.GetUri() != "cloudreve://my/w/one.txt" || ev.GetKind() != eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED {
		t.Fatalf("first event %v", ev)
	}

	if err := f.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-f.done
	eventually(t, 10*time.Second, "the upstream noticing the subscriber gone", func() bool { return up.FileEventSubscribers() == 0 })
	up.putFile(t, fay, "cloudreve://my/w/two.txt", "2")

	f = startFacade(t, args...)
	eventually(t, 15*time.Second, "the restarted facade resuming the watch", func() bool { return fileWatchesConnected(t, f) == 1 })
	up.putFile(t, fay, "cloudreve://my/w/three.txt", "3")
	for _, want := range []string{"cloudreve://my/w/two.txt", "cloudreve://my/w/three.txt"} {
		if ev := next(); ev.GetUri() != want {
			t.Fatalf("after the restart: %v, want %s", ev, want)
		}
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 0 {
		t.Fatalf("%d events more than changes", info.NumPending)
	}
}
