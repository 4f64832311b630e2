package tests

import (
	"os"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/tests/conformance"
)

// The conformance suite against the sandbox, imitating each release the
// facade supports. A 1 MiB chunk size makes the suite's uploads multi-chunk;
// file events wait 50 ms of quiet instead of Cloudreve's 5 s.
func TestConformanceSandbox(t *testing.T) {
	for _, release := range []string{sandbox.Version40, sandbox.Version} {
		t.Run(release, func(t *testing.T) {
			up := startSandbox(t, sandbox.Options{Version: release, ChunkSize: 1 << 20, EventDebounce: 50 * time.Millisecond})
			main := conformance.Credentials{Email: "main@example.com", Password: "main-password"}
			other := conformance.Credentials{Email: "other@example.com", Password: "other-password"}
			// The first account is the sandbox's administrator: it may archive.
			for _, cr := range []conformance.Credentials{main, other} {
				if _, err := up.CreateUser(cr.Email, cr.Password, cr.Email); err != nil {
					t.Fatal(err)
				}
			}
			_, natsURL := startNATS(t)
			f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--poll-active", "50ms", "--progress-interval", "10ms")
			conformance.Run(t, conformance.Target{
				Name: "sandbox " + release, FacadeURL: f.URL, HTTP: h2cClient(), Main: main, Other: other,
			})
		})
	}
}

// The conformance suite against a real Cloudreve, when one is given:
//
//	CLOUDREVE_CONFORMANCE_URL        the server, e.g. http://127.0.0.1:5212
//	CLOUDREVE_CONFORMANCE_EMAIL      an account allowed to create archives
//	CLOUDREVE_CONFORMANCE_PASSWORD
//	CLOUDREVE_CONFORMANCE_EMAIL2     a second account, for isolation
//	CLOUDREVE_CONFORMANCE_PASSWORD2
func TestConformanceRealServer(t *testing.T) {
	url := os.Getenv("CLOUDREVE_CONFORMANCE_URL")
	if url == "" {
		// An optional external target, not a missing dependency: the sandbox
		// variant (TestConformanceSandbox) always runs.
		t.Log("CLOUDREVE_CONFORMANCE_URL is not set: the conformance suite is not run against a real Cloudreve (see README, Conformance suite)")
		return
	}
	env := func(name string) string {
		v := os.Getenv(name)
		if v == "" {
			t.Fatalf("CLOUDREVE_CONFORMANCE_URL is set, %s is not", name)
		}
		return v
	}
	main := conformance.Credentials{Email: env("CLOUDREVE_CONFORMANCE_EMAIL"), Password: env("CLOUDREVE_CONFORMANCE_PASSWORD")}
	other := conformance.Credentials{Email: env("CLOUDREVE_CONFORMANCE_EMAIL2"), Password: env("CLOUDREVE_CONFORMANCE_PASSWORD2")}
	_, natsURL := startNATS(t)
	f := startFacade(t, "--upstream", url, "--nats-url", natsURL, "--poll-active", "500ms")
	conformance.Run(t, conformance.Target{
		Name: url, FacadeURL: f.URL, HTTP: h2cClient(), Main: main, Other: other, Real: true,
	})
}
