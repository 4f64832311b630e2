package sandbox

import (
	"context"
	"encoding/base64"
	"net/mail"
	"sort"
	"strconv"
	"strings"
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

type payment struct {
	id     int64
	owner  *user
	json   cloudreveapi.Payment
	credit int64 // credits the order grants once paid
}

type giftCode struct {
	credits int64
	used    bool
}

type openIDKey struct {
	provider int
	subject  string // the identity's e-mail at the provider
}

type openIDSession struct {
	provider int
	linking  *user
	until    time.Time
}

type openIDCode struct {
	session string
	subject string
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

// addGiftCode seeds a gift code worth some credits.
func (s *cloudreve) addGiftCode(code string, credits int64) {
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.gifts[code] = &giftCode{credits: credits}
}

func (a *accountStore) gift(code string) (*giftCode, *apiError) {
	g := a.gifts[code]
	if g == nil || g.used {
		return nil, fail(upstream.CodeInvalidGiftCode, "Invalid gift code")
	}
	return g, nil
}

// CheckGiftCode is GET /vas/giftcode/{code}.
func (s *cloudreve) CheckGiftCode(ctx context.Context, req cloudreveapi.CheckGiftCodeRequestObject) (cloudreveapi.CheckGiftCodeResponseObject, error) {
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	g, aerr := a.gift(req.Code)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CheckGiftCode200JSONResponse{Data: &cloudreveapi.GiftCodeInfo{Name: "Credits", Qyt: int(g.credits)}}, nil
}

// RedeemGiftCode is POST /vas/giftcode/{code}/redeem.
func (s *cloudreve) RedeemGiftCode(ctx context.Context, req cloudreveapi.RedeemGiftCodeRequestObject) (cloudreveapi.RedeemGiftCodeResponseObject, error) {
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	g, aerr := a.gift(req.Code)
	if aerr != nil {
		return nil, aerr
	}
	g.used = true
	a.creditLocked(caller(ctx), g.credits, "Gift code")
	return cloudreveapi.RedeemGiftCode200JSONResponse{}, nil
}

// creditLocked changes a balance and records why; a.mu is held.
func (a *accountStore) creditLocked(u *user, diff int64, reason string) {
	u.st.mu.Lock()
	u.st.credit += diff
	u.st.mu.Unlock()
	a.changes[u] = append(a.changes[u], cloudreveapi.CreditChange{ChangedAt: time.Now(), Diff: diff, Reason: reason})
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
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	if byCredits {
		cost := unitPoints * int64(b.Quantity)
		u.st.mu.Lock()
		enough := u.st.credit >= cost
		u.st.mu.Unlock()
		if !enough {
			return nil, fail(upstream.CodeInsufficientCredit, "Insufficient credits")
		}
		a.creditLocked(u, -cost, "Purchase: "+p.json.Name)
		p.json.PriceUnit, p.json.Status = values.Ptr(unitPoints), cloudreveapi.PaymentStatusFulfilled
		step.PaymentNeeded = values.Ptr(false)
	} else {
		p.json.PriceUnit, p.json.PriceId, p.json.PriceMark = values.Ptr(unitPrice), values.Ptr("USD"), values.Ptr("$")
		p.json.Status = cloudreveapi.PaymentStatusCreated
		step.PaymentNeeded, step.Url, step.QrCodePreferred = values.Ptr(true), values.Ptr(checkoutHost+p.json.TradeNo), values.Ptr(false)
	}
	s.mu.Lock()
	p.id, p.json.Id = s.nextID(kindPayment)
	s.mu.Unlock()
	a.payments[p.id] = p
	return cloudreveapi.CreatePayment200JSONResponse{Data: &cloudreveapi.CreatePaymentResult{Payment: p.json, Request: step}}, nil
}

// markPaid completes the checkout of an order, as the provider's webhook
// would, and fulfils it.
func (s *cloudreve) markPaid(tradeNo string) bool {
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range a.payments {
		if p.json.TradeNo == tradeNo && p.json.Status == cloudreveapi.PaymentStatusCreated {
			p.json.Status, p.json.UpdatedAt = cloudreveapi.PaymentStatusFulfilled, time.Now()
			if p.credit > 0 {
				a.creditLocked(p.owner, p.credit, "Bought credits")
			}
			return true
		}
	}
	return false
}

// GetPaymentStatus is GET /vas/payment/status/{id}/{trade_no}.
func (s *cloudreve) GetPaymentStatus(ctx context.Context, req cloudreveapi.GetPaymentStatusRequestObject) (cloudreveapi.GetPaymentStatusResponseObject, error) {
	id, ok := s.ids.decode(kindPayment, req.Id)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.payments[id]
	if p == nil || p.json.TradeNo != req.TradeNo {
		return nil, fail(upstream.CodeNotFound, "Payment not found")
	}
	out := p.json
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
	a := s.accounts()
	a.mu.Lock()
	all := append([]cloudreveapi.CreditChange{}, a.changes[caller(ctx)]...)
	a.mu.Unlock()
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
	u := caller(ctx)
	a := s.accounts()
	a.mu.Lock()
	var mine []*payment
	for _, p := range a.payments {
		if p.owner == u {
			mine = append(mine, p)
		}
	}
	a.mu.Unlock()
	desc := req.Params.OrderDirection != nil && *req.Params.OrderDirection == cloudreveapi.ListPaymentsParamsOrderDirectionDesc
	sort.Slice(mine, func(i, j int) bool { return (mine[i].id < mine[j].id) != desc })
	from, to, next, aerr := cursorPage(len(mine), req.Params.PageSize, req.Params.NextPageToken)
	if aerr != nil {
		return nil, aerr
	}
	out := []cloudreveapi.Payment{}
	for _, p := range mine[from:to] {
		out = append(out, p.json)
	}
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
	sess := &openIDSession{provider: int(b.Provider), until: time.Now().Add(10 * time.Minute)}
	if b.Linking != nil && *b.Linking {
		if sess.linking = caller(ctx); sess.linking == nil {
			return nil, errLoginRequired()
		}
	}
	id := newUUID()
	a := s.accounts()
	a.mu.Lock()
	a.openID[id] = sess
	a.mu.Unlock()
	url := identityIssue + id
	return cloudreveapi.PrepareOpenIdSignIn200JSONResponse{Data: &url}, nil
}

// openIDCode plays the identity provider: the person behind email approved
// the sign-in of the session in url (PrepareOpenIdSignIn's answer); it
// returns the code the provider's redirect carries, "" for a foreign URL.
func (s *cloudreve) openIDCode(url, email string) string {
	id, ok := strings.CutPrefix(url, identityIssue)
	if !ok {
		return ""
	}
	code := b64url(randomBytes(16))
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.codes[code] = openIDCode{session: id, subject: strings.ToLower(email)}
	return code
}

// FinishOpenIdSignIn is POST /session/openid: it signs in the account
// linked to the identity (creating one on first sign-in), or links the
// identity to the account that started a linking flow (no data then).
func (s *cloudreve) FinishOpenIdSignIn(ctx context.Context, req cloudreveapi.FinishOpenIdSignInRequestObject) (cloudreveapi.FinishOpenIdSignInResponseObject, error) {
	b := req.Body
	if b.Code == "" || b.SessionId == "" {
		return nil, bindErr("Code cannot be empty")
	}
	a := s.accounts()
	a.mu.Lock()
	sess := a.openID[b.SessionId]
	code, codeOK := a.codes[b.Code]
	delete(a.codes, b.Code)
	a.mu.Unlock()
	switch {
	case sess == nil || time.Now().After(sess.until):
		return nil, fail(upstream.CodeNotFound, "Sign-in session not exist")
	case !codeOK || code.session != b.SessionId || sess.provider != int(b.ProviderId):
		return nil, fail(upstream.CodeCredentialInvalid, "Failed to exchange the code")
	}
	key := openIDKey{provider: sess.provider, subject: code.subject}
	a.mu.Lock()
	delete(a.openID, b.SessionId)
	linked := a.links[key]
	a.mu.Unlock()
	if sess.linking != nil {
		if linked != nil && linked != sess.linking {
			return nil, fail(upstream.CodeOpenIDOtherAccount, "This account is linked to another user")
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		for k, v := range a.links {
			if v == sess.linking && k.provider == sess.provider && k != key {
				return nil, fail(upstream.CodeOpenIDLinked, "This provider is already linked")
			}
		}
		a.links[key] = sess.linking
		return cloudreveapi.FinishOpenIdSignIn200JSONResponse{}, nil
	}
	u := linked
	if u == nil {
		if addr, err := mail.ParseAddress(code.subject); err != nil || addr.Address != code.subject {
			return nil, fail(upstream.CodeParamError, "The provider gave no usable e-mail")
		}
		s.mu.Lock()
		u = s.byEmail[code.subject]
		if u == nil {
			var err error
			if u, err = s.createUserLocked(code.subject, b64url(randomBytes(24)), ""); err != nil {
				s.mu.Unlock()
				return nil, fail(upstream.CodeDBError, "Failed to create user")
			}
		}
		s.mu.Unlock()
		a.mu.Lock()
		a.links[key] = u
		a.mu.Unlock()
	}
	a.countSignIn()
	tok, err := s.issue(u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.FinishOpenIdSignIn200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(u), Token: tok}}, nil
}

// UnlinkOpenId is DELETE /session/openid/{provider_id}.
func (s *cloudreve) UnlinkOpenId(ctx context.Context, req cloudreveapi.UnlinkOpenIdRequestObject) (cloudreveapi.UnlinkOpenIdResponseObject, error) {
	u := caller(ctx)
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, v := range a.links {
		if v == u && k.provider == int(req.ProviderId) {
			delete(a.links, k)
			return cloudreveapi.UnlinkOpenId200JSONResponse{}, nil
		}
	}
	return nil, fail(upstream.CodeOpenIDNotLinked, "This provider is not linked")
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
