package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
)

// streamsPerConn is how many WatchTask streams share one HTTP/2 connection
// (the facade allows 250 by default, --max-concurrent-streams).
const streamsPerConn = 100

// watchLog is what one WatchTask stream received.
type watchLog struct {
	task     string
	seqs     []uint64 // per-task sequence numbers, in arrival order
	final    bool     // the last event received was the task's final one
	err      error    // why the stream ended, nil when the server ended it
	openedIn time.Duration
}

// watchFleet is a set of WatchTask streams, spread over HTTP/2 connections.
type watchFleet struct {
	logs    []*watchLog
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	opened  sync.WaitGroup
	closers []func()
}

// openWatchFleet opens n streams over gRPC h2c, stream k on task k mod the
// tasks, and returns once every stream received its first event (or
// failed).
func openWatchFleet(ctx context.Context, facadeURL string, users []*watchUser, n int, timeout time.Duration) (*watchFleet, error) {
	type target struct {
		user *watchUser
		task string
	}
	var targets []target
	for _, u := range users {
		for _, t := range u.tasks {
			targets = append(targets, target{u, t})
		}
	}
	if len(targets) == 0 {
		return nil, errors.New("no tasks to watch")
	}
	ctx, cancel := context.WithCancel(ctx)
	f := &watchFleet{cancel: cancel}
	var hc *http.Client
	for k := range n {
		if k%streamsPerConn == 0 {
			t := h2cTransport()
			f.closers = append(f.closers, t.CloseIdleConnections)
			hc = &http.Client{Transport: t}
		}
		tg := targets[k%len(targets)]
		client := workflowv1connect.NewWorkflowServiceClient(connect.NewClient(connecthttp.NewTransport(hc, facadeURL, connecthttp.WithGRPC()), bearer(tg.user.token)))
		log := &watchLog{task: tg.task}
		f.logs = append(f.logs, log)
		f.wg.Add(1)
		f.opened.Add(1)
		go func() {
			defer f.wg.Done()
			start := time.Now()
			once := sync.OnceFunc(f.opened.Done)
			defer once()
			stream, err := client.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: tg.task})
			if err != nil {
				log.err = err
				return
			}
			defer stream.Close()
			var streamErr error
			for {
				msg, err2 := stream.Receive()
				if err2 != nil {
					streamErr = err2
					break
				}
				ev := msg.GetEvent()
				if len(log.seqs) == 0 {
					log.openedIn = time.Since(start)
					once()
				}
				log.seqs = append(log.seqs, ev.GetSequence())
				log.final = isFinalEvent(ev)
				if ev.GetTask().GetId() != tg.task {
					log.err = fmt.Errorf("an event of task %s on the stream of %s", ev.GetTask().GetId(), tg.task)
				}
			}
			if errors.Is(streamErr, io.EOF) {
				streamErr = nil
			}
			if err := streamErr; err != nil && log.err == nil {
				log.err = err
			}
		}()
	}
	done := make(chan struct{})
	go func() { f.opened.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		f.close()
		return nil, fmt.Errorf("the streams had not all received their first event after %s", timeout)
	}
	return f, nil
}

// wait waits until every stream ended by itself, at most timeout.
func (f *watchFleet) wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// close cancels the streams that are still open and waits for them.
func (f *watchFleet) close() {
	f.cancel()
	f.wg.Wait()
	for _, c := range f.closers {
		c()
	}
}

func isFinalEvent(ev *eventsv1.TaskEvent) bool {
	for _, c := range ev.GetChanges() {
		if c == eventsv1.Change_CHANGE_FINISHED || c == eventsv1.Change_CHANGE_WATCH_LOST {
			return true
		}
	}
	return false
}

// checkSequence counts what a stream's per-task sequence numbers show:
// events missed (gaps after the first one received) and duplicated (a
// number not above the highest one before it).
func checkSequence(seqs []uint64) (missed, duplicated int) {
	if len(seqs) == 0 {
		return 0, 0
	}
	high := seqs[0]
	for _, s := range seqs[1:] {
		switch {
		case s <= high:
			duplicated++
		case s > high+1:
			missed += int(s - high - 1)
		}
		high = max(high, s)
	}
	return missed, duplicated
}

// fleetSummary adds up a fleet's logs.
type fleetSummary struct {
	streams, events, missed, duplicated int
	notFinal, failed                    int
	firstErr                            string
	openP50, openP99                    time.Duration
}

func summarizeFleet(logs []*watchLog) fleetSummary {
	var s fleetSummary
	var opens []time.Duration
	for _, l := range logs {
		s.streams++
		s.events += len(l.seqs)
		m, d := checkSequence(l.seqs)
		s.missed += m
		s.duplicated += d
		if !l.final {
			s.notFinal++
		}
		if l.err != nil {
			s.failed++
			if s.firstErr == "" {
				s.firstErr = clip(l.err.Error())
			}
		}
		if len(l.seqs) > 0 {
			opens = append(opens, l.openedIn)
		}
	}
	slices.Sort(opens)
	s.openP50, s.openP99 = percentile(opens, 50), percentile(opens, 99)
	return s
}
