package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// fileEventsScenario: changes made in the watched folders of many users,
// straight to the upstream's REST API, and their file events read by a
// plain NATS subscriber of the facade's CLOUDREVE_FILES subjects. Per
// round every user creates --files-changes files at once, then the
// harness waits for every event. Reported: events per second, each
// event's delay from the upstream's earliest possible send (the user's
// last change of the round plus the debounce, since Cloudreve sends after
// a quiet period) to the subscriber, missed and duplicated events, and the
// facade's CPU per event.
type fileEventsScenario struct{}

func init() { registerStream(fileEventsScenario{}) }

func (fileEventsScenario) name() string { return "fileevents" }
func (fileEventsScenario) describe() string {
	return "durable folder watches: upstream change to NATS subscriber (events/s, delay beyond the upstream's debounce, missed and duplicated events, CPU per event)"
}

// fileUser is one account with a watched folder.
type fileUser struct {
	*watchUser
	refresh string
	rest    *restClient
	last    time.Time // the user's last change of the round
}

func (s fileEventsScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	o := e.o
	if o.upstream != "" {
		return streamResult{}, errors.New("fileevents needs the sandbox (it creates accounts and sets the debounce); run it without --upstream")
	}
	up, _, err := e.upstream(ctx, sandbox.Options{EventDebounce: o.filesDebounce})
	if err != nil {
		return streamResult{}, err
	}
	defer up.close()
	f, err := e.facade(ctx, up)
	if err != nil {
		return streamResult{}, err
	}
	defer f.stop()

	users, err := seedFileWatches(ctx, f.url, up, o.filesUsers)
	if err != nil {
		return streamResult{}, err
	}
	defer func() {
		for _, u := range users {
			u.rest.close()
		}
	}()
	scraper := newMetricsScraper(f.metricsURL)
	connected, err := waitConnected(ctx, scraper, len(users))
	if err != nil {
		return streamResult{}, err
	}
	got := newEventLog()
	stop, err := consumeFileEvents(ctx, f.natsURL, got.add)
	if err != nil {
		return streamResult{}, err
	}
	defer stop()

	sec := section{
		title: "File events: upstream change to NATS subscriber",
		intro: fmt.Sprintf("%d accounts, each with a durable folder watch (FileService/CreateFolderWatch) on its own folder; sandbox debounce %s (Cloudreve's default is 5s). A round: every account creates %d files in its folder at once (PUT /api/v4/file/content, straight to the sandbox), then the harness waits until every event has reached an ordered JetStream consumer of CLOUDREVE_FILES (new events only) on the facade's embedded server. Delay beyond debounce: receipt at the subscriber minus (the account's last change of the round + the debounce), the earliest moment the upstream could send it. %d rounds.",
			o.filesUsers, o.filesDebounce, o.filesChanges, o.filesRounds),
		cells: [][]string{{"round", "events expected", "published", "received", "missed", "duplicated", "events/s", "delay beyond debounce p50", "p99", "max", "facade CPU µs/event"}},
	}
	if connected < len(users) {
		sec.problems = append(sec.problems, fmt.Sprintf("only %d of %d folder watches were connected to the upstream 30 s after they were made", connected, len(users)))
	}
	var all []time.Duration
	var totalEvents int
	var totalWall, totalCPU time.Duration
	for round := 1; round <= o.filesRounds; round++ {
		progress("fileevents: round %d of %d", round, o.filesRounds)
		r, err := fileEventsRound(ctx, f, scraper, users, got, round, o)
		if err != nil {
			sec.problems = append(sec.problems, clip(err.Error()))
			sec.cells = append(sec.cells, []string{fmt.Sprint(round), failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell})
			continue
		}
		sec.cells = append(sec.cells, r.row(fmt.Sprint(round)))
		all = append(all, r.delays...)
		totalEvents += r.received
		totalWall += r.wall
		totalCPU += r.cpu
		if r.missed > 0 || r.duplicated > 0 {
			sec.problems = append(sec.problems, fmt.Sprintf("round %d: %d missed, %d duplicated", round, r.missed, r.duplicated))
		}
	}
	if totalEvents > 0 {
		slices.Sort(all)
		sec.cells = append(sec.cells, []string{"all", fmt.Sprint(o.filesRounds * o.filesUsers * o.filesChanges), "", fmt.Sprint(totalEvents), "", "",
			fmt.Sprintf("%.0f", float64(totalEvents)/totalWall.Seconds()), ms(percentile(all, 50)), ms(percentile(all, 99)), ms(all[len(all)-1]),
			fmt.Sprintf("%.0f", float64(totalCPU.Microseconds())/float64(totalEvents))})
	}
	sec.notes = append(sec.notes,
		"events/s: events received in the round over the round's wall time, from the first change to the last event received (it includes the debounce, which no facade can shorten).",
		"facade CPU µs/event: the facade's CPU time over the round (subscriptions, conversion, publishing), per event received.",
		"Cloudreve queues at most 16 changes per subscriber between two sends: --files-changes above 15 makes it (and the sandbox) drop the rest, which shows as missed.")
	return streamResult{sections: []section{sec}}, f.alive()
}

// seedFileWatches creates n accounts, a folder each, and a durable watch on
// it through the facade (with the refresh token lent, as a caller would).
func seedFileWatches(ctx context.Context, facadeURL string, up *upstream, n int) ([]*fileUser, error) {
	base, err := seedUsers(up.sandbox, n)
	if err != nil {
		return nil, err
	}
	t := h2cTransport()
	defer t.CloseIdleConnections()
	hc := &http.Client{Transport: t}
	users := make([]*fileUser, n)
	for i, b := range base {
		access, refresh, err := up.sandbox.IssueTokens(b.id)
		if err != nil {
			return nil, err
		}
		b.token = access
		u := &fileUser{watchUser: b, refresh: refresh, rest: newRESTClient(up.url, access)}
		users[i] = u
		if err := u.rest.call(ctx, http.MethodPost, "/file/create", map[string]any{"type": "folder", "uri": "cloudreve://my/watched"}, nil); err != nil {
			return nil, fmt.Errorf("account %d: creating its folder: %w", i, err)
		}
		client := filev1connect.NewFileServiceClient(connect.NewClient(connecthttp.NewTransport(hc, facadeURL, connecthttp.WithGRPC()), bearer(access), withHeader("Cloudreve-Refresh-Token", refresh)))
		callCtx, cancel := context.WithTimeout(ctx, time.Minute)
		_, err = client.CreateFolderWatch(callCtx, &filev1.CreateFolderWatchRequest{Uri: "cloudreve://my/watched"})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("account %d: CreateFolderWatch: %w", i, err)
		}
	}
	progress("fileevents: %d folder watches created", n)
	return users, nil
}

// Metrics of the folder watches the scenario reads.
const (
	metricConnected     = "facade_file_watches_connected"
	metricFilePublished = "facade_file_events_published_total"
)

// waitConnected waits up to 30 s for n folder watches to be connected, and
// returns how many are.
func waitConnected(ctx context.Context, scraper *metricsScraper, n int) (int, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		m, err := scraper.scrape(ctx, metricConnected)
		if err != nil {
			return 0, err
		}
		if got := int(m[metricConnected]); got >= n || time.Now().After(deadline) {
			return got, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// consumeFileEvents reads the file stream's new events with an ordered
// JetStream consumer, as a subscriber of the feed would, until stop.
func consumeFileEvents(ctx context.Context, natsURL string, handle func(jetstream.Msg)) (stop func(), err error) {
	nc, err := nats.Connect(natsURL)
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	cons, err := js.OrderedConsumer(ctx, "CLOUDREVE_FILES", jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("consumer on CLOUDREVE_FILES: %w", err)
	}
	cc, err := cons.Consume(handle)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return func() { cc.Stop(); nc.Close() }, nil
}

// eventLog collects what the NATS subscriber received, by user and path.
type eventLog struct {
	mu     sync.Mutex
	byKey  map[string][]time.Time // "<user>|<path>": receipt times
	total  int
	errs   []error
	notify chan struct{}
}

func newEventLog() *eventLog {
	return &eventLog{byKey: map[string][]time.Time{}, notify: make(chan struct{}, 1)}
}

func (l *eventLog) add(m jetstream.Msg) {
	at := time.Now()
	ev := &eventsv1.FileEvent{}
	err := proto.Unmarshal(m.Data(), ev)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errs = append(l.errs, err)
		return
	}
	key := ev.GetUserId() + "|" + ev.GetPath()
	l.byKey[key] = append(l.byKey[key], at)
	l.total++
	select {
	case l.notify <- struct{}{}:
	default:
	}
}

func (l *eventLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}

// roundResult is one round's figures.
type roundResult struct {
	expected, published, received, missed, duplicated int
	delays                                            []time.Duration
	wall, cpu                                         time.Duration
}

func (r roundResult) row(label string) []string {
	slices.Sort(r.delays)
	var maxDelay time.Duration
	if len(r.delays) > 0 {
		maxDelay = r.delays[len(r.delays)-1]
	}
	perEvent := "n/a"
	if r.received > 0 {
		perEvent = fmt.Sprintf("%.0f", float64(r.cpu.Microseconds())/float64(r.received))
	}
	return []string{label, fmt.Sprint(r.expected), fmt.Sprint(r.published), fmt.Sprint(r.received), fmt.Sprint(r.missed), fmt.Sprint(r.duplicated),
		fmt.Sprintf("%.0f", float64(r.received)/r.wall.Seconds()), ms(percentile(r.delays, 50)), ms(percentile(r.delays, 99)), ms(maxDelay), perEvent}
}

func fileEventsRound(ctx context.Context, f *facadeProcess, scraper *metricsScraper, users []*fileUser, got *eventLog, round int, o *options) (roundResult, error) {
	before := got.count()
	published0, err := scraper.scrape(ctx, metricFilePublished)
	if err != nil {
		return roundResult{}, err
	}
	cpu0, err := processCPU(f.pid())
	if err != nil {
		return roundResult{}, err
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(users))
	for _, u := range users {
		wg.Go(func() {
			for i := range o.filesChanges {
				uri := fmt.Sprintf("cloudreve://my/watched/r%d-%d.txt", round, i)
				if err := u.rest.call(ctx, http.MethodPut, "/file/content?uri="+url.QueryEscape(uri), []byte("x"), nil); err != nil {
					errs <- fmt.Errorf("user %s: %w", u.id, err)
					return
				}
			}
			u.last = time.Now()
		})
	}
	wg.Wait()
	close(errs)
	if err := errors.Join(drain(errs)...); err != nil {
		return roundResult{}, err
	}
	expected := len(users) * o.filesChanges
	deadline := time.After(o.filesDebounce + time.Minute)
wait:
	for got.count()-before < expected {
		select {
		case <-got.notify:
		case <-deadline:
			break wait // what is missing is counted as missed
		case <-ctx.Done():
			return roundResult{}, ctx.Err()
		}
	}
	// Duplicates would arrive right behind the originals.
	time.Sleep(200 * time.Millisecond)
	cpu1, err := processCPU(f.pid())
	if err != nil {
		return roundResult{}, err
	}
	published1, err := scraper.scrape(ctx, metricFilePublished)
	if err != nil {
		return roundResult{}, err
	}
	r, err := tally(got, users, round, o, start)
	r.cpu, r.published = cpu1-cpu0, int(published1[metricFilePublished]-published0[metricFilePublished])
	return r, err
}

// tally reads the round's events from the log.
func tally(got *eventLog, users []*fileUser, round int, o *options, start time.Time) (roundResult, error) {
	r := roundResult{expected: len(users) * o.filesChanges}
	got.mu.Lock()
	defer got.mu.Unlock()
	if len(got.errs) > 0 {
		return roundResult{}, fmt.Errorf("undecodable events: %w", errors.Join(got.errs...))
	}
	var lastSeen time.Time
	for _, u := range users {
		earliest := u.last.Add(o.filesDebounce)
		for i := range o.filesChanges {
			times := got.byKey[fmt.Sprintf("%s|/r%d-%d.txt", u.id, round, i)]
			if len(times) == 0 {
				r.missed++
				continue
			}
			r.received += len(times)
			r.duplicated += len(times) - 1
			r.delays = append(r.delays, times[0].Sub(earliest))
			if times[0].After(lastSeen) {
				lastSeen = times[0]
			}
		}
	}
	r.wall = lastSeen.Sub(start)
	return r, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
