package telemetry

import (
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Doer is what the generated upstream client sends requests with.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// UpstreamDoer wraps the upstream client: each call carries the RPC's
// request id as Cloudreve's correlation id and the trace context as
// traceparent, is measured (http.client.request.duration, by method and
// status), and becomes a client span when spans are recorded. It works on
// the request the generated client just built for this call, so headers are
// set in place, without copying the request; a span is only started when
// the tracer records one (no collector: never), so a call costs a clock
// read and a histogram update.
func (t *Telemetry) UpstreamDoer(base Doer) (Doer, error) {
	duration, err := t.facade.Float64Histogram("http.client.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of upstream HTTP calls, until the response headers"),
		metric.WithExplicitBucketBoundaries(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
	if err != nil {
		return nil, err
	}
	return &upstreamDoer{
		base: base, tracer: t.tracer.Tracer("github.com/cloudreve-connect/facade/upstream"),
		recording: t.shutdownTracer != nil, propagator: t.propagator, duration: duration,
	}, nil
}

type upstreamDoer struct {
	base       Doer
	tracer     trace.Tracer
	recording  bool
	propagator propagation.TextMapPropagator
	duration   metric.Float64Histogram
	attrs      sync.Map // callKey → metric.MeasurementOption
}

type callKey struct {
	method string
	status int
}

func (d *upstreamDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if id := RequestID(ctx); id != "" && req.Header.Get(HeaderCorrelation) == "" {
		req.Header.Set(HeaderCorrelation, id)
	}
	var span trace.Span
	if d.recording {
		ctx, span = d.tracer.Start(ctx, "upstream "+req.Method+" "+req.URL.Path, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("http.request.method", req.Method), attribute.String("url.path", req.URL.Path)))
		req = req.WithContext(ctx)
	}
	if trace.SpanContextFromContext(ctx).IsValid() {
		d.propagator.Inject(ctx, propagation.HeaderCarrier(req.Header))
	}
	start := time.Now()
	resp, err := d.base.Do(req)
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	d.duration.Record(ctx, time.Since(start).Seconds(), d.measurement(req.Method, status))
	if span != nil {
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
	return resp, err
}

// measurement is the attribute set of a (method, status) pair, built once.
func (d *upstreamDoer) measurement(method string, status int) metric.MeasurementOption {
	key := callKey{method, status}
	if m, ok := d.attrs.Load(key); ok {
		return m.(metric.MeasurementOption)
	}
	attrs := []attribute.KeyValue{attribute.String("http.request.method", method)}
	if status > 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", status))
	} else {
		attrs = append(attrs, attribute.String("error.type", "transport"))
	}
	m, _ := d.attrs.LoadOrStore(key, metric.WithAttributeSet(attribute.NewSet(attrs...)))
	return m.(metric.MeasurementOption)
}
