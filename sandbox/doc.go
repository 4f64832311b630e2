// Package sandbox is an in-memory Cloudreve v4 server for tests, in the
// spirit of miniredis or fake-gcs-server: start one per test, talk to it
// over real HTTP with any Cloudreve client, and steer it from the test.
//
//	sb := sandbox.Start(t, sandbox.Options{})        // random loopback port, closed by t.Cleanup
//	id, _ := sb.CreateUser("ann@example.com", "pw", "Ann")
//	access, _, _ := sb.IssueTokens(id)               // or sign in: POST sb.APIURL()+"/session/token"
//
// The command cmd/cloudreve-sandbox serves the same thing on an address for
// tests in other languages.
//
// # What it imitates
//
// It implements the strict-server interface generated from the OpenAPI
// description of Cloudreve's API (openapi/cloudreve.yaml), so routes,
// parameters and payloads cannot drift from that contract. Behaviour follows
// what real servers were observed to do, compared against community 4.0.0
// and 4.18.0 (Options.Version picks one; versions.go lists the differences);
// the commercial edition's operations (Options.Edition "pro") follow the
// spec and its source rather than a live server. It answers JSON envelopes with
// HTTP 200 and Cloudreve's error codes, text/plain 404 for unknown routes and
// for commercial-only operations on community, guest fallback for bad tokens,
// hashid object IDs, JWT access/refresh pairs, cursor (or offset)
// pagination, the upload chunk rules, local and S3-style uploads, share links
// and the share filesystem, direct links, file versions, trash, 2FA (TOTP),
// CAPTCHA, e-mail activation and reset links, WebDAV accounts,
// background tasks (archive, extract, relocate, import, remote download)
// whose timelines advance on the task queue's polls, and the undocumented
// server-sent file events of GET /file/events (debounced and merged per
// subscriber, resumed by client id, Options.EventDebounce).
//
// # What it does not
//
//   - No storage policies but the default one: content lives in memory, in
//     the process; "s3" is imitated by a bucket the sandbox serves itself.
//   - No signature checks on passkeys (WebAuthn): the ceremony's bookkeeping
//     is real, the cryptography is not; PasskeyAttestation and
//     PasskeyAssertion build what a browser would send.
//   - No aria2 or qBittorrent: remote downloads are simulated (remote.go;
//     SetDownloaderFiles, DownloaderFailPrefix, DownloaderSlowPrefix).
//   - No e-mail, no OAuth/OpenID provider, no payment provider: hooks play
//     them (ResetLink, OpenIDCode, MarkPaid).
//   - No WebDAV protocol endpoint (/dav), only the management of WebDAV
//     accounts; of the admin API (/admin/...) only the task listing (POST
//     /admin/queue, admin.go); file events follow the caller's own drive
//     only (not shares or shared_with_me);
//     no real thumbnails (an image is its own thumbnail) and no WOPI or
//     document viewers beyond the built-in ones.
//   - The clock is the wall clock: Tick scales every timeline (the real
//     queue polls every 10 s, the sandbox every second by default), and
//     Pause, Step and Drain move the queue by hand.
//
// # Steering it from a test
//
// Hooks seed and inspect state without HTTP (hooks.go): CreateUser,
// CreateAdmin, IssueTokens, WriteFile, ReadFile, SetDownloaderFiles and
// counters. The task queue can be paused and polled by hand (Pause, Resume,
// Step, Drain). InjectFault makes an operation fail with a Cloudreve code or
// an HTTP status, or answer late, for the next N calls.
//
// # Layout
//
// The public API is in server.go (Server, Start, NewServer, New, the queue
// and faults), options.go and hooks.go. Behind it, one unexported type,
// cloudreve (sandbox.go: state, routing), implements every operation; its
// state is guarded by one mutex, and each file owns one area, handlers and
// the state helpers they use:
//
//	envelope.go   answers, errors, request context
//	spec.go       the operation table read from the embedded spec
//	faults.go     injected faults
//	queue.go      the task queue's polls, pause and manual steps
//	hashid.go     object IDs
//	auth.go       accounts and sign-in; tokens.go JWTs
//	accounts.go   preferences, 2FA, reset links (with totp.go); passkeys.go; avatar.go
//	fs.go         the in-memory file tree
//	files.go      create, read, write, delete; list.go listings and search
//	manage.go     move, rename, restore, unlock, metadata, views, pins, versions
//	links.go      direct links, thumbnails, archive listings, viewer sessions
//	download.go   signed download URLs; upload.go upload sessions
//	callbacks.go  storage callbacks and the stand-in S3 bucket
//	shares.go     share links and the share filesystem; drive.go their state
//	tasks.go      task model, list, progress, cancel; workflow.go task creation
//	admin.go      the administrators' task listing
//	runners.go    task timelines; remote.go the simulated downloader
//	site.go       site settings, CAPTCHA; webdav.go WebDAV accounts
//	events.go     GET /file/events; eventhub.go its subscribers, debounce and merging
//	pro.go, vas.go  commercial-edition operations
//	misc.go       small extra operations; unimplemented.go (empty: all served)
//	versions.go   the releases imitated and what differs
package sandbox
