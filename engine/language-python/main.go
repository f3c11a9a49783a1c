// pulumi-language-python: a small Python language host for the Pulumi engine.
//
// Pulumi's own host (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is a Go module
// our module proxy does not serve, so this is our own, like engine/language-nodejs. It does what a
// Python stack that uses a component package needs: install the stack's requirements into its
// virtualenv, list the resource plugins its packages declare, generate and link a package's Python
// SDK (`pulumi package add`), and run the program (exec.py, ours, on the `pulumi` SDK from PyPI).
package main

import (
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

func main() {
	langhost.Main("pulumi-language-python", func(base langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &languageHost{Base: base}
	})
}
