// pulumi-tfgen-tls writes the Pulumi package schema and bridge metadata of our
// TLS provider build (run as: pulumi-tfgen-tls schema --out DIR).
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"kskh.local/engine/provider-tls/info"
)

func main() {
	prov := info.Provider(nil)
	// tfgen writes the metadata file next to the schema.
	prov.MetadataInfo.Path = "bridge-metadata.json"
	pftfgen.Main("tls", prov)
}
