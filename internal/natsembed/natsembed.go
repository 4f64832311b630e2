// Package natsembed runs an in-process NATS server with JetStream, for the
// facade when no NATS URL is configured and for tests.
package natsembed

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Options of the embedded server.
type Options struct {
	// Listen is the client address, host:port. Port 0 picks a free one;
	// "" means in-process connections only (no TCP listener).
	Listen string
	// StoreDir holds JetStream's files; it is what lets events and watches
	// survive a restart.
	StoreDir string
	// Token, when set, is required of every client, so that other processes
	// that reach Listen cannot publish into the facade's subjects or read
	// its KV buckets.
	Token string
}

// Server is a running embedded NATS server.
type Server struct {
	ns    *server.Server
	token string
}

// Start runs the server and waits until it accepts connections.
func Start(opts Options) (*Server, error) {
	if opts.StoreDir == "" {
		return nil, errors.New("natsembed: a JetStream store directory is required")
	}
	sopts := &server.Options{
		ServerName:            "cloudreve-facade",
		JetStream:             true,
		StoreDir:              opts.StoreDir,
		NoSigs:                true,
		NoLog:                 true,
		DisableShortFirstPing: true,
		Authorization:         opts.Token,
	}
	if opts.Listen == "" {
		sopts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(opts.Listen)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen address %q: %w", opts.Listen, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen port %q: %w", port, err)
		}
		if p == 0 {
			p = server.RANDOM_PORT
		}
		sopts.Host, sopts.Port = host, p
	}
	ns, err := server.NewServer(sopts)
	if err != nil {
		return nil, fmt.Errorf("natsembed: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("natsembed: server did not start within 10s (is the port taken?)")
	}
	return &Server{ns: ns, token: opts.Token}, nil
}

// ClientURL is where other processes connect; "" without a TCP listener.
func (s *Server) ClientURL() string {
	if s.ns.Addr() == nil {
		return ""
	}
	return s.ns.ClientURL()
}

// Connect opens a client connection inside the process, with the token.
func (s *Server) Connect(name string) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.InProcessServer(s.ns), nats.MaxReconnects(-1)}
	if s.token != "" {
		opts = append(opts, nats.Token(s.token))
	}
	return nats.Connect("", opts...)
}

// Shutdown stops the server and waits for it.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
