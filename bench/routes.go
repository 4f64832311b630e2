package main

import (
	"net/http"
	"strings"
	"sync"
)

// Upstream routes the watcher scenarios count requests of.
const (
	routeListTasks       = "ListTasks"
	routeListAdminTasks  = "ListAdminTasks"
	routeGetTaskProgress = "GetTaskProgress"
	routeOther           = "other"
)

// routeOf names the route of a sandbox request: the task list
// (GET /api/v4/workflow), the admin task list (POST /api/v4/admin/queue), a
// task's progress (GET /api/v4/workflow/progress/{id}), or anything else.
func routeOf(method, path string) string {
	if method == http.MethodPost && path == "/api/v4/admin/queue" {
		return routeListAdminTasks
	}
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

// routeCounter counts the requests a handler serves, by route, and by
// route of each facade replica (named in its User-Agent).
type routeCounter struct {
	mu        sync.Mutex
	counts    map[string]int64
	byReplica map[string]map[string]int64
}

func newRouteCounter() *routeCounter {
	return &routeCounter{counts: map[string]int64{}, byReplica: map[string]map[string]int64{}}
}

func (c *routeCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := routeOf(r.Method, r.URL.Path)
		replica := replicaOf(r.Header.Get("User-Agent"))
		c.mu.Lock()
		c.counts[route]++
		if replica != "" {
			if c.byReplica[replica] == nil {
				c.byReplica[replica] = map[string]int64{}
			}
			c.byReplica[replica][route]++
		}
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// replicaOf reads the replica id from the facade's User-Agent,
// "cloudreve-facade (replica <id>)".
func replicaOf(agent string) string {
	_, rest, ok := strings.Cut(agent, "(replica ")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, ")")
	return id
}

// replicaSnapshot copies the counts of one replica so far.
func (c *routeCounter) replicaSnapshot(replica string) map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int64, len(c.byReplica[replica]))
	for k, v := range c.byReplica[replica] {
		out[k] = v
	}
	return out
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
