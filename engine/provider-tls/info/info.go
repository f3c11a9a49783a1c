// Package info maps the upstream Terraform TLS provider onto the Pulumi package
// that @pulumi/tls talks to: package "tls", one module "index", standard tokens
// (tls_private_key -> tls:index/privateKey:PrivateKey) and the bridge's default
// property names (private_key_pem_pkcs8 -> privateKeyPemPkcs8).
package info

import (
	"context"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"

	"github.com/hashicorp/terraform-provider-tls/shim"
)

// Version is the plugin version the npm SDK asks the engine for (@pulumi/tls 5.6.1).
const Version = "5.6.1"

// Provider builds the bridge description; metadata is bridge-metadata.json
// (written by the tfgen step, empty on the tfgen run itself).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:            pftfbridge.ShimProviderWithContext(context.Background(), shim.NewProvider()),
		Name:         "tls",
		Version:      Version,
		DisplayName:  "TLS",
		Publisher:    "kong-signing-key-host (local build)",
		License:      "Apache-2.0",
		GitHubOrg:    "hashicorp",
		Repository:   "https://github.com/pulumi/pulumi-tls",
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
	}
	prov.MustComputeTokens(tokens.SingleModule("tls_", "index", tokens.MakeStandard("tls")))
	return prov
}
