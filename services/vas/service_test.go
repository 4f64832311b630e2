package vas

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	vasv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1/vasv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// shop is what a pro upstream sells, read from its VAS site settings the way
// a client would learn it.
type shop struct {
	storagePack, membership, provider string
}

func readShop(t *testing.T, api cloudreveapi.ClientInterface) shop {
	t.Helper()
	cfg, err := upstream.Op[cloudreveapi.SiteConfig]("getSiteSettings").Need(api.GetSiteSettings(context.Background(), cloudreveapi.Vas))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.StorageProducts == nil || cfg.GroupSkus == nil || cfg.Payment == nil || len(cfg.Payment.Providers) == 0 {
		t.Fatalf("the upstream sells nothing: %+v", cfg)
	}
	return shop{(*cfg.StorageProducts)[0].Id, (*cfg.GroupSkus)[0].Id, cfg.Payment.Providers[0].Id}
}

// A buyer redeems a gift code for credits, spends them, runs short, then pays
// a checkout for more and watches the order go through.
func TestGiftCodesAndPayments(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			buyer := up.NewAccount(t, "buyer-"+p.Name)
			goods := readShop(t, buyer.Client)
			server := connect.NewServer()
			vasv1connect.RegisterVasServiceHandler(server, New(buyer.Client))
			c := servicetest.Client(servicetest.Serve(t, server), p, vasv1connect.NewVasServiceClient)
			ctx := context.Background()

			code := "GIFT-" + p.Name
			up.AddGiftCode(code, 100)
			info, err := c.CheckGiftCode(ctx, &vasv1.CheckGiftCodeRequest{Code: code})
			if err != nil || info.GetName() != "Credits" || info.GetQyt() != 100 {
				t.Fatalf("check: %v %v", info, err)
			}
			if _, err := c.RedeemGiftCode(ctx, &vasv1.RedeemGiftCodeRequest{Code: code}); err != nil {
				t.Fatal(err)
			}
			_, err = c.RedeemGiftCode(ctx, &vasv1.RedeemGiftCodeRequest{Code: code})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "redeemGiftCode", upstream.CodeInvalidGiftCode)
			_, err = c.CheckGiftCode(ctx, &vasv1.CheckGiftCodeRequest{Code: code})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "checkGiftCode", upstream.CodeInvalidGiftCode)

			// 100 credits buy the storage pack (50) at once…
			pack := &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_STORAGE_PACK, SkuId: goods.storagePack}
			paid, err := c.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Product: pack, Quantity: 1})
			if err != nil {
				t.Fatal(err)
			}
			if pay := paid.GetPayment(); pay.GetStatus() != vasv1.PaymentStatus_PAYMENT_STATUS_FULFILLED || pay.GetName() != "10 GB" ||
				pay.GetProductType() != vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_STORAGE_PACK || pay.GetPriceUnit() != 50 || pay.GetCreatedAt().AsTime().IsZero() {
				t.Errorf("paid by credits: %v", pay)
			}
			if paid.GetRequest().GetPaymentNeeded() {
				t.Errorf("credits need no checkout: %v", paid.GetRequest())
			}
			// …but not two memberships (90 each) with the 50 left.
			member := &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_GROUP, SkuId: goods.membership}
			_, err = c.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Product: member, Quantity: 2})
			servicetest.WantUpstreamCode(t, err, connect.CodeFailedPrecondition, "createPayment", upstream.CodeInsufficientCredit)

			// Credits bought through the provider wait for its checkout.
			points := &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_POINTS}
			order, err := c.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Product: points, Quantity: 5, ProviderId: goods.provider})
			if err != nil {
				t.Fatal(err)
			}
			pay, step := order.GetPayment(), order.GetRequest()
			if !step.GetPaymentNeeded() || !strings.HasSuffix(step.GetUrl(), pay.GetTradeNo()) || pay.GetStatus() != vasv1.PaymentStatus_PAYMENT_STATUS_CREATED || pay.GetPriceMark() != "$" {
				t.Fatalf("checkout: %v %v", pay, step)
			}
			status := func() vasv1.PaymentStatus {
				t.Helper()
				res, err := c.GetPaymentStatus(ctx, &vasv1.GetPaymentStatusRequest{Id: pay.GetId(), TradeNo: pay.GetTradeNo()})
				if err != nil {
					t.Fatal(err)
				}
				return res.GetPayment().GetStatus()
			}
			if s := status(); s != vasv1.PaymentStatus_PAYMENT_STATUS_CREATED {
				t.Errorf("before checkout: %v", s)
			}
			if !up.MarkPaid(pay.GetTradeNo()) {
				t.Fatal("the sandbox knows no such order")
			}
			if s := status(); s != vasv1.PaymentStatus_PAYMENT_STATUS_FULFILLED {
				t.Errorf("after checkout: %v", s)
			}
			_, err = c.GetPaymentStatus(ctx, &vasv1.GetPaymentStatusRequest{Id: pay.GetId(), TradeNo: "not-" + pay.GetTradeNo()})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "getPaymentStatus", upstream.CodeNotFound)
		})
	}
}

// A community upstream has none of it.
func TestVasNeedsTheCommercialEdition(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	server := connect.NewServer()
	vasv1connect.RegisterVasServiceHandler(server, New(up.NewAccount(t, "cody").Client))
	srv := servicetest.Serve(t, server)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			_, err := servicetest.Client(srv, p, vasv1connect.NewVasServiceClient).CheckGiftCode(context.Background(), &vasv1.CheckGiftCodeRequest{Code: "X"})
			f := servicetest.WantUpstreamError(t, err, connect.CodeUnimplemented, "checkGiftCode")
			if f.Info.GetReason() != rpcerror.ReasonProOnly {
				t.Errorf("reason %q", f.Info.GetReason())
			}
		})
	}
}
