package tests

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// eventually polls cond until it holds, failing the test when it still does
// not after within. Tests wait for the condition they need (a metric, a
// health status, the upstream's state) rather than for a fixed time, so they
// are as fast as the system and do not break on a slow machine.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond) // the polling period, not a wait for anything
	}
}

// streamsOpen is the facade's count of streaming RPCs open now.
func streamsOpen(t testing.TB, f *facade) float64 {
	t.Helper()
	v, _ := metric(scrape(t, f.URL+"/metrics"), "facade_rpc_streams_open")
	return v
}

// pollRounds is the number of poll rounds the facade's task watcher has
// finished (each one includes the service account's discovery).
func pollRounds(t testing.TB, f *facade) float64 {
	t.Helper()
	v, _ := metric(scrape(t, f.URL+"/metrics"), "facade_watcher_poll_rounds_total")
	return v
}

// waitPollRounds waits until the watcher has finished n more poll rounds
// than now: with n=2, at least one round ran entirely after this call.
func waitPollRounds(t testing.TB, f *facade, n float64) {
	t.Helper()
	target := pollRounds(t, f) + n
	eventually(t, 15*time.Second, "the task watcher polls again", func() bool { return pollRounds(t, f) >= target })
}

// upstreamRefuses reports whether the upstream answers a signed-in call
// with this access token as signed out (an expired or revoked token).
func upstreamRefuses(t testing.TB, up *upstreamStub, token string) bool {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, up.URL+"/api/v4/user/capacity", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Code int `json:"code"`
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return true
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return env.Code == 401 // Cloudreve's "login required", in an HTTP 200 envelope
}
