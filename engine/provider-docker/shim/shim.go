// Package shim exposes the upstream Terraform Docker provider (kreuzwerker), whose
// constructors live in an internal package: only code under the upstream module's
// import path may import it, so this module takes that path.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	upstream "github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewSDKProvider returns the upstream SDKv2 half (containers, networks, images, ...).
func NewSDKProvider(version string) *schema.Provider { return upstream.New(version)() }

// NewFrameworkProvider returns the upstream plugin-framework half (compose, a few data sources).
func NewFrameworkProvider(version string) provider.Provider {
	return upstream.NewFrameworkProvider(version)()
}
