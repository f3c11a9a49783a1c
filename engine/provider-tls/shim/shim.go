// Package shim exposes the upstream Terraform TLS provider, whose constructor lives
// in an internal package: only code under the upstream module's import path may
// import it, so this module takes that path (the wrapper replaces it with this folder).
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	upstream "github.com/hashicorp/terraform-provider-tls/internal/provider"
)

// NewProvider returns the upstream plugin-framework provider.
func NewProvider() provider.Provider { return upstream.New() }
