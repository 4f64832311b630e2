package conformance

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"connectrpc.com/connect/v2/connecthttp"
)

// Credentials sign an account in through the facade's SessionService.
type Credentials struct {
	Email, Password string
}

// Protocol is a wire protocol the scenarios are run over.
type Protocol struct {
	Name string
	Opts []connecthttp.Option
}

// Protocols are Connect and gRPC, the two every scenario runs over.
var Protocols = []Protocol{
	{"connect", nil},
	{"grpc", []connecthttp.Option{connecthttp.WithGRPC()}},
}

// Target is a running facade in front of some Cloudreve.
type Target struct {
	// Name says which upstream this is, for logs ("sandbox 4.0.0", a URL).
	Name string
	// FacadeURL is where the facade listens; HTTP is a client that reaches
	// it over HTTP/2 (gRPC needs it).
	FacadeURL string
	HTTP      *http.Client
	// Main may create archives (an administrator on a default install);
	// Other is a second account, for isolation and for downloading Main's
	// shares.
	Main, Other Credentials
	// Real is set for a real Cloudreve: tasks there wait for a queue that
	// polls every 10 s, so every deadline is longer.
	Real bool
}

// timeouts are how long a scenario and one task may take.
type timeouts struct {
	scenario, task time.Duration
}

func (tg Target) timeouts() timeouts {
	if tg.Real {
		// An archive takes 25–30 s, a failing extract nearly 60 s (seen on
		// 4.0.0 and 4.18.0); twice that, and room for two tasks plus a few
		// hundred requests in one scenario.
		return timeouts{scenario: 5 * time.Minute, task: 2 * time.Minute}
	}
	return timeouts{scenario: 30 * time.Second, task: 15 * time.Second}
}

// scenario is one end-to-end behaviour.
type scenario struct {
	name string
	run  func(t *testing.T, c *caller)
}

// parallelScenarios touch only their own workspace and links, so they run
// side by side (which is what keeps the real-server run near the length of
// its slowest task).
var parallelScenarios = []scenario{
	{"ArchiveWatchedToCompletion", archiveWatchedToCompletion},
	{"ExtractOfNonZipEndsInError", extractOfNonZipEndsInError},
	{"UploadDownloadRoundTripWithRanges", uploadDownloadRoundTrip},
	{"AbortedUploadLeavesNothing", abortedUploadLeavesNothing},
	{"OverwriteAndStaleVersion", overwriteAndStaleVersion},
	{"BatchWithAFailingItem", batchWithAFailingItem},
	{"ListingOfManyFilesEachOnce", listingOfManyFilesEachOnce},
	{"TrashAndRestore", trashAndRestore},
	{"FileChangesAreEvents", fileChangesAreEvents},
	{"ShareWithPasswordAndDownloadLimit", shareWithPasswordAndDownloadLimit},
	{"BadBearerIsUnauthenticated", badBearerIsUnauthenticated},
	{"OtherAccountSeesNothing", otherAccountSeesNothing},
}

// lastScenarios run after the others: signing out must not race with them.
var lastScenarios = []scenario{
	{"SignInRefreshSignOut", signInRefreshSignOut},
}

// Run runs every scenario over both protocols against tg.
func Run(t *testing.T, tg Target) {
	t.Logf("conformance run %s against %s", runID, tg.Name)
	main := signIn(t, tg, tg.Main)
	other := signIn(t, tg, tg.Other)
	each := func(t *testing.T, list []scenario, parallel bool) {
		for _, p := range Protocols {
			for _, sc := range list {
				t.Run(p.Name+"/"+sc.name, func(t *testing.T) {
					if parallel {
						t.Parallel()
					}
					sc.run(t, newCaller(t, tg, p, sc.name, main, other))
				})
			}
		}
	}
	// The group returns once all its parallel subtests have.
	t.Run("parallel", func(t *testing.T) { each(t, parallelScenarios, true) })
	t.Run("last", func(t *testing.T) { each(t, lastScenarios, false) })
}

// runID tells one run's folders from another's on a shared server.
var runID = fmt.Sprintf("%x", time.Now().UnixNano()/int64(time.Millisecond))
