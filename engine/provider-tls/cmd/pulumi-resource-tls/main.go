// pulumi-resource-tls is the resource plugin the engine starts for @pulumi/tls.
// schema.json and bridge-metadata.json are produced by pulumi-tfgen-tls in the
// build folder (outside the repository) before this package is compiled.
package main

import (
	"context"
	_ "embed"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"kskh.local/engine/provider-tls/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	ctx := context.Background()
	pftfbridge.Main(ctx, "tls", info.Provider(metadata), pftfbridge.ProviderMetadata{PackageSchema: schema})
}
