package tests

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/grpchealth"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/cloudreve-connect/facade/sandbox"
)

// pollHealth waits until the facade's health is want, or fails after within.
func pollHealth(t *testing.T, f *facade, want grpchealth.Status, within time.Duration) {
	t.Helper()
	client := healthClient(h2cClient(), f.URL)
	eventually(t, within, fmt.Sprintf("health %v", want), func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		res, err := client.Check(ctx, &grpchealth.CheckRequest{})
		return err == nil && res.Status == want
	})
}

// Health is NOT_SERVING while NATS is connected but JetStream does not
// answer (here: the server came back without JetStream), and SERVING again
// once JetStream is back.
func TestHealthFollowsJetStream(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	addr := freePort(t)
	port, _ := strconv.Atoi(strings.Split(addr, ":")[1])
	storeDir := t.TempDir()
	natsOn := func(jetStream bool) *server.Server {
		return startSecuredNATS(t, func(o *server.Options) { o.Port, o.JetStream, o.StoreDir = port, jetStream, storeDir })
	}
	withJS := natsOn(true)
	f := startFacade(t, "--upstream", up.URL, "--nats-url", "nats://"+addr)

	withJS.Shutdown()
	withJS.WaitForShutdown()
	withoutJS := natsOn(false)
	eventually(t, 20*time.Second, "the facade reconnects to NATS", func() bool { return withoutJS.NumClients() > 0 })
	pollHealth(t, f, grpchealth.StatusNotServing, 10*time.Second)

	withoutJS.Shutdown()
	withoutJS.WaitForShutdown()
	natsOn(true)
	pollHealth(t, f, grpchealth.StatusServing, 20*time.Second)
}
