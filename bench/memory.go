package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resident memory of the facade, from /proc/<pid>/status: VmRSS now, VmHWM
// the peak since the process started or since the peak was last reset.

// memStatus is one reading, in bytes.
type memStatus struct{ rss, hwm int64 }

func readMemStatus(pid int) (memStatus, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memStatus{}, fmt.Errorf("facade memory: %w", err)
	}
	defer f.Close()
	return parseMemStatus(f)
}

// parseMemStatus reads VmRSS and VmHWM (in kB) of a /proc/<pid>/status file.
func parseMemStatus(r io.Reader) (memStatus, error) {
	var m memStatus
	var found int
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return memStatus{}, fmt.Errorf("facade memory: %s: %q", key, value)
		}
		if key == "VmRSS" {
			m.rss = kb << 10
		} else {
			m.hwm = kb << 10
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return memStatus{}, fmt.Errorf("facade memory: %w", err)
	}
	if found != 2 {
		return memStatus{}, fmt.Errorf("facade memory: /proc status without VmRSS and VmHWM")
	}
	return m, nil
}

// resetPeak sets VmHWM back to VmRSS (Linux 4.0+, the process's owner
// only), so that the next VmHWM is the peak of what follows.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// peakWatch follows the facade's resident memory while something runs:
// it resets VmHWM when it starts (if the kernel lets it) and also samples
// VmRSS, so the peak is known either way.
type peakWatch struct {
	pid      int
	hwmReset bool
	stop     chan struct{}
	done     chan struct{}

	mu      sync.Mutex
	maxRSS  int64
	lastErr error
}

func watchPeak(pid int, every time.Duration) *peakWatch {
	w := &peakWatch{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	w.hwmReset = resetPeak(pid) == nil
	go func() {
		defer close(w.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			w.sample()
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *peakWatch) sample() {
	m, err := readMemStatus(w.pid)
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		w.lastErr = err
		return
	}
	w.maxRSS = max(w.maxRSS, m.rss)
}

// end stops sampling and returns the peak resident memory seen, in bytes.
func (w *peakWatch) end() (int64, error) {
	close(w.stop)
	<-w.done
	w.sample()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lastErr != nil {
		return 0, w.lastErr
	}
	peak := w.maxRSS
	if w.hwmReset {
		m, err := readMemStatus(w.pid)
		if err != nil {
			return 0, err
		}
		peak = max(peak, m.hwm)
	}
	return peak, nil
}
