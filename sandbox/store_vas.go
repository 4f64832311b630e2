package sandbox

import (
	"net/mail"
	"sort"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// The commercial edition's account state: credits and their history, orders,
// gift codes, and identities linked through OpenID providers. All of it is
// in accountStore, under its mu.

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

// addGiftCode seeds a gift code worth some credits.
func (st *store) addGiftCode(code string, credits int64) {
	a := st.accounts()
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

// creditLocked changes a balance and records why; a.mu is held.
func (a *accountStore) creditLocked(u *user, diff int64, reason string) {
	u.st.mu.Lock()
	u.st.credit += diff
	u.st.mu.Unlock()
	a.changes[u] = append(a.changes[u], cloudreveapi.CreditChange{ChangedAt: time.Now(), Diff: diff, Reason: reason})
}

// markPaid completes the checkout of an order, as the provider's webhook
// would, and fulfils it.
func (st *store) markPaid(tradeNo string) bool {
	a := st.accounts()
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

// openIDCode plays the identity provider: the person behind email approved
// the sign-in of the session in url (PrepareOpenIdSignIn's answer); it
// returns the code the provider's redirect carries, "" for a foreign URL.
func (st *store) openIDCode(url, email string) string {
	id, ok := strings.CutPrefix(url, identityIssue)
	if !ok {
		return ""
	}
	code := b64url(randomBytes(16))
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.codes[code] = openIDCode{session: id, subject: strings.ToLower(email)}
	return code
}

// giftCredits is what an unused gift code is worth.
func (st *store) giftCredits(code string) (int64, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	g, aerr := a.gift(code)
	if aerr != nil {
		return 0, aerr
	}
	return g.credits, nil
}

// redeemGift uses a gift code up for the credits of u.
func (st *store) redeemGift(u *user, code string) *apiError {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	g, aerr := a.gift(code)
	if aerr != nil {
		return aerr
	}
	g.used = true
	a.creditLocked(u, g.credits, "Gift code")
	return nil
}

// placeOrder records an order of its owner; one paid by credits (cost, in
// credits) is paid at once, or refused when the balance is short.
func (st *store) placeOrder(p *payment, byCredits bool, cost int64) (cloudreveapi.Payment, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	if byCredits {
		p.owner.st.mu.Lock()
		enough := p.owner.st.credit >= cost
		p.owner.st.mu.Unlock()
		if !enough {
			return cloudreveapi.Payment{}, fail(upstream.CodeInsufficientCredit, "Insufficient credits")
		}
		a.creditLocked(p.owner, -cost, "Purchase: "+p.json.Name)
	}
	st.mu.Lock()
	p.id, p.json.Id = st.nextID(kindPayment)
	st.mu.Unlock()
	a.payments[p.id] = p
	return p.json, nil
}

// paymentStatus is an order as its trade number shows it.
func (st *store) paymentStatus(id int64, tradeNo string) (cloudreveapi.Payment, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.payments[id]
	if p == nil || p.json.TradeNo != tradeNo {
		return cloudreveapi.Payment{}, fail(upstream.CodeNotFound, "Payment not found")
	}
	return p.json, nil
}

// creditChanges is the credit history of u, oldest first.
func (st *store) creditChanges(u *user) []cloudreveapi.CreditChange {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]cloudreveapi.CreditChange{}, a.changes[u]...)
}

// paymentsOf lists the orders of u by id.
func (st *store) paymentsOf(u *user, newestFirst bool) []cloudreveapi.Payment {
	a := st.accounts()
	a.mu.Lock()
	var mine []*payment
	for _, p := range a.payments {
		if p.owner == u {
			mine = append(mine, p)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return (mine[i].id < mine[j].id) != newestFirst })
	out := make([]cloudreveapi.Payment, len(mine))
	for i, p := range mine {
		out[i] = p.json
	}
	a.mu.Unlock()
	return out
}

// startOpenID opens a sign-in (or, with linking set, a linking) session
// with a provider and returns its id.
func (st *store) startOpenID(provider int, linking *user) string {
	id := newUUID()
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.openID[id] = &openIDSession{provider: provider, linking: linking, until: time.Now().Add(10 * time.Minute)}
	return id
}

// finishOpenID exchanges a provider's code. A sign-in answers the account
// linked to the identity (created on first sign-in) and counts; a linking
// flow links the identity to its account and answers nil.
func (st *store) finishOpenID(sessionID, code string, provider int) (*user, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	sess := a.openID[sessionID]
	c, codeOK := a.codes[code]
	delete(a.codes, code)
	a.mu.Unlock()
	switch {
	case sess == nil || time.Now().After(sess.until):
		return nil, fail(upstream.CodeNotFound, "Sign-in session not exist")
	case !codeOK || c.session != sessionID || sess.provider != provider:
		return nil, fail(upstream.CodeCredentialInvalid, "Failed to exchange the code")
	}
	key := openIDKey{provider: sess.provider, subject: c.subject}
	a.mu.Lock()
	delete(a.openID, sessionID)
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
		return nil, nil
	}
	u := linked
	if u == nil {
		if addr, err := mail.ParseAddress(c.subject); err != nil || addr.Address != c.subject {
			return nil, fail(upstream.CodeParamError, "The provider gave no usable e-mail")
		}
		st.mu.Lock()
		u = st.byEmail[c.subject]
		if u == nil {
			var err error
			if u, err = st.createUserLocked(c.subject, b64url(randomBytes(24)), ""); err != nil {
				st.mu.Unlock()
				return nil, fail(upstream.CodeDBError, "Failed to create user")
			}
		}
		st.mu.Unlock()
		a.mu.Lock()
		a.links[key] = u
		a.mu.Unlock()
	}
	a.countSignIn()
	return u, nil
}

// unlinkOpenID unlinks the identity of u at a provider.
func (st *store) unlinkOpenID(u *user, provider int) *apiError {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, v := range a.links {
		if v == u && k.provider == provider {
			delete(a.links, k)
			return nil
		}
	}
	return fail(upstream.CodeOpenIDNotLinked, "This provider is not linked")
}
