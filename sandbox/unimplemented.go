package sandbox

// Operations the sandbox does not serve yet would live here, answering code
// 50005 "not implemented by the sandbox" (HTTP 200); commercial-only ones
// never reach the handler on a community sandbox, which answers them with a
// text/plain 404 like a real community server. Every operation of the spec
// is served now: to add a new one, give its method a body in the file of its
// area.
