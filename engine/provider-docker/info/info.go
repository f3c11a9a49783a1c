// Package info maps the upstream Terraform Docker provider onto the Pulumi package
// that @pulumi/docker talks to: package "docker", module "index", standard tokens
// (docker_container -> docker:index/container:Container), with the renames the
// Pulumi SDK uses where an upstream name would collide (docker_image is RemoteImage,
// docker_config is ServiceConfig) and the two Container list names the SDK keeps
// singular. test/engine/providerSchema.test.ts checks every resource and type
// against the installed SDKs.
package info

import (
	"context"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"

	"github.com/terraform-providers/terraform-provider-docker/shim"
)

// Version is the plugin version the npm SDK asks the engine for (@pulumi/docker 5.2.0).
const Version = "5.2.0"

// Provider builds the bridge description; metadata is bridge-metadata.json
// (written by the tfgen step, empty on the tfgen run itself).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	ctx := context.Background()
	sdk := shimv2.NewProvider(shim.NewSDKProvider(Version))
	prov := tfbridge.ProviderInfo{
		P:            pftfbridge.MuxShimWithPF(ctx, sdk, shim.NewFrameworkProvider(Version)),
		Name:         "docker",
		Version:      Version,
		DisplayName:  "Docker",
		Publisher:    "kong-signing-key-host (local build)",
		License:      "Apache-2.0",
		GitHubOrg:    "kreuzwerker",
		Repository:   "https://github.com/pulumi/pulumi-docker",
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_container": {Fields: map[string]*tfbridge.SchemaInfo{
				// The SDK keeps these two list names singular.
				"command":           {Name: "command"},
				"networks_advanced": {Name: "networksAdvanced"},
			}},
			"docker_image":  {Tok: "docker:index/remoteImage:RemoteImage"},
			"docker_config": {Tok: "docker:index/serviceConfig:ServiceConfig"},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_image": {Tok: "docker:index/getRemoteImage:getRemoteImage"},
		},
	}
	prov.MustComputeTokens(tokens.SingleModule("docker_", "index", tokens.MakeStandard("docker")))
	// Like @pulumi/docker: a resource without a name gets "<resource name>-<random>".
	prov.SetAutonaming(255, "-")
	return prov
}
