package tests

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// withRefresh lends the facade the caller's refresh token.
func withRefresh(token string) clientOption { return withHeaders("Cloudreve-Refresh-Token", token) }

func capacityAsAccount(t *testing.T, f *facade, p []clientOption) {
	t.Helper()
	res, err := clientsOf(f, p...).user.GetStorageCapacity(context.Background(), &userv1.GetStorageCapacityRequest{})
	if err != nil || res.GetTotal() <= 0 {
		t.Fatalf("GetStorageCapacity as the service account: %v %v", res, err)
	}
}

// The service account keeps working when its access token expires (here
// after one second): it refreshes, and never signs in again meanwhile.
func TestServiceAccountOutlivesAccessToken(t *testing.T) {
	up := startSandbox(t, sandbox.Options{AccessTTL: time.Second})
	_, natsURL := startNATS(t)
	up.newAccount(t, "svc")
	f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--account-email", "svc@example.com", "--account-password", "password-svc")
	for _, p := range protocols {
		capacityAsAccount(t, f, p.opts)
	}
	// The facade's access token expires. It was issued before this probe's,
	// so once the upstream refuses the probe it refuses the facade's too.
	probe := up.newAccount(t, "probe")
	eventually(t, 10*time.Second, "the access tokens expire", func() bool { return upstreamRefuses(t, up, probe.Token) })
	for _, p := range protocols {
		capacityAsAccount(t, f, p.opts)
	}
	if n := up.SignInCount(); n != 1 {
		t.Errorf("%d password sign-ins, want 1 (refreshes only afterwards)", n)
	}
}

// A facade restarted with the same state (NATS, secret key) takes up the
// stored session: no second password sign-in. With --account-sign-out the
// session ends on shutdown, and the next start signs in again.
func TestServiceAccountSessionSurvivesRestart(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	_, natsURL := startNATS(t)
	up.newAccount(t, "svc")
	key := base64.StdEncoding.EncodeToString([]byte("abcdefghijklmnopqrstuvwxyz012345"))
	args := []string{"--upstream", up.URL, "--nats-url", natsURL, "--secret-key", key, "--state-dir", t.TempDir(),
		"--account-email", "svc@example.com", "--account-password", "password-svc"}

	first := startFacade(t, args...)
	capacityAsAccount(t, first, nil)
	first.stop(t)
	if n := up.SignInCount(); n != 1 {
		t.Fatalf("%d sign-ins after the first run", n)
	}
	assertNoSecretInBucket(t, context.Background(), natsURL, "CLOUDREVE_SERVICE_ACCOUNT", "eyJ")

	second := startFacade(t, append(args, "--account-sign-out")...)
	capacityAsAccount(t, second, []clientOption{viaGRPC})
	if n := up.SignInCount(); n != 1 {
		t.Errorf("%d sign-ins after a restart, want 1: the stored session was not used", n)
	}
	second.stop(t)
	if !strings.Contains(second.logs.String(), "signed the service account out") {
		t.Errorf("no sign-out on shutdown:\n%s", second.logs.String())
	}

	third := startFacade(t, args...)
	capacityAsAccount(t, third, nil)
	if n := up.SignInCount(); n != 2 {
		t.Errorf("%d sign-ins after a signed-out restart, want 2", n)
	}
	for _, f := range []*facade{first, second, third} {
		if strings.Contains(f.logs.String(), "password-svc") || strings.Contains(f.logs.String(), "eyJ") {
			t.Error("a log shows the service account's password or a token")
		}
	}
}

// A caller who lends the facade its refresh token keeps its task's watch
// alive after its access token expired: the task is followed to its end.
func TestWatchOutlivesCallersAccessToken(t *testing.T) {
	up := startSandbox(t, sandbox.Options{Tick: 400 * time.Millisecond, AccessTTL: 1500 * time.Millisecond})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--poll-active", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := workflowClient(f, withToken(alice.Token), withRefresh(alice.Refresh))
	res, err := c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{
		Src: []string{"http://sandbox.invalid/files/big.bin"}, Dst: "cloudreve://my"})
	if err != nil {
		t.Fatal(err)
	}
	evs := taskEvents(t, ctx, natsURL, alice.ID, res.GetTasks()[0].GetId())
	last := evs[len(evs)-1]
	if hasChange(last, eventsv1.Change_CHANGE_WATCH_LOST) || last.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("events %v, last %v", statusesOf(evs), last)
	}
	if took := last.GetObservedAt().AsTime().Sub(evs[0].GetObservedAt().AsTime()); took < 1500*time.Millisecond {
		t.Fatalf("the task took %v, less than the access token's life: nothing was proven", took)
	}
	if strings.Contains(f.logs.String(), alice.Refresh) {
		t.Error("a log shows the caller's refresh token")
	}
}
