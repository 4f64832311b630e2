// Package conformance is the end-to-end suite of the scenarios callers
// depend on, written once and run against any Cloudreve behind a running
// facade: the sandbox (tests/conformance_test.go, in the normal test
// command) and, when CLOUDREVE_CONFORMANCE_URL is set, a real server.
//
// The scenarios only use what a caller can see through the facade: no
// sandbox hooks. Each one works in its own folder (unique per run) and
// removes it, and whatever else it made (trash items, share links), when it
// ends, so it can run against a shared real server again and again.
//
// Layout: target.go (what a run is given, Run), caller.go (signed-in
// clients, workspaces), helpers.go (assertions, waits, error details),
// transfer.go (upload and download helpers), and one scenario_*.go file per
// group of scenarios.
package conformance
