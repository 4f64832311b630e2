// Package payments converts the upstream's orders (commercial edition) into
// cloudreve.vas.v1.Payment, for the VAS and User services.
package payments

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	vasv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	"github.com/cloudreve-connect/facade/internal/values"
)

var statuses = map[cloudreveapi.PaymentStatus]vasv1.PaymentStatus{
	cloudreveapi.PaymentStatusCreated:       vasv1.PaymentStatus_PAYMENT_STATUS_CREATED,
	cloudreveapi.PaymentStatusPaid:          vasv1.PaymentStatus_PAYMENT_STATUS_PAID,
	cloudreveapi.PaymentStatusFulfilled:     vasv1.PaymentStatus_PAYMENT_STATUS_FULFILLED,
	cloudreveapi.PaymentStatusFulfillFailed: vasv1.PaymentStatus_PAYMENT_STATUS_FULFILL_FAILED,
	cloudreveapi.PaymentStatusCanceled:      vasv1.PaymentStatus_PAYMENT_STATUS_CANCELED,
}

// FromPayment converts an order; nil stays nil.
func FromPayment(p *cloudreveapi.Payment) *vasv1.Payment {
	if p == nil {
		return nil
	}
	return &vasv1.Payment{
		Id: p.Id, TradeNo: p.TradeNo, Name: p.Name, Status: statuses[p.Status], Qyt: int32(p.Qyt),
		PriceOneUnit: int32(p.PriceOneUnit), ProductType: vasv1.PaymentProductType(p.ProductType),
		CreatedAt: timestamppb.New(p.CreatedAt), UpdatedAt: timestamppb.New(p.UpdatedAt),
		PriceUnit: values.Deref(p.PriceUnit), PriceId: values.Deref(p.PriceId), PriceMark: values.Deref(p.PriceMark),
		Ticket: values.Deref(p.Ticket),
	}
}
