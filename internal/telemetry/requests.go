package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"connectrpc.com/connect"
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
func requestID(h http.Header) string {
	if u, err := uuid.Parse(h.Get(HeaderRequestID)); err == nil {
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
func (t *Telemetry) RequestInterceptor(log *slog.Logger) (connect.Interceptor, error) {
	failures, err := t.facade.Int64Counter("facade.upstream.errors", metric.WithUnit("{error}"),
		metric.WithDescription("RPCs that failed on a Cloudreve error answer, by Cloudreve code and operation"))
	if err != nil {
		return nil, err
	}
	return &requests{log: log, failures: failures}, nil
}

type requests struct {
	log      *slog.Logger
	failures metric.Int64Counter
}

func (r *requests) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if req.Spec().IsClient {
			return next(ctx, req)
		}
		id := requestID(req.Header())
		ctx = WithRequestID(ctx, id)
		start := time.Now()
		resp, err := next(ctx, req)
		if resp != nil {
			resp.Header().Set(HeaderRequestID, id)
		}
		var ce *connect.Error
		if errors.As(err, &ce) {
			ce.Meta().Set(HeaderRequestID, id)
		}
		r.finish(ctx, req.Spec(), req.Peer(), start, err)
		return resp, err
	}
}

func (r *requests) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (r *requests) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		id := requestID(conn.RequestHeader())
		ctx = WithRequestID(ctx, id)
		conn.ResponseHeader().Set(HeaderRequestID, id)
		start := time.Now()
		r.log.LogAttrs(ctx, slog.LevelDebug, "stream opened", slog.String("request_id", id),
			slog.String("procedure", conn.Spec().Procedure), slog.String("protocol", conn.Peer().Protocol))
		err := next(ctx, conn)
		r.finish(ctx, conn.Spec(), conn.Peer(), start, err)
		return err
	}
}

func (r *requests) finish(ctx context.Context, spec connect.Spec, peer connect.Peer, start time.Time, err error) {
	level := slog.LevelInfo
	if err == nil && !r.log.Enabled(ctx, level) {
		return
	}
	// A fixed array: the line's attributes cost no allocation of their own.
	var buf [12]slog.Attr
	attrs := append(buf[:0],
		slog.String("request_id", RequestID(ctx)),
		slog.String("procedure", spec.Procedure),
		slog.String("protocol", peer.Protocol),
		slog.String("peer", peer.Addr),
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
		if v, err := d.Value(); err == nil {
			if up, ok := v.(*commonv1.UpstreamError); ok {
				return up
			}
		}
	}
	return nil
}
