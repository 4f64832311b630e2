// Package vas implements cloudreve.vas.v1.VasService (commercial edition
// only upstream).
package vas

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	vasv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1/vasv1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/payments"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements vasv1connect.VasServiceHandler.
type Service struct {
	api cloudreveapi.ClientInterface
}

var _ vasv1connect.VasServiceHandler = (*Service)(nil)

// New wires the service.
func New(api cloudreveapi.ClientInterface) *Service {
	return &Service{api: api}
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
	d, err := call.Op[cloudreveapi.CreatePaymentResult]("createPayment").Need(s.api.CreatePayment(ctx, body))
	if err != nil {
		return nil, err
	}
	step := &vasv1.PaymentStep{
		PaymentNeeded:   values.Deref(d.Request.PaymentNeeded),
		Url:             values.Deref(d.Request.Url),
		QrCodePreferred: values.Deref(d.Request.QrCodePreferred),
	}
	return &vasv1.CreatePaymentResponse{Payment: payments.FromPayment(&d.Payment), Request: step}, nil
}

func (s *Service) GetPaymentStatus(ctx context.Context, req *vasv1.GetPaymentStatusRequest) (*vasv1.GetPaymentStatusResponse, error) {
	data, err := call.Op[cloudreveapi.Payment]("getPaymentStatus").Do(s.api.GetPaymentStatus(ctx, req.GetId(), req.GetTradeNo()))
	if err != nil {
		return nil, err
	}
	return &vasv1.GetPaymentStatusResponse{Payment: payments.FromPayment(data)}, nil
}

func (s *Service) CheckGiftCode(ctx context.Context, req *vasv1.CheckGiftCodeRequest) (*vasv1.CheckGiftCodeResponse, error) {
	d, err := call.Op[cloudreveapi.GiftCodeInfo]("checkGiftCode").Need(s.api.CheckGiftCode(ctx, req.GetCode()))
	if err != nil {
		return nil, err
	}
	return &vasv1.CheckGiftCodeResponse{Name: d.Name, Qyt: int32(d.Qyt), Duration: values.Deref(d.Duration)}, nil
}

func (s *Service) RedeemGiftCode(ctx context.Context, req *vasv1.RedeemGiftCodeRequest) (*vasv1.RedeemGiftCodeResponse, error) {
	if err := call.Action("redeemGiftCode").Do(s.api.RedeemGiftCode(ctx, req.GetCode())); err != nil {
		return nil, err
	}
	return &vasv1.RedeemGiftCodeResponse{}, nil
}
