package tests

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// A thousand WatchTask streams on one running task share the facade's one
// live feed: no consumer each on the NATS server. Once their callers close
// them, the facade's goroutines and the stream's consumers are back where
// they were within 2 s (they used to stay for the server's five-minute
// inactivity threshold, until new watches hit the consumer limit).
func TestThousandWatchStreamsLeaveNothingBehind(t *testing.T) {
	const n = 1000
	e := newEnv(t, sandbox.Options{}, "--max-streams", "1100", "--max-concurrent-streams", "1100")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := workflowv1connect.NewWorkflowServiceClient(connectClient(h2cClient(), e.f.URL, viaGRPC, withToken(e.alice.Token)))
	res, err := c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{sandbox.DownloaderSlowPrefix + "/big.iso"}, Dst: "cloudreve://my"})
	if err != nil {
		t.Fatal(err)
	}
	id := res.GetTasks()[0].GetId()

	js, err := jetstream.New(natsConnect(t, e.nats))
	if err != nil {
		t.Fatal(err)
	}
	consumers := func() int {
		info, err := js.Stream(ctx, "CLOUDREVE_TASKS")
		if err != nil {
			t.Fatal(err)
		}
		return info.CachedInfo().State.Consumers
	}
	// go_goroutines of the facade, scraped without keeping a connection
	// (which would add goroutines of its own).
	scraper := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	facadeMetric := func(name string) float64 {
		resp, err := scraper.Get(e.f.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		v, found := metric(string(body), name)
		if !found {
			t.Fatalf("no %s in /metrics", name)
		}
		return v
	}
	// watch opens a stream and returns once its first event arrived.
	watch := func(ctx context.Context) error {
		stream, err := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: id})
		if err != nil {
			return err
		}
		_, err = stream.Receive()
		return err
	}

	// The baseline: the live feed started by one watch, which ended.
	warm, stopWarm := context.WithCancel(ctx)
	if err := watch(warm); err != nil {
		t.Fatal(err)
	}
	stopWarm()
	eventually(t, 5*time.Second, "the first watch ends", func() bool { return facadeMetric("facade_rpc_streams_open") == 0 })
	goroutines, baseline := facadeMetric("go_goroutines"), consumers()

	streamsCtx, closeStreams := context.WithCancel(ctx)
	defer closeStreams()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := watch(streamsCtx); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("a watch failed: %v", err)
	}
	open, during := facadeMetric("go_goroutines"), consumers()
	t.Logf("%d streams open: %v goroutines (baseline %v), %d consumers (baseline %d)", n, open, goroutines, during, baseline)
	if during != baseline {
		t.Errorf("%d consumers with %d streams open, want %d", during, n, baseline)
	}

	closeStreams()
	eventually(t, 2*time.Second, "goroutines and consumers back to the baseline", func() bool {
		return facadeMetric("go_goroutines") <= goroutines && consumers() == baseline
	})
	t.Logf("closed: %v goroutines, %d consumers", facadeMetric("go_goroutines"), consumers())
}
