package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// phase is what one timed run of N workers produced.
type phase struct {
	calls     int64
	errors    int64
	firstErr  error
	elapsed   time.Duration
	latencies []time.Duration // one per successful call
}

// runPhase opens conns workers, makes one untimed call on each (so every
// connection is dialled before the clock starts), then has every worker
// call in a closed loop until d has passed. started runs just before the
// clock starts and stopped just after the last worker finished, so the
// caller can bracket exactly the timed part with its counters.
//
// A call in flight at the deadline is allowed to finish and counts; the
// elapsed time is measured to the end of the last one, so calls/elapsed is
// an honest rate.
func runPhase(ctx context.Context, open openWorker, conns int, d time.Duration, started, stopped func() error) (phase, error) {
	workers := make([]*worker, 0, conns)
	defer func() {
		for _, w := range workers {
			w.close()
		}
	}()
	for range conns {
		w, err := open()
		if err != nil {
			return phase{}, fmt.Errorf("opening a client: %w", err)
		}
		workers = append(workers, w)
	}
	if err := warm(ctx, workers); err != nil {
		return phase{}, fmt.Errorf("first call (untimed): %w", err)
	}

	results := make([]phase, conns)
	if err := started(); err != nil {
		return phase{}, err
	}
	begin := time.Now()
	end := begin.Add(d)
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Go(func() { results[i] = loop(ctx, w, end) })
	}
	wg.Wait()
	elapsed := time.Since(begin)
	if err := stopped(); err != nil {
		return phase{}, err
	}

	total := phase{elapsed: elapsed}
	for _, r := range results {
		total.calls += r.calls
		total.errors += r.errors
		if total.firstErr == nil {
			total.firstErr = r.firstErr
		}
		total.latencies = append(total.latencies, r.latencies...)
	}
	return total, nil
}

// warm makes one call on every worker at once.
func warm(ctx context.Context, workers []*worker) error {
	errs := make([]error, len(workers))
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Go(func() { errs[i] = w.call(ctx) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// loop is one worker's closed loop: the next call starts when the previous
// one ends.
func loop(ctx context.Context, w *worker, end time.Time) phase {
	var p phase
	p.latencies = make([]time.Duration, 0, 4096)
	for {
		start := time.Now()
		if !start.Before(end) || ctx.Err() != nil {
			return p
		}
		err := w.call(ctx)
		p.calls++
		if err != nil {
			p.errors++
			if p.firstErr == nil {
				p.firstErr = err
			}
			continue
		}
		p.latencies = append(p.latencies, time.Since(start))
	}
}
