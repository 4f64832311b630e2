package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// watchScenario: many WatchTask streams on tasks that change. Two parts:
//
//   - churn: open --watch-streams streams, close them, and read the facade's
//     goroutines, its open subscriptions and the JetStream consumers of
//     CLOUDREVE_TASKS before, while open, and 2 s after close;
//   - delivery: open them again, let them receive for --watch-run, cancel
//     every task upstream, and check each stream's per-task sequence
//     numbers (contiguous from the first one received, ending with the
//     final event), with the facade's CPU per event delivered and its peak
//     resident memory.
//
// The tasks are the sandbox's slow remote downloads (processing for 1,000
// ticks, progress moving four times a tick), 10 per account, created
// through the facade so that it watches them.
type watchScenario struct{}

func init() { registerStream(watchScenario{}) }

func (watchScenario) name() string { return "watch" }
func (watchScenario) describe() string {
	return "WorkflowService/WatchTask: many concurrent streams on changing tasks (missed and duplicated events, CPU per event, RSS), and open/close churn (goroutines, JetStream consumers)"
}

// Metrics the watch scenarios read.
const (
	metricGoroutines  = "go_goroutines"
	metricSubscribers = "facade_events_subscribers"
	metricPublished   = "facade_events_published_total"
	metricPollRounds  = "facade_watcher_poll_rounds_total"
	metricWatched     = "facade_watcher_tasks_watched"
)

func (s watchScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	o := e.o
	if o.upstream != "" {
		return streamResult{}, errors.New("watch needs the sandbox (it creates accounts and sets the task queue's tick); run it without --upstream")
	}
	up, _, err := e.upstream(ctx, sandbox.Options{Tick: o.watchTick, UserPermissions: remoteDownloaders})
	if err != nil {
		return streamResult{}, err
	}
	defer up.close()
	extra := []string{"--max-streams", fmt.Sprint(2*o.watchStreams + 100)}
	if o.profileDir != "" {
		extra = append(extra, "--pprof")
	}
	f, err := e.facade(ctx, up, extra...)
	if err != nil {
		return streamResult{}, err
	}
	defer f.stop()
	scraper := newMetricsScraper(f.metricsURL)
	consumers, err := newConsumerCounter(ctx, f.natsURL)
	if err != nil {
		return streamResult{}, err
	}
	defer consumers.close()

	nUsers := (o.watchTasks + 9) / 10
	perUser := (o.watchTasks + nUsers - 1) / nUsers
	users, err := seedUsers(up.sandbox, nUsers)
	if err != nil {
		return streamResult{}, err
	}
	progress("watch: creating %d × %d slow downloads through the facade", nUsers, perUser)
	if err := seedSlowDownloads(ctx, f.url, users, perUser); err != nil {
		return streamResult{}, err
	}
	// Let the first tick start the tasks and the watcher see them.
	time.Sleep(o.watchTick + 2*time.Second)

	setup := fmt.Sprintf("%d streams over gRPC h2c (%d per HTTP/2 connection) on %d tasks (%d accounts × %d slow remote downloads), sandbox tick %s, facade defaults (--poll-active 1s, --progress-interval 1s) and --max-streams %d.",
		o.watchStreams, streamsPerConn, nUsers*perUser, nUsers, perUser, o.watchTick, 2*o.watchStreams+100)
	churn, err := watchChurn(ctx, f, scraper, consumers, users, o.watchStreams, o.profileDir)
	churn.intro = setup + " " + churn.intro
	if err != nil {
		churn.problems = append(churn.problems, clip(err.Error()))
	}
	delivery := watchDelivery(ctx, f, up, scraper, users, o)
	delivery.intro = setup + " " + delivery.intro
	return streamResult{sections: []section{churn, delivery}}, f.alive()
}

// churnReading is the facade's state at one moment.
type churnReading struct {
	goroutines, subscribers float64
	consumers               int
}

func readChurn(ctx context.Context, scraper *metricsScraper, consumers *consumerCounter) (churnReading, error) {
	m, err := scraper.scrape(ctx, metricGoroutines, metricSubscribers)
	if err != nil {
		return churnReading{}, err
	}
	for _, name := range []string{metricGoroutines, metricSubscribers} {
		if _, ok := m[name]; !ok {
			return churnReading{}, fmt.Errorf("the facade's /metrics has no %s", name)
		}
	}
	n, err := consumers.count(ctx)
	if err != nil {
		return churnReading{}, err
	}
	return churnReading{goroutines: m[metricGoroutines], subscribers: m[metricSubscribers], consumers: n}, nil
}

func watchChurn(ctx context.Context, f *facadeProcess, scraper *metricsScraper, consumers *consumerCounter, users []*watchUser, n int, profileDir string) (section, error) {
	sec := section{
		title: "Watch streams: open/close churn",
		intro: fmt.Sprintf("Open %d WatchTask streams (each counts as open once its first event arrived), then cancel them all; the facade's state before, while they are open, and 2 s after they were closed.", n),
		cells: [][]string{{"moment", "go_goroutines", "facade_events_subscribers", "JetStream consumers on CLOUDREVE_TASKS"}},
	}
	add := func(moment string) error {
		r, err := readChurn(ctx, scraper, consumers)
		if err != nil {
			sec.cells = append(sec.cells, []string{moment, failedCell, failedCell, failedCell})
			return err
		}
		sec.cells = append(sec.cells, []string{moment, fmt.Sprintf("%.0f", r.goroutines), fmt.Sprintf("%.0f", r.subscribers), fmt.Sprint(r.consumers)})
		return nil
	}
	if err := add("before"); err != nil {
		return sec, err
	}
	progress("watch: churn, opening %d streams", n)
	start := time.Now()
	fleet, err := openWatchFleet(ctx, f.url, users, n, 2*time.Minute)
	if err != nil {
		return sec, err
	}
	took := time.Since(start)
	sum := summarizeFleet(fleet.logs)
	errOpen := add(fmt.Sprintf("%d open", n))
	closing := time.Now()
	fleet.close()
	closeTook := time.Since(closing)
	time.Sleep(2 * time.Second)
	errAfter := add("2 s after close")
	if profileDir != "" {
		// What the goroutines left after the close are doing.
		path := filepath.Join(profileDir, "watch-goroutines-after-close.txt")
		if err := os.MkdirAll(profileDir, 0o755); err != nil {
			errAfter = errors.Join(errAfter, err)
		} else if err := fetchProfile(ctx, f.pprofURL()+"/goroutine?debug=1", path); err != nil {
			errAfter = errors.Join(errAfter, err)
		} else {
			sec.notes = append(sec.notes, "The goroutines 2 s after close are in "+path+".")
		}
	}
	sec.notes = append(sec.notes,
		fmt.Sprintf("Opening all %d took %s; time to first event p50 %s, p99 %s.", n, took.Round(time.Millisecond), sum.openP50.Round(time.Millisecond), sum.openP99.Round(time.Millisecond)),
		fmt.Sprintf("Closing (cancel, then every client saw its stream end) took %s.", closeTook.Round(time.Millisecond)),
		"The consumers are counted with a JetStream stream info request to the facade's embedded NATS server (--nats-listen).")
	// The streams end with an error once canceled; what counts is whether
	// each got its first event before.
	unopened := 0
	for _, l := range fleet.logs {
		if len(l.seqs) == 0 {
			unopened++
		}
	}
	if unopened > 0 {
		sec.problems = append(sec.problems, fmt.Sprintf("%d of %d streams never received an event (first error: %s)", unopened, n, sum.firstErr))
	}
	return sec, errors.Join(errOpen, errAfter)
}

func watchDelivery(ctx context.Context, f *facadeProcess, up *upstream, scraper *metricsScraper, users []*watchUser, o *options) section {
	sec := section{
		title: "Watch streams: delivery",
		intro: fmt.Sprintf("The streams receive for %s, then every task is canceled upstream (DELETE /api/v4/workflow/download/{id}); each stream must end by itself with the task's final event. Missed: gaps in a stream's per-task sequence numbers after the first one it received; duplicated: a number not above one already received.", o.watchRun),
		cells: [][]string{{"streams", "events delivered", "missed", "duplicated", "streams without final event", "stream errors",
			"events published", "facade CPU µs/event delivered", "idle RSS MiB", "peak RSS MiB", "peak growth MiB", "first event p50/p99"}},
	}
	fail := func(err error) section {
		sec.cells = append(sec.cells, []string{fmt.Sprint(o.watchStreams), failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell})
		sec.problems = append(sec.problems, clip(err.Error()))
		return sec
	}
	mem, err := readMemStatus(f.pid())
	if err != nil {
		return fail(err)
	}
	before, err := scraper.scrape(ctx, metricPublished)
	if err != nil {
		return fail(err)
	}
	cpu0, err := processCPU(f.pid())
	if err != nil {
		return fail(err)
	}
	peak := watchPeak(f.pid(), 20*time.Millisecond)
	progress("watch: delivery, opening %d streams", o.watchStreams)
	fleet, err := openWatchFleet(ctx, f.url, users, o.watchStreams, 2*time.Minute)
	if err != nil {
		peak.end()
		return fail(err)
	}
	time.Sleep(o.watchRun)
	progress("watch: canceling the tasks")
	cancelErr := cancelTasks(ctx, up.url, users)
	ended := fleet.wait(time.Minute)
	fleet.close()
	cpu1, cpuErr := processCPU(f.pid())
	after, scrapeErr := scraper.scrape(ctx, metricPublished)
	peakRSS, peakErr := peak.end()
	if err := errors.Join(cancelErr, cpuErr, scrapeErr, peakErr); err != nil {
		return fail(err)
	}
	if _, ok := after[metricPublished]; !ok {
		return fail(fmt.Errorf("the facade's /metrics has no %s", metricPublished))
	}
	sum := summarizeFleet(fleet.logs)
	cpuPerEvent := "n/a"
	if sum.events > 0 {
		cpuPerEvent = fmt.Sprintf("%.0f", float64((cpu1-cpu0).Microseconds())/float64(sum.events))
	}
	sec.cells = append(sec.cells, []string{
		fmt.Sprint(sum.streams), fmt.Sprint(sum.events), fmt.Sprint(sum.missed), fmt.Sprint(sum.duplicated),
		fmt.Sprint(sum.notFinal), fmt.Sprint(sum.failed), fmt.Sprintf("%.0f", after[metricPublished]-before[metricPublished]),
		cpuPerEvent, fmt.Sprintf("%.0f", float64(mem.rss)/(1<<20)), fmt.Sprintf("%.0f", float64(peakRSS)/(1<<20)),
		fmt.Sprintf("%+.0f", float64(peakRSS-mem.rss)/(1<<20)),
		fmt.Sprintf("%s / %s", sum.openP50.Round(time.Millisecond), sum.openP99.Round(time.Millisecond)),
	})
	sec.notes = append(sec.notes,
		"events published: facade_events_published_total over the part (one per task change); each is delivered to every stream on its task.",
		"facade CPU µs/event delivered: the facade's CPU time from before opening the streams to after they all ended (stream set-up, polling, publishing and delivery), per event received by a stream.")
	if !ended {
		sec.problems = append(sec.problems, "not every stream ended within a minute of the cancellations")
	}
	if sum.missed > 0 || sum.duplicated > 0 || sum.notFinal > 0 || sum.failed > 0 {
		sec.problems = append(sec.problems, fmt.Sprintf("%d missed, %d duplicated, %d streams without the final event, %d stream errors (first: %s)",
			sum.missed, sum.duplicated, sum.notFinal, sum.failed, sum.firstErr))
	}
	return sec
}
