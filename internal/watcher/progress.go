package watcher

import (
	"slices"
	"time"

	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
)

// Progress is the one upstream call a round makes per task rather than per
// user (GetTaskProgress), so with thousands of processing tasks it would
// dominate the upstream's load. A round asks it for a bounded number of
// tasks, those whose progress was read longest ago first: status changes
// still come from the listings every round; progress of a task refreshes
// every round while few tasks run, and less often when many do.

// progressBudget is how many progress calls a round may make for this many
// processing tasks.
func (c *Config) progressBudget(processing int) int {
	if c.ProgressCallsPerRound > 0 {
		return c.ProgressCallsPerRound
	}
	return max(minProgressCalls, processing/100)
}

// minProgressCalls lets the progress of this many tasks refresh every round.
const minProgressCalls = 32

// planProgress marks the processing watches whose progress this round reads.
func (w *Watcher) planProgress(ws []*watch) {
	type due struct {
		wt   *watch
		read time.Time
	}
	var processing []due
	for _, wt := range ws {
		wt.mu.Lock()
		wt.progressDue = false
		if wt.last.GetTask().GetStatus() == taskv1.TaskStatus_TASK_STATUS_PROCESSING {
			processing = append(processing, due{wt, wt.progressReadAt})
		}
		wt.mu.Unlock()
	}
	budget := w.cfg.progressBudget(len(processing))
	if budget < len(processing) {
		slices.SortFunc(processing, func(a, b due) int { return a.read.Compare(b.read) })
		processing = processing[:budget]
	}
	for _, d := range processing {
		d.wt.mu.Lock()
		d.wt.progressDue = true
		d.wt.mu.Unlock()
	}
}

// takeProgressTurn reports whether this round reads wt's progress: when
// planProgress chose it, or when the task only now turned processing (so
// its newest event has no progress to keep).
func (wt *watch) takeProgressTurn(now time.Time) bool {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	if !wt.progressDue && wt.last.GetTask().GetStatus() == taskv1.TaskStatus_TASK_STATUS_PROCESSING {
		return false
	}
	wt.progressDue = false
	wt.progressReadAt = now
	return true
}

// knownProgress is the progress of the newest event, for a round that did
// not read it again (so that no event reports it gone).
func (wt *watch) knownProgress() map[string]*taskv1.Progress {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	return wt.last.GetTask().GetProgress()
}
