// Package auth carries the caller's Cloudreve credentials from the incoming
// RPC to the upstream REST call, and runs the optional service account: the
// facade signs in with configured credentials, refreshes its token before it
// expires, and once more when the upstream answers 401 anyway.
package auth
