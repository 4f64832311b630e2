package main

import (
	"net/http"
	"strings"
	"sync"
)

// Upstream routes the watcher scenarios count requests of.
const (
	routeListTasks       = "ListTasks"
	routeGetTaskProgress = "GetTaskProgress"
	routeOther           = "other"
)

// routeOf names the route of a sandbox request: the task list
// (GET /api/v4/workflow), a task's progress (GET /api/v4/workflow/progress/{id}),
// or anything else.
func routeOf(method, path string) string {
	if method != http.MethodGet {
		return routeOther
	}
	switch {
	case path == "/api/v4/workflow":
		return routeListTasks
	case strings.HasPrefix(path, "/api/v4/workflow/progress/") && len(path) > len("/api/v4/workflow/progress/"):
		return routeGetTaskProgress
	}
	return routeOther
}

// routeCounter counts the requests a handler serves, by route.
type routeCounter struct {
	mu     sync.Mutex
	counts map[string]int64
}

func newRouteCounter() *routeCounter { return &routeCounter{counts: map[string]int64{}} }

func (c *routeCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := routeOf(r.Method, r.URL.Path)
		c.mu.Lock()
		c.counts[route]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// snapshot copies the counts so far.
func (c *routeCounter) snapshot() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.counts))
	for k, v := range c.counts {
		out[k] = v
	}
	return out
}
