// pulumi-tfgen-docker writes the Pulumi package schema and bridge metadata of our
// Docker provider build (run as: pulumi-tfgen-docker schema --out DIR).
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"kskh.local/engine/provider-docker/info"
)

func main() {
	prov := info.Provider(nil)
	// tfgen writes the metadata file next to the schema.
	prov.MetadataInfo.Path = "bridge-metadata.json"
	pftfgen.MainWithMuxer("docker", prov)
}
