package sandbox

import (
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// Hooks: ways for a test to seed or inspect the sandbox without going
// through HTTP. Accounts are named by their hashid (the "id" the API shows).

// CreateUser creates an account in the default "User" group and returns its
// id. As on a fresh install, the first account ever created is the
// administrator.
func (s *Server) CreateUser(email, password, nickname string) (string, error) {
	return s.c.store.createUser(email, password, nickname, false)
}

// CreateAdmin creates an account in the "Admin" group and returns its id.
func (s *Server) CreateAdmin(email, password, nickname string) (string, error) {
	return s.c.store.createUser(email, password, nickname, true)
}

// IssueTokens signs a fresh access/refresh pair for an account, as a
// password sign-in would (without counting as one).
func (s *Server) IssueTokens(userID string) (access, refresh string, err error) {
	return s.c.issueTokens(userID)
}

// WriteFile stores content at a cloudreve://my/... URI of an account,
// creating missing folders, as PUT /file/content would.
func (s *Server) WriteFile(userID, uri string, content []byte) error {
	return s.c.store.seedFile(userID, uri, content)
}

// ReadFile returns the current content of a file of an account.
func (s *Server) ReadFile(userID, uri string) ([]byte, error) {
	return s.c.store.fileContent(userID, uri)
}

// SetDownloaderFiles makes the simulated downloader produce these files
// (relative paths under the task's dst → content) for a remote-download
// source URL. Files left out of a later selectFilesToDownload are skipped.
// Sources under DownloaderFailPrefix fail, under DownloaderSlowPrefix stall.
func (s *Server) SetDownloaderFiles(src string, files map[string][]byte) {
	s.c.store.setDownloaderFiles(src, files)
}

// TaskCount is the number of tasks ever created, in any state.
func (s *Server) TaskCount() int {
	return s.c.store.taskCount()
}

// RunningTaskCount is the number of tasks not yet completed, failed or canceled.
func (s *Server) RunningTaskCount() int { return s.c.store.runningTaskCount() }

// Tick is the task queue's polling period in use.
func (s *Server) Tick() time.Duration { return s.c.opts.Tick }

// FileEventSubscribers counts the subscribers of GET /file/events with a
// live connection: a test waits for it before the changes it expects to
// be reported.
func (s *Server) FileEventSubscribers() int { return s.c.store.onlineSubscribers() }

// UploadSessions is the number of upload sessions in progress.
func (s *Server) UploadSessions() int { return s.c.store.uploadSessions() }

// Shares is the number of share links that exist.
func (s *Server) Shares() int { return s.c.store.shares() }

// Pins returns the sidebar pins of an account, as GET /user/me lists them
// (its "pined" field).
func (s *Server) Pins(userID string) []cloudreveapi.PinedFile { return s.c.store.pins(userID) }

// SignInCount is how many sign-ins (password, 2FA, passkey, OpenID) issued a
// token pair; refreshes do not count.
func (s *Server) SignInCount() int { return s.c.store.signInCount() }

// ResetLink returns the secret of the reset link last "mailed" to an
// account, as a test would read it from the mail; "" when none is pending.
func (s *Server) ResetLink(userID string) string { return s.c.store.resetLink(userID) }

// CaptchaAnswer is the text of a CAPTCHA image (Options.Captcha), as a
// person would read it.
func (s *Server) CaptchaAnswer(ticket string) string { return s.c.store.captchaAnswer(ticket) }

// AddGiftCode seeds a gift code worth some credits (pro edition).
func (s *Server) AddGiftCode(code string, credits int64) { s.c.store.addGiftCode(code, credits) }

// MarkPaid completes the checkout of an order (pro edition), as the payment
// provider's webhook would, and fulfils it; false if no such open order.
func (s *Server) MarkPaid(tradeNo string) bool { return s.c.store.markPaid(tradeNo) }

// OpenIDCode plays the identity provider (pro edition): the person behind
// email approved the sign-in of the session in url (PrepareOpenIdSignIn's
// answer); it returns the code the provider's redirect carries, "" for a
// foreign URL.
func (s *Server) OpenIDCode(url, email string) string { return s.c.store.openIDCode(url, email) }
