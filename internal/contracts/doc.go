// Package contracts holds the checks the protobuf contracts in proto/ must
// pass beyond buf lint: one pagination dialect and bounded request fields.
// It has no code of its own; its tests read the generated descriptors.
package contracts
