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
// and faults), options.go and hooks.go. Behind it, protocol and state are
// kept apart, as in oapi-codegen's strict-server examples:
//
//   - cloudreve (sandbox.go: routing) implements the strict-server interface
//     generated from the spec. Its handlers decode a request, call the
//     store, and encode the answer or the error envelope; they take no lock
//     and read no map of the store. Signing (tokens.go, URL signatures),
//     the envelope (envelope.go), injected faults (faults.go) and the wire
//     forms of answers (fileJSON, taskJSON, shareJSON, ...) are theirs.
//   - store (store.go) owns the state, its locking and every invariant: ids,
//     accounts, the file tree and its versions, upload locks, quotas, shares,
//     task timelines, file events. Its methods speak in domain terms (users,
//     URIs, nodes, tasks), fail with *apiError carrying the Cloudreve code,
//     and answer copies taken under the lock (fileView, taskView,
//     shareLinkView, accountFields: store_views.go and beside each area) so
//     that handlers render them while task runners go on changing the
//     originals. The spec's model types serve as domain values where the
//     real server keeps them as such (task props, explorer views, payments).
//
// Each area has handler files and store files:
//
//	site.go                       store_site.go        settings, CAPTCHA tickets
//	auth.go, tokens.go, accounts.go, avatar.go, totp.go
//	                              store_accounts.go    accounts, groups, lookups
//	                              store_signin.go      2FA sessions, refresh families, reset links
//	                              store_preferences.go preferences, 2FA switch, avatar
//	passkeys.go                   store_passkeys.go    registration and sign-in sessions
//	webdav.go                     store_webdav.go      WebDAV accounts
//	fs.go, files.go               store_files.go       the tree, versions, quotas, writes, deletes
//	                              store_fileops.go     create, info, update, delete
//	list.go                       store_list.go        listings, search, paging (timecursor.go)
//	manage.go                     store_manage.go      move, rename, restore, unlock, metadata,
//	                                                   views, pins, versions
//	upload.go, callbacks.go       store_uploads.go     upload sessions, the stand-in S3 bucket
//	download.go, links.go         store_content.go     download URLs, archives, direct links,
//	                                                   thumbnails, viewers
//	shares.go                     store_shares.go      share links, the share filesystem
//	                              store_drive.go       shares, links, pins, audit trail records
//	tasks.go, workflow.go, admin.go
//	                              store_tasks.go       task model, runners
//	                              store_tasklist.go    queue, list, progress, cancel, select
//	                              store_runners.go     archive, extract, import timelines
//	                              store_downloads.go   the simulated downloader
//	                              store_queue.go       the task queue's polls, pause, steps
//	events.go                     store_events.go      file event subscribers, debounce, merging
//	pro.go                        store_pro.go         activities, permissions, mounts
//	vas.go                        store_vas.go         credits, orders, gift codes, OpenID
//	hooks.go                      store_hooks.go       seeding and reading without HTTP
//
// and beside them envelope.go (answers, errors, request context), spec.go
// (the operation table read from the embedded spec), faults.go (injected
// faults), hashid.go (object IDs), misc.go, unimplemented.go (empty: all
// served) and versions.go (the releases imitated and what differs).
//
// A new operation gets a handler in its area's file and, when it reads or
// changes state, one store method in the area's store file that locks
// store.mu itself (helpers that expect the lock held say "Callers hold
// mu").
package sandbox
