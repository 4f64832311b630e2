// Package telemetry is what the facade tells its operators: OpenTelemetry
// traces and metrics of every RPC and of every upstream HTTP call (one trace
// from the caller through the facade to Cloudreve), a Prometheus /metrics
// endpoint with those figures and the watcher's and event bus's, and a
// request id per RPC that shows up in the logs and, as Cloudreve's
// correlation id, in the upstream's logs.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/otelconnect"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// Options configure New.
type Options struct {
	// ServiceName is the service.name resource attribute. Default
	// "cloudreve-facade".
	ServiceName string
	// OTLPEndpoint is the base URL of an OTLP/HTTP collector
	// (e.g. http://127.0.0.1:4318) that receives the spans; empty records
	// no spans at all (a caller's trace context still propagates to the
	// upstream and names the trace in the log line), so that tracing costs
	// nothing when nobody collects it. Sampling follows OTEL_TRACES_SAMPLER
	// (default: parent-based, always on); an unsampled call records nothing.
	OTLPEndpoint string
	Logger       *slog.Logger
}

// Telemetry owns the tracer and meter providers and the Prometheus registry.
type Telemetry struct {
	tracer trace.TracerProvider
	// shutdownTracer flushes spans to the collector; nil without one.
	shutdownTracer func(context.Context) error
	meter          *sdkmetric.MeterProvider
	propagator     propagation.TextMapPropagator
	registry       *prometheus.Registry
	log            *slog.Logger
	facade         metric.Meter
}

// New sets up tracing and metrics. Call Shutdown when done.
func New(ctx context.Context, o Options) (*Telemetry, error) {
	if o.ServiceName == "" {
		o.ServiceName = "cloudreve-facade"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	// Request ids are UUIDs made per RPC: draw their randomness in batches.
	uuid.EnableRandPool()
	res := resource.NewSchemaless(attribute.String("service.name", o.ServiceName))

	var tracer trace.TracerProvider = tracenoop.NewTracerProvider()
	var shutdownTracer func(context.Context) error
	if o.OTLPEndpoint != "" {
		endpoint, err := tracesURL(o.OTLPEndpoint)
		if err != nil {
			return nil, err
		}
		exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint))
		if err != nil {
			return nil, fmt.Errorf("telemetry: OTLP exporter: %w", err)
		}
		sdk := sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithBatcher(exp))
		tracer, shutdownTracer = sdk, sdk.Shutdown
	}

	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	exporter, err := otelprom.New(otelprom.WithRegisterer(registry), otelprom.WithoutScopeInfo())
	if err != nil {
		return nil, fmt.Errorf("telemetry: prometheus exporter: %w", err)
	}
	t := &Telemetry{
		tracer:         tracer,
		shutdownTracer: shutdownTracer,
		meter:          sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(exporter)),
		propagator:     propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		registry:       registry,
		log:            o.Logger,
	}
	t.facade = t.meter.Meter("github.com/cloudreve-connect/facade")
	// Failures inside the SDK (an unreachable collector, say) are logged, not fatal.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		t.log.Warn("telemetry", "error", err)
	}))
	otel.SetTextMapPropagator(t.propagator)
	return t, nil
}

func tracesURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("telemetry: OTLP endpoint %q is not a URL like http://host:4318", base)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/v1/traces"
	}
	return u.String(), nil
}

// MetricsHandler serves the Prometheus text format.
func (t *Telemetry) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(t.registry, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(t.log.Handler(), slog.LevelWarn)})
}

// RPCInterceptor traces and measures every RPC (rpc.server.call.duration).
// Callers are internal services, so their trace context is trusted: the
// facade's spans continue the caller's trace.
func (t *Telemetry) RPCInterceptor() (connect.ServerInterceptor, error) {
	return otelconnect.NewServerInterceptor(
		otelconnect.WithTracerProvider(t.tracer),
		otelconnect.WithMeterProvider(t.meter),
		otelconnect.WithPropagator(t.propagator),
		otelconnect.WithTrustRemote(),
	)
}

// Gauge reports the value of read at each scrape.
func (t *Telemetry) Gauge(name, unit, description string, read func() int64) error {
	_, err := t.facade.Int64ObservableGauge(name, metric.WithUnit(unit), metric.WithDescription(description),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(read())
			return nil
		}))
	return err
}

// CounterFunc reports a monotonic count kept elsewhere (read at each scrape).
func (t *Telemetry) CounterFunc(name, unit, description string, read func() int64) error {
	_, err := t.facade.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(description),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			o.Observe(read())
			return nil
		}))
	return err
}

// Shutdown flushes spans still queued for the collector.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var err error
	if t.shutdownTracer != nil {
		err = t.shutdownTracer(ctx)
	}
	return errors.Join(err, t.meter.Shutdown(ctx))
}
