// pulumi-resource-docker is the resource plugin the engine starts for @pulumi/docker.
// schema.json and bridge-metadata.json are produced by pulumi-tfgen-docker in the
// build folder (outside the repository) before this package is compiled.
package main

import (
	"context"
	_ "embed"

	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"kskh.local/engine/provider-docker/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	pftfbridge.MainWithMuxer(context.Background(), "docker", info.Provider(metadata), schema)
}
