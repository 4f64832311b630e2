package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"github.com/google/uuid"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
)

const (
	// HeaderRequestID names an RPC, in the request (when the caller chose
	// the id, a UUID) and in the response.
	HeaderRequestID = "X-Request-Id"
	// HeaderCorrelation is how Cloudreve takes a client-chosen correlation id
	// (a UUID), which it then logs and returns in error answers.
	HeaderCorrelation = "X-Cr-Correlation-Id"
)

type requestIDKey struct{}

// RequestID is the id of the RPC a context belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithRequestID names the RPC of ctx.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// requestID keeps a caller's id when it is a UUID (what Cloudreve accepts as
// a correlation id), and makes one otherwise.
func requestID(asked string) string {
	if u, err := uuid.Parse(asked); err == nil {
		return u.String()
	}
	return uuid.NewString()
}

// RequestInterceptor gives every RPC a request id (answered in the
// X-Request-Id header) and logs one line when it ends: procedure, protocol,
// code, duration, request and trace ids, and for upstream failures
// Cloudreve's code and correlation id. It never logs headers or messages, so
// tokens and passwords stay out of the log. It also counts upstream failures
// by Cloudreve code.
func (t *Telemetry) RequestInterceptor(log *slog.Logger) (connect.ServerInterceptor, error) {
	failures, err := t.facade.Int64Counter("facade.upstream.errors", metric.WithUnit("{error}"),
		metric.WithDescription("RPCs that failed on a Cloudreve error answer, by Cloudreve code and operation"))
	if err != nil {
		return nil, err
	}
	return (&requests{log: log, failures: failures}).intercept, nil
}

type requests struct {
	log      *slog.Logger
	failures metric.Int64Counter
}

func (r *requests) intercept(next connect.ServerFunc) connect.ServerFunc {
	return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
		info, _ := connect.CallInfoForServerContext(ctx) // always set on a server
		id := requestID(info.RequestHeader().Get(HeaderRequestID))
		ctx = WithRequestID(ctx, id)
		// Response headers go out with the answer or the error alike.
		info.ResponseHeader().Set(HeaderRequestID, id)
		start := time.Now()
		if spec.StreamType != connect.StreamTypeUnary {
			r.log.LogAttrs(ctx, slog.LevelDebug, "stream opened", slog.String("request_id", id),
				slog.String("procedure", spec.Procedure), slog.String("protocol", info.Protocol))
		}
		err := next(ctx, spec, stream)
		r.finish(ctx, spec, info, start, err)
		return err
	}
}

func (r *requests) finish(ctx context.Context, spec connect.Spec, info *connect.CallInfo, start time.Time, err error) {
	level := slog.LevelInfo
	if err == nil && !r.log.Enabled(ctx, level) {
		return
	}
	// A fixed array: the line's attributes cost no allocation of their own.
	var buf [12]slog.Attr
	attrs := append(buf[:0],
		slog.String("request_id", RequestID(ctx)),
		slog.String("procedure", spec.Procedure),
		slog.String("protocol", info.Protocol),
		slog.String("peer", info.PeerAddr),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
	)
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
	}
	code := "ok"
	if err != nil {
		c := connect.CodeOf(err)
		code = c.String()
		if serverFault(c) {
			level = slog.LevelWarn
		}
		var ce *connect.Error
		msg := err.Error()
		if errors.As(err, &ce) {
			msg = ce.Message()
		}
		attrs = append(attrs, slog.String("error", msg))
		if up := upstreamDetail(err); up != nil {
			attrs = append(attrs, slog.Int("upstream_code", int(up.GetCode())), slog.String("upstream_operation", up.GetOperation()))
			if up.GetCorrelationId() != "" {
				attrs = append(attrs, slog.String("upstream_correlation_id", up.GetCorrelationId()))
			}
			if up.GetCode() != 0 {
				r.failures.Add(ctx, 1, metric.WithAttributes(
					attribute.String("cloudreve.code", strconv.Itoa(int(up.GetCode()))),
					attribute.String("cloudreve.operation", up.GetOperation())))
			}
		}
	}
	attrs = append(attrs, slog.String("code", code))
	r.log.LogAttrs(ctx, level, "rpc", attrs...)
}

// serverFault tells the codes an operator should look at from those that
// are the caller's business (bad arguments, missing files, …).
func serverFault(c connect.Code) bool {
	switch c {
	case connect.CodeInternal, connect.CodeUnknown, connect.CodeUnavailable, connect.CodeDataLoss, connect.CodeDeadlineExceeded:
		return true
	}
	return false
}

func upstreamDetail(err error) *commonv1.UpstreamError {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return nil
	}
	for _, d := range ce.Details() {
		if v, err := connectproto.UnmarshalErrorDetail(d); err == nil {
			if up, ok := v.(*commonv1.UpstreamError); ok {
				return up
			}
		}
	}
	return nil
}
