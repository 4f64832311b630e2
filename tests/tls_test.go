package tests

import (
	"context"
	"crypto/tls"
	"errors"
	"math/big"
	"os"
	"testing"
	"time"

	"connectrpc.com/connect/v2/connecthttp"

	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// tlsEnv is a facade serving TLS with a certificate of a test CA, on the
// sandbox upstream and a NATS server.
type tlsEnv struct {
	*env
	ca     *testCA
	server *issued
}

func newTLSEnv(t *testing.T, mutual bool) *tlsEnv {
	t.Helper()
	ca := newTestCA(t, "facade test CA")
	server := ca.issue(t, "facade", true)
	up := startSandbox(t, sandbox.Options{})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	args := []string{"--upstream", up.URL, "--nats-url", natsURL, "--tls-cert", server.CertFile, "--tls-key", server.KeyFile}
	client := ca.tlsClient(nil)
	if mutual {
		args = append(args, "--client-ca", ca.CAFile)
		client = ca.tlsClient(ca.issue(t, "health-probe", false))
	}
	f := startFacadeOver(t, client, "https", args...)
	return &tlsEnv{env: &env{up: up, nats: natsURL, f: f, alice: alice}, ca: ca, server: server}
}

// listTasks is one authenticated unary call through the facade.
func listTasks(ctx context.Context, c workflowv1connect.WorkflowServiceClient) error {
	_, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL})
	return err
}

// peerCertificate dials the facade's TLS listener and returns what it
// negotiated: the certificate's serial and the ALPN protocol.
func peerCertificate(t *testing.T, e *tlsEnv, conf *tls.Config) (*big.Int, string, error) {
	t.Helper()
	conn, err := tls.Dial("tcp", e.f.URL[len("https://"):], conf)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	// With TLS 1.3 a refused client certificate shows on the first read.
	conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if _, err := conn.Read(make([]byte, 1)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return nil, "", err
	}
	state := conn.ConnectionState()
	return state.PeerCertificates[0].SerialNumber, state.NegotiatedProtocol, nil
}

// Connect, gRPC and gRPC-Web all work over TLS, HTTP/2 is negotiated by
// ALPN, and the TLS port speaks no cleartext.
func TestTLSListener(t *testing.T) {
	e := newTLSEnv(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for name, opts := range map[string][]clientOption{
		"connect":  nil,
		"grpc":     {viaGRPC},
		"grpc-web": {{transport: connecthttp.WithGRPCWeb()}},
	} {
		c := workflowv1connect.NewWorkflowServiceClient(connectClient(e.ca.tlsClient(nil), e.f.URL, append(opts, withToken(e.alice.Token))...))
		if err := listTasks(ctx, c); err != nil {
			t.Errorf("%s over TLS: %v", name, err)
		}
	}
	serial, proto, err := peerCertificate(t, e, &tls.Config{RootCAs: e.ca.pool(), NextProtos: []string{"h2", "http/1.1"}})
	if err != nil || proto != "h2" || serial.Cmp(e.server.Serial) != 0 {
		t.Errorf("ALPN %q, serial %v, %v", proto, serial, err)
	}
	cleartext := workflowv1connect.NewWorkflowServiceClient(connectClient(h2cClient(), "http"+e.f.URL[len("https"):], viaGRPC, withToken(e.alice.Token)))
	if err := listTasks(ctx, cleartext); err == nil {
		t.Error("h2c to the TLS listener was served")
	}
}

// With --client-ca only callers with a certificate of that CA are served;
// the others are refused during the handshake.
func TestMutualTLS(t *testing.T) {
	e := newTLSEnv(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	caller := e.ca.issue(t, "caller", false)
	stranger := newTestCA(t, "another CA").issue(t, "stranger", false)
	for name, cert := range map[string]*issued{"no certificate": nil, "another CA's certificate": stranger} {
		c := workflowv1connect.NewWorkflowServiceClient(connectClient(e.ca.tlsClient(cert), e.f.URL, viaGRPC, withToken(e.alice.Token)))
		if err := listTasks(ctx, c); err == nil {
			t.Errorf("a caller with %s was served", name)
		}
		conf := &tls.Config{RootCAs: e.ca.pool()}
		if cert != nil {
			conf.Certificates = []tls.Certificate{cert.Pair}
		}
		if _, _, err := peerCertificate(t, e, conf); err == nil {
			t.Errorf("the handshake of a caller with %s succeeded", name)
		}
	}
	c := workflowv1connect.NewWorkflowServiceClient(connectClient(e.ca.tlsClient(caller), e.f.URL, viaGRPC, withToken(e.alice.Token)))
	if err := listTasks(ctx, c); err != nil {
		t.Errorf("a caller with a certificate of the CA: %v", err)
	}
}

// Replacing the certificate files is enough: the next connection gets the
// new certificate, without a restart; connections before it were served
// with the old one.
func TestCertificateReload(t *testing.T) {
	e := newTLSEnv(t, false)
	conf := &tls.Config{RootCAs: e.ca.pool()}
	if serial, _, err := peerCertificate(t, e, conf); err != nil || serial.Cmp(e.server.Serial) != 0 {
		t.Fatalf("first certificate: %v %v", serial, err)
	}
	renewed := e.ca.issue(t, "facade", true)
	// The key first, as an operator's copy might: for a moment the pair does
	// not match, and the old certificate stays in use.
	if err := os.WriteFile(e.server.KeyFile, renewed.keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if serial, _, err := peerCertificate(t, e, conf); err != nil || serial.Cmp(e.server.Serial) != 0 {
		t.Errorf("while the files disagree: %v %v", serial, err)
	}
	if err := os.WriteFile(e.server.CertFile, renewed.certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "a new connection sees the renewed certificate", func() bool {
		serial, _, err := peerCertificate(t, e, conf)
		return err == nil && serial.Cmp(renewed.Serial) == 0
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := workflowv1connect.NewWorkflowServiceClient(connectClient(e.ca.tlsClient(nil), e.f.URL, viaGRPC, withToken(e.alice.Token)))
	if err := listTasks(ctx, c); err != nil {
		t.Errorf("a call after the renewal: %v", err)
	}
}
