package events

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func consumers(t *testing.T, bus *Bus) int {
	t.Helper()
	n := 0
	list := bus.stream.ListConsumers(context.Background())
	for range list.Info() {
		n++
	}
	if err := list.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func publish(t *testing.T, bus *Bus, ev *eventsv1.TaskEvent) uint64 {
	t.Helper()
	p, err := bus.Publish(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return p.StreamSequence
}

// A thousand watch streams, of every kind, cost the server no consumer of
// their own, and once closed leave neither consumers nor goroutines.
func TestThousandStreamsLeaveNothingBehind(t *testing.T) {
	bus := openBus(t)
	publish(t, bus, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED))

	// Start the shared feed, then take the baseline.
	warm, stopWarm := context.WithCancel(context.Background())
	warmed := make(chan error, 1)
	go func() {
		warmed <- bus.Subscribe(warm, Filter{UserID: "u0", Ready: func() error { stopWarm(); return nil }}, func(Delivered) (bool, error) { return true, nil })
	}()
	<-warmed
	goroutines, baseline := runtime.NumGoroutine(), consumers(t, bus)
	if baseline != 1 {
		t.Fatalf("%d consumers with the live feed running, want 1", baseline)
	}

	const n = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready, ended sync.WaitGroup
	var live atomic.Int64 // subscriptions that received the event published below
	errs := make(chan error, n)
	for i := range n {
		f := Filter{UserID: "u1", ID: "t1", LastPerSubject: true} // WatchTask, WaitTask
		switch i % 4 {
		case 1:
			f = Filter{UserID: "u1", AfterSequence: 1} // WatchTasks resuming: a replay consumer
		case 2:
			f = Filter{UserID: "u1"} // WatchTasks from now on
		}
		f.Ready = func() error { ready.Done(); return nil }
		ready.Add(1)
		ended.Add(1)
		go func() {
			defer ended.Done()
			err := bus.Subscribe(ctx, f, func(d Delivered) (bool, error) {
				if d.Event.GetSequence() == 2 {
					live.Add(1)
				}
				return true, nil
			})
			if !errors.Is(err, context.Canceled) {
				errs <- err
			}
		}()
	}
	ready.Wait()
	publish(t, bus, event("u1", "t1", 2, taskv1.TaskStatus_TASK_STATUS_PROCESSING))
	waitFor(t, 10*time.Second, "every stream receives the new event", func() bool { return live.Load() == n })
	if got := bus.Subscribers(); got != n {
		t.Errorf("Subscribers() = %d with %d open", got, n)
	}
	t.Logf("%d streams open: %d goroutines (baseline %d), %d consumers (baseline %d)", n, runtime.NumGoroutine(), goroutines, consumers(t, bus), baseline)
	// The replay consumers of the resuming streams are gone once they caught up.
	waitFor(t, 2*time.Second, "no consumer but the live feed's while the streams are open", func() bool { return consumers(t, bus) == baseline })

	cancel()
	ended.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a stream ended with %v", err)
	}
	waitFor(t, 2*time.Second, "goroutines and consumers back to the baseline", func() bool {
		return runtime.NumGoroutine() <= goroutines && consumers(t, bus) == baseline
	})
	t.Logf("closed: %d goroutines (baseline %d), %d consumers (baseline %d)", runtime.NumGoroutine(), goroutines, consumers(t, bus), baseline)
	if got := bus.Subscribers(); got != 0 {
		t.Errorf("Subscribers() = %d after all ended", got)
	}
}

// Subscriptions that start while events are being published, each reading
// history then following the live feed, get every matching event after
// their start exactly once, in order.
func TestHistoryAndLiveMeetWithoutGapOrDuplicate(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	const total = 600
	var mu sync.Mutex
	var mine []uint64 // stream sequences of u1's events, as published
	published := make(chan struct{})
	publishOne := func(i int) {
		user := "u1"
		if i%3 == 2 {
			user = "u2" // interleaved, never delivered to u1's subscribers
		}
		seq := publish(t, bus, event(user, fmt.Sprintf("t%d", i%5), uint64(i+1), taskv1.TaskStatus_TASK_STATUS_PROCESSING))
		if user == "u1" {
			mu.Lock()
			mine = append(mine, seq)
			mu.Unlock()
		}
	}
	for i := range total / 3 { // some history before anyone subscribes
		publishOne(i)
	}
	go func() {
		defer close(published)
		for i := total / 3; i < total; i++ {
			publishOne(i)
		}
		// The last event of the test, for u1.
		seq := publish(t, bus, event("u1", "end", 1, taskv1.TaskStatus_TASK_STATUS_COMPLETED))
		mu.Lock()
		mine = append(mine, seq)
		mu.Unlock()
	}()

	type result struct {
		after uint64
		got   []uint64
		err   error
	}
	results := make(chan result, 20)
	var wg sync.WaitGroup
	for i := range 20 {
		mu.Lock()
		after := mine[len(mine)*i/20] // from early to recent history
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := result{after: after}
			r.err = bus.Subscribe(ctx, Filter{UserID: "u1", AfterSequence: after}, func(d Delivered) (bool, error) {
				r.got = append(r.got, d.StreamSequence)
				if i%4 == 0 && len(r.got) == 1 {
					<-published // hold the history read while the rest is published
				}
				return d.Event.GetTask().GetId() != "end", nil
			})
			results <- r
		}()
	}
	wg.Wait()
	<-published
	close(results)
	for r := range results {
		if r.err != nil {
			t.Errorf("after %d: %v", r.after, r.err)
			continue
		}
		var want []uint64
		for _, s := range mine {
			if s > r.after {
				want = append(want, s)
			}
		}
		if !slices.Equal(r.got, want) {
			t.Errorf("after %d: got %d events %v\nwant %d events %v", r.after, len(r.got), r.got, len(want), want)
		}
	}
	waitFor(t, 2*time.Second, "replay consumers deleted", func() bool { return consumers(t, bus) == 1 })
}

// A snapshot read while the task goes on: the newest event, then each later
// one once.
func TestSnapshotThenLiveAcrossTheSeam(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	publish(t, bus, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED))
	snapshot := publish(t, bus, event("u1", "t1", 2, taskv1.TaskStatus_TASK_STATUS_PROCESSING))
	var got []uint64
	var later []uint64
	err := bus.Subscribe(ctx, Filter{UserID: "u1", ID: "t1", LastPerSubject: true}, func(d Delivered) (bool, error) {
		got = append(got, d.Event.GetSequence())
		if len(got) == 1 {
			// Published after registration, before the live phase: in the
			// buffer, delivered after the snapshot.
			for i := uint64(3); i <= 6; i++ {
				later = append(later, publish(t, bus, event("u1", "t1", i, taskv1.TaskStatus_TASK_STATUS_PROCESSING)))
			}
			publish(t, bus, event("u1", "t1", 7, taskv1.TaskStatus_TASK_STATUS_COMPLETED, eventsv1.Change_CHANGE_FINISHED))
		}
		return d.Event.GetSequence() < 7, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []uint64{2, 3, 4, 5, 6, 7}) || later[0] != snapshot+1 {
		t.Errorf("got task sequences %v", got)
	}
}

// A subscriber that stops reading is ended with the point to resume from;
// the others are not held up, and resuming there loses nothing.
func TestSlowSubscriberEndsWithResumePoint(t *testing.T) {
	bus := openBusWith(t, Config{Source: "test", SubscriberBuffer: 8})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	release := make(chan struct{})
	var slowGot []uint64
	slowErr := make(chan error, 1)
	slowReady := make(chan struct{})
	go func() {
		slowErr <- bus.Subscribe(ctx, Filter{UserID: "u1", Ready: func() error { close(slowReady); return nil }}, func(d Delivered) (bool, error) {
			slowGot = append(slowGot, d.StreamSequence)
			<-release
			return true, nil
		})
	}()
	<-slowReady

	const n = 50
	fastGot := make(chan uint64, 1)
	fastErr := make(chan error, 1)
	fastReady := make(chan struct{})
	go func() {
		fastErr <- bus.Subscribe(ctx, Filter{UserID: "u1", Ready: func() error { close(fastReady); return nil }}, func(d Delivered) (bool, error) {
			fastGot <- d.StreamSequence
			return d.Event.GetSequence() < n, nil
		})
	}()
	<-fastReady
	// Each event reaches the fast subscriber while the slow one's buffer
	// fills up and overflows.
	var seqs []uint64
	for i := range n {
		seq := publish(t, bus, event("u1", "t1", uint64(i+1), taskv1.TaskStatus_TASK_STATUS_PROCESSING))
		seqs = append(seqs, seq)
		if got := <-fastGot; got != seq {
			t.Fatalf("the fast subscriber got %d, want %d", got, seq)
		}
	}
	if err := <-fastErr; err != nil {
		t.Fatalf("the fast subscriber ended with %v", err)
	}
	close(release)
	err := <-slowErr
	var resume *ResumeError
	if !errors.Is(err, ErrLagged) || !errors.As(err, &resume) {
		t.Fatalf("the slow subscriber ended with %v", err)
	}
	if resume.After != slowGot[len(slowGot)-1] {
		t.Errorf("resume after %d, but %v were delivered", resume.After, slowGot)
	}
	// Resuming there delivers the rest, once each.
	rest := slices.Clone(slowGot)
	err = bus.Subscribe(ctx, Filter{UserID: "u1", AfterSequence: resume.After}, func(d Delivered) (bool, error) {
		rest = append(rest, d.StreamSequence)
		return d.StreamSequence < seqs[n-1], nil
	})
	if err != nil || !slices.Equal(rest, seqs) {
		t.Errorf("slow then resumed: %v, %v", rest, err)
	}
}

// Live subscribers get exactly the events their filter selects.
func TestLiveFilters(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	filters := map[string]Filter{
		"u1":             {UserID: "u1"},
		"u1 task a":      {UserID: "u1", ID: "a"},
		"u1 downloads":   {UserID: "u1", Types: []string{"remote_download"}},
		"u1 both types":  {UserID: "u1", Types: []string{"remote_download", "create_archive"}},
		"u2":             {UserID: "u2"},
		"u2 task a":      {UserID: "u2", ID: "a"},
		"u3 (no events)": {UserID: "u3"},
	}
	want := map[string][]string{
		"u1": {"a.1", "c.1", "a.2"}, "u1 task a": {"a.1", "a.2"}, "u1 downloads": {"c.1"},
		"u1 both types": {"a.1", "c.1", "a.2"}, "u2": {"b.1"}, "u2 task a": nil, "u3 (no events)": nil,
	}
	var mu sync.Mutex
	got := map[string][]string{}
	var ready, ended sync.WaitGroup
	for name, f := range filters {
		ready.Add(1)
		ended.Add(1)
		f.Ready = func() error { ready.Done(); return nil }
		go func() {
			defer ended.Done()
			_ = bus.Subscribe(ctx, f, func(d Delivered) (bool, error) {
				mu.Lock()
				defer mu.Unlock()
				end := d.Event.GetSequence() == 99
				if !end {
					got[name] = append(got[name], d.Event.GetId())
				}
				return !end, nil
			})
		}()
	}
	ready.Wait()
	download := event("u1", "c", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED)
	download.Task.Type = taskv1.TaskType_TASK_TYPE_REMOTE_DOWNLOAD
	for _, ev := range []*eventsv1.TaskEvent{
		event("u1", "a", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED),
		event("u2", "b", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED),
		download,
		event("u1", "a", 2, taskv1.TaskStatus_TASK_STATUS_PROCESSING),
	} {
		publish(t, bus, ev)
	}
	// One closing event per user that every filter of that user selects.
	for _, u := range []string{"u1", "u2", "u3"} {
		for _, typ := range []taskv1.TaskType{taskv1.TaskType_TASK_TYPE_REMOTE_DOWNLOAD, taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE} {
			end := event(u, "end", 99, taskv1.TaskStatus_TASK_STATUS_QUEUED)
			end.Task.Type = typ
			end.Id = u + typ.String() // event ids are message ids: unique, or JetStream drops them
			publish(t, bus, end)
		}
		end := event(u, "a", 99, taskv1.TaskStatus_TASK_STATUS_QUEUED)
		end.Id = u + ".a"
		publish(t, bus, end)
	}
	ended.Wait()
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s: got %v, want %v", name, got[name], w)
		}
	}
}

// Filters that are not one subject token each are refused, not widened.
func TestSubscribeRefusesBadFilters(t *testing.T) {
	bus := openBus(t)
	for _, f := range []Filter{
		{}, {UserID: "*"}, {UserID: "u1.>"}, {UserID: "u1", ID: "a.b"}, {UserID: "u1", ID: ">"},
		{UserID: "u1", Types: []string{""}}, {UserID: "u1", Types: []string{"x y"}},
	} {
		err := bus.Subscribe(context.Background(), f, func(Delivered) (bool, error) { return true, nil })
		if !errors.Is(err, ErrBadFilter) {
			t.Errorf("%+v: %v", f, err)
		}
	}
}

// When the server drops the live feed's consumer, the feed resumes after the
// last event it delivered: subscribers miss nothing.
func TestLiveFeedRecoversItsConsumer(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []uint64
	var seqs []uint64
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- bus.Subscribe(ctx, Filter{UserID: "u1", Ready: func() error { close(ready); return nil }}, func(d Delivered) (bool, error) {
			got = append(got, d.StreamSequence)
			return d.Event.GetSequence() < 10, nil
		})
	}()
	<-ready
	seqs = append(seqs, publish(t, bus, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED)))
	names := bus.stream.ListConsumers(ctx)
	for info := range names.Info() {
		if err := bus.stream.DeleteConsumer(ctx, info.Name); err != nil {
			t.Fatal(err)
		}
	}
	for i := uint64(2); i <= 10; i++ {
		seqs = append(seqs, publish(t, bus, event("u1", "t1", i, taskv1.TaskStatus_TASK_STATUS_PROCESSING)))
	}
	if err := <-done; err != nil || !slices.Equal(got, seqs) {
		t.Errorf("got %v, %v; want %v", got, err, seqs)
	}
}

// Closing the bus ends open subscriptions with the point to resume from.
func TestClosingEndsSubscribersWithResumePoint(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got := make(chan uint64, 1)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- bus.Subscribe(ctx, Filter{UserID: "u1", Ready: func() error { close(ready); return nil }}, func(d Delivered) (bool, error) {
			got <- d.StreamSequence
			return true, nil
		})
	}()
	<-ready
	seq := publish(t, bus, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED))
	if delivered := <-got; delivered != seq {
		t.Fatalf("delivered %d, published %d", delivered, seq)
	}
	bus.Close()
	err := <-done
	var resume *ResumeError
	if !errors.Is(err, ErrFeedLost) || !errors.As(err, &resume) || resume.After != seq {
		t.Fatalf("ended with %v", err)
	}
	if consumers(t, bus) != 0 {
		t.Errorf("the live feed's consumer outlived Close")
	}
	if err := bus.Subscribe(ctx, Filter{UserID: "u1"}, func(Delivered) (bool, error) { return true, nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("subscribing after Close: %v", err)
	}
}
