// pulumi-language-go: a small Go language host for the Pulumi engine.
//
// Pulumi's own host (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is a Go module our module
// proxy does not serve, so this is our own, like engine/language-nodejs and engine/language-python. It
// does what a Go stack that uses a component package needs: generate and link a package's Go SDK
// (`pulumi package add`, with Pulumi's own Go code generator), list the resource plugins the program's
// modules declare, and build and run the program, which the Go SDK connects to the engine itself.
package main

import (
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

func main() {
	langhost.Main("pulumi-language-go", func(base langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &languageHost{Base: base}
	})
}
