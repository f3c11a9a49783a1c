//go:build tools

// Package tools pins etcd's main package (the module root) so `go build` can build it from this module at the
// version in go.mod.
package tools

import _ "go.etcd.io/etcd/server/v3"
