package sandbox

import (
	"context"
	"encoding/base64"
	"strconv"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Commercial-edition operations. A community sandbox never routes them (its
// mux answers a plain 404); a pro sandbox serves them from a small model:
// one storage pack and one membership for sale, payment by credits or by a
// checkout that MarkPaid completes, gift codes seeded with AddGiftCode, and
// an identity provider whose codes OpenIDCode hands out.

const (
	pointPrice = 10 // smallest currency units per credit
)

var (
	storagePack   = cloudreveapi.StorageProduct{Id: "7d1c1c56-4f2c-4e0e-9a55-1b8f0c1d2e01", Name: "10 GB", Size: 10 << 30, Time: 30 * 86400, Price: 500, Points: values.Ptr(int64(50))}
	membership    = cloudreveapi.GroupSKU{Id: "9a0e2b7c-3d4f-4a51-8e6b-2c9d0f1e3a02", Name: "Pro membership", Time: 30 * 86400, Price: 900, Points: values.Ptr(int64(90)), Des: &[]string{"More space"}}
	stripeLike    = cloudreveapi.PaymentProvider{Id: "c4f1a2b3-5d6e-4f70-8a9b-0c1d2e3f4a03", Name: "Card", Type: values.Ptr(cloudreveapi.PaymentProviderTypeStripe)}
	checkoutHost  = "https://pay.sandbox.invalid/checkout/"
	identityIssue = "https://idp.sandbox.invalid/authorize?state="
)

func (s *cloudreve) vasSettings(out *cloudreveapi.SiteConfig) {
	out.Payment = &cloudreveapi.PaymentSetting{CurrencyCode: "USD", CurrencyMark: "$", CurrencyUnit: 100, Providers: []cloudreveapi.PaymentProvider{stripeLike}}
	out.PointEnabled, out.PointPrice, out.ShopNavEnabled = values.Ptr(true), values.Ptr(int64(pointPrice)), values.Ptr(true)
	out.StorageProducts = &[]cloudreveapi.StorageProduct{storagePack}
	out.GroupSkus = &[]cloudreveapi.GroupSKU{membership}
}

// ListAvailableStoragePolicies is GET /user/setting/policies.
func (s *cloudreve) ListAvailableStoragePolicies(ctx context.Context, req cloudreveapi.ListAvailableStoragePoliciesRequestObject) (cloudreveapi.ListAvailableStoragePoliciesResponseObject, error) {
	out := []cloudreveapi.StoragePolicy{{Id: s.ids.encode(kindPolicy, 1), Name: "Default storage policy", Type: cloudreveapi.Local, MaxSize: 0, Relay: values.Ptr(false)}}
	return cloudreveapi.ListAvailableStoragePolicies200JSONResponse{Data: &out}, nil
}

// ListAvailableNodes is GET /user/setting/nodes.
func (s *cloudreve) ListAvailableNodes(ctx context.Context, req cloudreveapi.ListAvailableNodesRequestObject) (cloudreveapi.ListAvailableNodesResponseObject, error) {
	out := []cloudreveapi.Node{{Id: s.ids.encode(kindNode, 1), Name: "Master", Type: cloudreveapi.Master, Capabilities: boolset.Encode(1, 2, 3)}}
	return cloudreveapi.ListAvailableNodes200JSONResponse{Data: &out}, nil
}

// CheckGiftCode is GET /vas/giftcode/{code}.
func (s *cloudreve) CheckGiftCode(ctx context.Context, req cloudreveapi.CheckGiftCodeRequestObject) (cloudreveapi.CheckGiftCodeResponseObject, error) {
	credits, aerr := s.store.giftCredits(req.Code)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CheckGiftCode200JSONResponse{Data: &cloudreveapi.GiftCodeInfo{Name: "Credits", Qyt: int(credits)}}, nil
}

// RedeemGiftCode is POST /vas/giftcode/{code}/redeem.
func (s *cloudreve) RedeemGiftCode(ctx context.Context, req cloudreveapi.RedeemGiftCodeRequestObject) (cloudreveapi.RedeemGiftCodeResponseObject, error) {
	if aerr := s.store.redeemGift(caller(ctx), req.Code); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.RedeemGiftCode200JSONResponse{}, nil
}

// CreatePayment is PUT /vas/payment. Credits pay at once; a provider gets
// a checkout URL and the order waits for MarkPaid.
func (s *cloudreve) CreatePayment(ctx context.Context, req cloudreveapi.CreatePaymentRequestObject) (cloudreveapi.CreatePaymentResponseObject, error) {
	b := req.Body
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired() // guests may buy only paid share links, which the sandbox has none of
	}
	if b.Quantity < 1 {
		return nil, bindErr("Quantity too short")
	}
	byCredits := b.ProviderId == nil || *b.ProviderId == ""
	if !byCredits && *b.ProviderId != stripeLike.Id {
		return nil, fail(upstream.CodeParamError, "Payment provider not found")
	}
	p := &payment{owner: u, json: cloudreveapi.Payment{Qyt: b.Quantity, ProductType: b.Product.Type, PriceOneUnit: 100}}
	var unitPrice, unitPoints int64
	switch b.Product.Type {
	case cloudreveapi.PaymentProductTypeStoragePack, cloudreveapi.PaymentProductTypeGroup:
		sku := ""
		if b.Product.SkuId != nil {
			sku = *b.Product.SkuId
		}
		switch {
		case b.Product.Type == cloudreveapi.PaymentProductTypeStoragePack && sku == storagePack.Id:
			p.json.Name, unitPrice, unitPoints = storagePack.Name, storagePack.Price, *storagePack.Points
		case b.Product.Type == cloudreveapi.PaymentProductTypeGroup && sku == membership.Id:
			p.json.Name, unitPrice, unitPoints = membership.Name, membership.Price, *membership.Points
		default:
			return nil, fail(upstream.CodeParamError, "Product not found")
		}
	case cloudreveapi.PaymentProductTypePoints:
		if byCredits {
			return nil, fail(upstream.CodeParamError, "Credits cannot buy credits")
		}
		p.json.Name, unitPrice, p.credit = "Credits", pointPrice, int64(b.Quantity)
	default:
		return nil, fail(upstream.CodeParamError, "Product not found")
	}
	now := time.Now()
	p.json.CreatedAt, p.json.UpdatedAt = now, now
	p.json.TradeNo = now.Format("20060102150405") + randomDigits(12)
	step := cloudreveapi.PaymentRequest{}
	if byCredits {
		p.json.PriceUnit, p.json.Status = values.Ptr(unitPoints), cloudreveapi.PaymentStatusFulfilled
		step.PaymentNeeded = values.Ptr(false)
	} else {
		p.json.PriceUnit, p.json.PriceId, p.json.PriceMark = values.Ptr(unitPrice), values.Ptr("USD"), values.Ptr("$")
		p.json.Status = cloudreveapi.PaymentStatusCreated
		step.PaymentNeeded, step.Url, step.QrCodePreferred = values.Ptr(true), values.Ptr(checkoutHost+p.json.TradeNo), values.Ptr(false)
	}
	order, aerr := s.store.placeOrder(p, byCredits, unitPoints*int64(b.Quantity))
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CreatePayment200JSONResponse{Data: &cloudreveapi.CreatePaymentResult{Payment: order, Request: step}}, nil
}

// GetPaymentStatus is GET /vas/payment/status/{id}/{trade_no}.
func (s *cloudreve) GetPaymentStatus(ctx context.Context, req cloudreveapi.GetPaymentStatusRequestObject) (cloudreveapi.GetPaymentStatusResponseObject, error) {
	id, ok := s.ids.decode(kindPayment, req.Id)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	out, aerr := s.store.paymentStatus(id, req.TradeNo)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.GetPaymentStatus200JSONResponse{Data: &out}, nil
}

// cursorPage cuts a newest-first list of n items at a base64 offset token.
func cursorPage(n, size int, token *string) (from, to int, next *string, aerr *apiError) {
	if token != nil && *token != "" {
		raw, err := base64.StdEncoding.DecodeString(*token)
		off, err2 := strconv.Atoi(string(raw))
		if err != nil || err2 != nil || off < 0 {
			return 0, 0, nil, fail(upstream.CodeDBError, "Invalid page token")
		}
		from = min(off, n)
	}
	to = min(from+size, n)
	if to < n {
		next = values.Ptr(base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(to))))
	}
	return from, to, next, nil
}

// ListCreditChanges is GET /user/creditChanges.
func (s *cloudreve) ListCreditChanges(ctx context.Context, req cloudreveapi.ListCreditChangesRequestObject) (cloudreveapi.ListCreditChangesResponseObject, error) {
	if req.Params.PageSize < 10 {
		return nil, bindErr("PageSize too short")
	}
	all := s.store.creditChanges(caller(ctx))
	if req.Params.OrderDirection != nil && *req.Params.OrderDirection == cloudreveapi.ListCreditChangesParamsOrderDirectionDesc {
		for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
			all[i], all[j] = all[j], all[i]
		}
	}
	from, to, next, aerr := cursorPage(len(all), req.Params.PageSize, req.Params.NextPageToken)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.ListCreditChanges200JSONResponse{Data: &cloudreveapi.ListCreditChangesResult{
		Changes: all[from:to], Pagination: cloudreveapi.PaginationResults{PageSize: req.Params.PageSize, NextToken: next, IsCursor: values.Ptr(true)},
	}}, nil
}

// ListPayments is GET /user/payments.
func (s *cloudreve) ListPayments(ctx context.Context, req cloudreveapi.ListPaymentsRequestObject) (cloudreveapi.ListPaymentsResponseObject, error) {
	if req.Params.PageSize < 10 {
		return nil, bindErr("PageSize too short")
	}
	desc := req.Params.OrderDirection != nil && *req.Params.OrderDirection == cloudreveapi.ListPaymentsParamsOrderDirectionDesc
	mine := s.store.paymentsOf(caller(ctx), desc)
	from, to, next, aerr := cursorPage(len(mine), req.Params.PageSize, req.Params.NextPageToken)
	if aerr != nil {
		return nil, aerr
	}
	out := append([]cloudreveapi.Payment{}, mine[from:to]...)
	return cloudreveapi.ListPayments200JSONResponse{Data: &cloudreveapi.ListPaymentsResult{
		Payments: out, Pagination: cloudreveapi.PaginationResults{PageSize: req.Params.PageSize, NextToken: next, IsCursor: values.Ptr(true)},
	}}, nil
}

// PrepareOpenIdSignIn is PUT /session/openid: the provider's sign-in URL.
func (s *cloudreve) PrepareOpenIdSignIn(ctx context.Context, req cloudreveapi.PrepareOpenIdSignInRequestObject) (cloudreveapi.PrepareOpenIdSignInResponseObject, error) {
	b := req.Body
	if b.Provider < 0 || b.Provider > 2 {
		return nil, bindErr("")
	}
	var linking *user
	if b.Linking != nil && *b.Linking {
		if linking = caller(ctx); linking == nil {
			return nil, errLoginRequired()
		}
	}
	id := s.store.startOpenID(int(b.Provider), linking)
	url := identityIssue + id
	return cloudreveapi.PrepareOpenIdSignIn200JSONResponse{Data: &url}, nil
}

// FinishOpenIdSignIn is POST /session/openid: it signs in the account
// linked to the identity (creating one on first sign-in), or links the
// identity to the account that started a linking flow (no data then).
func (s *cloudreve) FinishOpenIdSignIn(ctx context.Context, req cloudreveapi.FinishOpenIdSignInRequestObject) (cloudreveapi.FinishOpenIdSignInResponseObject, error) {
	b := req.Body
	if b.Code == "" || b.SessionId == "" {
		return nil, bindErr("Code cannot be empty")
	}
	u, aerr := s.store.finishOpenID(b.SessionId, b.Code, int(b.ProviderId))
	if aerr != nil {
		return nil, aerr
	}
	if u == nil { // a linking flow
		return cloudreveapi.FinishOpenIdSignIn200JSONResponse{}, nil
	}
	tok, err := s.issue(u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.FinishOpenIdSignIn200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(u), Token: tok}}, nil
}

// UnlinkOpenId is DELETE /session/openid/{provider_id}.
func (s *cloudreve) UnlinkOpenId(ctx context.Context, req cloudreveapi.UnlinkOpenIdRequestObject) (cloudreveapi.UnlinkOpenIdResponseObject, error) {
	if aerr := s.store.unlinkOpenID(caller(ctx), int(req.ProviderId)); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UnlinkOpenId200JSONResponse{}, nil
}

// ListUsersShareLinks is GET /user/shares/{user_id}: the owner's links
// without a password (all of them when the owner chose all_share), locked,
// cursor-paginated; shares is null when there are none.
func (s *cloudreve) ListUsersShareLinks(ctx context.Context, req cloudreveapi.ListUsersShareLinksRequestObject) (cloudreveapi.ListUsersShareLinksResponseObject, error) {
	q := req.Params
	if q.PageSize < 10 {
		return nil, bindErr("PageSize too short")
	}
	if q.PageSize > 100 {
		return nil, bindErr("PageSize too long")
	}
	owner, aerr := s.store.userByPathID(req.UserId)
	if aerr != nil {
		return nil, aerr
	}
	if owner == nil || owner.st.active() != nil {
		return nil, fail(upstream.CodeDBError, "Failed to get user")
	}
	level := owner.st.snapshot().shareLevel
	if level == cloudreveapi.HideShare {
		return nil, fail(upstream.CodeParamError, "User has disabled share links in profile")
	}
	var cur shareCursor
	if q.NextPageToken != nil && *q.NextPageToken != "" && !decodeCursor(*q.NextPageToken, &cur) {
		return nil, fail(upstream.CodeDBError, "Invalid next page token")
	}
	viewer := caller(ctx)
	shown := s.store.shareViews(func(sh *share) bool {
		return sh.owner == owner && sh.id > cur.After && (sh.password == "" || level == cloudreveapi.AllShare)
	})
	page := shown[:min(q.PageSize, len(shown))]
	out := cloudreveapi.ListShareResponse{Pagination: cloudreveapi.PaginationResults{PageSize: q.PageSize, IsCursor: values.Ptr(true)}}
	if len(shown) > len(page) {
		out.Pagination.NextToken = values.Ptr(encodeCursor(shareCursor{After: page[len(page)-1].id}))
	}
	var by *cloudreveapi.ListMyShareLinksParamsOrderBy
	if q.OrderBy != nil {
		by = values.Ptr(cloudreveapi.ListMyShareLinksParamsOrderBy(*q.OrderBy))
	}
	var dir *cloudreveapi.ListMyShareLinksParamsOrderDirection
	if q.OrderDirection != nil {
		dir = values.Ptr(cloudreveapi.ListMyShareLinksParamsOrderDirection(*q.OrderDirection))
	}
	sortShares(page, by, dir)
	if len(page) > 0 {
		list := make([]cloudreveapi.Share, 0, len(page))
		base := baseURL(request(ctx))
		for _, sh := range page {
			list = append(list, s.shareJSON(base, sh, viewer, false)) // the locked form
		}
		out.Shares = &list
	}
	return cloudreveapi.ListUsersShareLinks200JSONResponse{Data: &out}, nil
}
