package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// listenerTLSConfig is the TLS of the facade's listener: the certificate of
// --tls-cert/--tls-key, read again when either file changes (so a renewed
// certificate needs no restart), and with --client-ca the callers'
// certificates required and verified during the handshake. HTTP/2 is
// negotiated by ALPN (http.Server adds "h2" for its HTTP2 protocol).
func listenerTLSConfig(cfg *config, log *slog.Logger) (*tls.Config, error) {
	certs, err := newCertReloader(cfg.TLSCert, cfg.TLSKey, log)
	if err != nil {
		return nil, err
	}
	conf := &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: certs.GetCertificate}
	if cfg.ClientCA != "" {
		pool, err := loadCAPool(cfg.ClientCA)
		if err != nil {
			return nil, fmt.Errorf("--client-ca: %w", err)
		}
		conf.ClientCAs = pool
		conf.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return conf, nil
}

// loadCAPool reads a PEM bundle of CA certificates.
func loadCAPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// certReloader hands out a cached key pair and loads it again when the
// modification time or size of the certificate or key file changed. A pair
// that does not load (say, the certificate is renewed and the key not yet)
// leaves the previous one in use until the files agree again.
type certReloader struct {
	certFile, keyFile string
	log               *slog.Logger

	mu      sync.Mutex
	pair    *tls.Certificate
	stamp   fileStamp
	failing fileStamp // the stamp whose load failed, logged once
}

type fileStamp struct {
	certMod, keyMod   time.Time
	certSize, keySize int64
}

func newCertReloader(certFile, keyFile string, log *slog.Logger) (*certReloader, error) {
	r := &certReloader{certFile: certFile, keyFile: keyFile, log: log}
	stamp, err := r.currentStamp()
	if err == nil {
		err = r.load(stamp)
	}
	if err != nil {
		return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
	}
	return r, nil
}

func (r *certReloader) currentStamp() (fileStamp, error) {
	cert, err := os.Stat(r.certFile)
	if err != nil {
		return fileStamp{}, err
	}
	key, err := os.Stat(r.keyFile)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{certMod: cert.ModTime(), keyMod: key.ModTime(), certSize: cert.Size(), keySize: key.Size()}, nil
}

func (r *certReloader) load(stamp fileStamp) error {
	pair, err := tls.LoadX509KeyPair(r.certFile, r.keyFile)
	if err != nil {
		return err
	}
	r.pair, r.stamp = &pair, stamp
	return nil
}

// GetCertificate is tls.Config.GetCertificate: two stats per handshake,
// a load only when the files changed.
func (r *certReloader) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp, err := r.currentStamp()
	if err != nil || stamp == r.stamp || stamp == r.failing {
		return r.pair, nil
	}
	if err := r.load(stamp); err != nil {
		r.failing = stamp
		r.log.Warn("the changed TLS certificate does not load; serving the previous one", "cert", r.certFile, "key", r.keyFile, "error", err)
		return r.pair, nil
	}
	r.log.Info("reloaded the TLS certificate", "cert", r.certFile)
	return r.pair, nil
}

// listen opens --listen and returns the server and the function that serves
// it until Shutdown: TLS (mutual with --client-ca) when --tls-cert is set,
// h2c otherwise. Without TLS beyond loopback a warning says so: callers'
// bearer tokens would cross the network in the clear, which is fine only
// behind a TLS-terminating proxy or mesh.
func listen(cfg *config, handler http.Handler, log *slog.Logger) (*http.Server, func() error, error) {
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("--listen: %w", err)
	}
	addr := ln.Addr().String()
	if cfg.TLSCert == "" {
		if !isLoopbackAddress(cfg.Listen) {
			log.Warn("serving h2c without TLS beyond loopback: set --tls-cert and --tls-key unless a TLS proxy or mesh is in front", "listen", addr)
		}
		log.Info("listening for Connect, gRPC and gRPC-Web over h2c", "listen", addr)
		server := newServer(cfg, handler, nil)
		return server, func() error { return server.Serve(ln) }, nil
	}
	tlsConfig, err := listenerTLSConfig(cfg, log)
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	server := newServer(cfg, handler, tlsConfig)
	log.Info("listening for Connect, gRPC and gRPC-Web over TLS", "listen", addr, "mutual_tls", cfg.ClientCA != "")
	// The certificate comes from TLSConfig.GetCertificate, hence no files here.
	return server, func() error { return server.ServeTLS(ln, "", "") }, nil
}
