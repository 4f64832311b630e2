// Package vas implements cloudreve.vas.v1.VasService (commercial edition
// only upstream).
package vas

import (
	"context"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	vasv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1/vasv1connect"
	"github.com/cloudreve-connect/facade/internal/payments"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements vasv1connect.VasServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ vasv1connect.VasServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func (s *Service) CreatePayment(ctx context.Context, req *vasv1.CreatePaymentRequest) (*vasv1.CreatePaymentResponse, error) {
	p := req.GetProduct()
	body := cloudreveapi.CreatePaymentJSONRequestBody{
		Product: cloudreveapi.PaymentProduct{
			Type: cloudreveapi.PaymentProductType(p.GetType()), ShareLinkId: values.NonZero(p.GetShareLinkId()), SkuId: values.NonZero(p.GetSkuId()),
		},
		Quantity: int(req.GetQuantity()), ProviderId: values.NonZero(req.GetProviderId()),
		Email: values.NonZero(req.GetEmail()), Language: values.NonZero(req.GetLanguage()),
	}
	resp, err := s.client.CreatePaymentWithResponse(ctx, body)
	if err := upstream.Check("createPayment", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("createPayment")
	}
	step := &vasv1.PaymentStep{
		PaymentNeeded:   values.Deref(d.Request.PaymentNeeded),
		Url:             values.Deref(d.Request.Url),
		QrCodePreferred: values.Deref(d.Request.QrCodePreferred),
	}
	return &vasv1.CreatePaymentResponse{Payment: payments.FromPayment(&d.Payment), Request: step}, nil
}

func (s *Service) GetPaymentStatus(ctx context.Context, req *vasv1.GetPaymentStatusRequest) (*vasv1.GetPaymentStatusResponse, error) {
	resp, err := s.client.GetPaymentStatusWithResponse(ctx, req.GetId(), req.GetTradeNo())
	if err := upstream.Check("getPaymentStatus", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &vasv1.GetPaymentStatusResponse{Payment: payments.FromPayment(resp.JSON200.Data)}, nil
}

func (s *Service) CheckGiftCode(ctx context.Context, req *vasv1.CheckGiftCodeRequest) (*vasv1.CheckGiftCodeResponse, error) {
	resp, err := s.client.CheckGiftCodeWithResponse(ctx, req.GetCode())
	if err := upstream.Check("checkGiftCode", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("checkGiftCode")
	}
	return &vasv1.CheckGiftCodeResponse{Name: d.Name, Qyt: int32(d.Qyt), Duration: values.Deref(d.Duration)}, nil
}

func (s *Service) RedeemGiftCode(ctx context.Context, req *vasv1.RedeemGiftCodeRequest) (*vasv1.RedeemGiftCodeResponse, error) {
	resp, err := s.client.RedeemGiftCodeWithResponse(ctx, req.GetCode())
	if err := upstream.Check("redeemGiftCode", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &vasv1.RedeemGiftCodeResponse{}, nil
}

func noData(op string) error {
	return connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: 200, Reason: "answer without data"})
}
