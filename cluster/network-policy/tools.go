//go:build tools

// Package tools pins kube-router's main package (NetworkPolicy enforced with iptables and ipset; run with
// only its firewall on) so `go build` can build it from this module at the version in go.mod.
package tools

import _ "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"
