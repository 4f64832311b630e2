package sandbox

// The site area's state: CAPTCHA tickets and their answers.

// newCaptcha opens a CAPTCHA ticket whose answer is a few digits.
func (st *store) newCaptcha() (ticket, answer string) {
	answer = randomDigits(5)
	ticket = b64url(randomBytes(15))
	a := st.accounts()
	a.mu.Lock()
	a.captchas[ticket] = answer
	a.mu.Unlock()
	return ticket, answer
}

// captchaAnswer is the answer of an open ticket ("" when there is none).
func (st *store) captchaAnswer(ticket string) string {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.captchas[ticket]
}

// takeCaptcha closes a ticket, right or wrong, and returns its answer.
func (st *store) takeCaptcha(ticket string) (answer string, ok bool) {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	answer, ok = a.captchas[ticket]
	delete(a.captchas, ticket)
	return answer, ok
}
