package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Fault is a failure injected into the answers of one operation, for tests
// of a client's error handling and timeouts.
type Fault struct {
	// Code answers a Cloudreve error envelope (HTTP 200) with this code,
	// e.g. 40004 (object existed) or 50002 (database error).
	Code int
	// Msg is the envelope's message; default "injected by the sandbox".
	Msg string
	// Status answers this HTTP status with a text/plain body instead, as a
	// proxy in front of Cloudreve would (502, 503, 504). It wins over Code.
	Status int
	// Delay holds the answer back this long (or until the client gives
	// up); with neither Code nor Status the call then proceeds normally.
	Delay time.Duration
	// Times is how many calls the fault applies to; 0 means every call
	// until ClearFaults.
	Times int
}

// faultTable holds the faults by generated operation name. It has its own
// lock: answering a fault touches no other state.
type faultTable struct {
	mu   sync.Mutex
	byOp map[string][]*Fault // applied first to last
}

func (f *faultTable) init() { f.byOp = map[string][]*Fault{} }

// add queues a fault for an operation, named by its operationId in the
// spec ("createArchive") or its Go name ("CreateArchive").
func (f *faultTable) add(op string, fault Fault) error {
	name := goName(op)
	if _, ok := specOps().byName[name]; !ok {
		return fmt.Errorf("sandbox: no operation %q in the Cloudreve spec", op)
	}
	if fault.Times < 0 {
		return fmt.Errorf("sandbox: Fault.Times %d is negative", fault.Times)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byOp[name] = append(f.byOp[name], &fault)
	return nil
}

func (f *faultTable) clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.byOp)
}

// take returns the fault that applies to this call of op, if any, and counts
// it.
func (f *faultTable) take(op string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	queue := f.byOp[op]
	if len(queue) == 0 {
		return Fault{}, false
	}
	fault := queue[0]
	if fault.Times > 0 {
		fault.Times--
		if fault.Times == 0 {
			f.byOp[op] = queue[1:]
		}
	}
	return *fault, true
}

// inject applies a fault to a call: it reports whether the answer was
// written (or the client went away) and the operation must not run.
func (s *cloudreve) inject(ctx context.Context, w http.ResponseWriter, op string) (bool, error) {
	fault, ok := s.faults.take(op)
	if !ok {
		return false, nil
	}
	if fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return true, nil
		case <-t.C:
		}
	}
	msg := fault.Msg
	if msg == "" {
		msg = "injected by the sandbox"
	}
	switch {
	case fault.Status != 0:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(fault.Status)
		_, _ = w.Write([]byte(msg))
		return true, nil
	case fault.Code != 0:
		return true, fail(fault.Code, "%s", msg)
	}
	return false, nil
}
