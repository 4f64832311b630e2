// Package openapi carries the OpenAPI 3.0 description of the Cloudreve v4 REST
// API that everything in gen/cloudreveapi is generated from.
package openapi

import _ "embed"

// Spec is openapi/cloudreve.yaml as committed.
//
//go:embed cloudreve.yaml
var Spec []byte

// EditionExtension marks operations that only the commercial edition serves;
// its value is "pro". A community server answers them with HTTP 404.
const EditionExtension = "x-cloudreve-edition"

// AdminExtension marks the administrators' operations (value true): not in
// the API docs, described from the server's source; any account outside
// the administrators' group gets code 403.
const AdminExtension = "x-cloudreve-admin"
