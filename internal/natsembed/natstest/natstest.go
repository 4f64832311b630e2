// Package natstest starts an embedded NATS server with JetStream for one
// test: in-process connections only, its store in the test's temporary
// folder, both gone when the test ends. Only tests import it.
package natstest

import (
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/cloudreve-connect/facade/internal/natsembed"
)

// Conn starts a server and returns a connection to it.
func Conn(t testing.TB) *nats.Conn {
	t.Helper()
	ns, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := ns.Connect(t.Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}
