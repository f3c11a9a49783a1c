// pulumi-language-nodejs: a small Node.js language host for the Pulumi engine.
//
// Pulumi's own host is a Go module that our module proxy does not serve, so this is
// our own: the engine starts it with its address as the last argument, it prints the
// port it serves on, and for Run it starts Node.js with the SDK's own entry point
// (@pulumi/pulumi/cmd/run, from the program's node_modules), which loads the program
// (ts-node for TypeScript) and talks to the engine's resource monitor directly.
// Everything about resources happens between the SDK and the engine; the host only
// launches the program and reports how it ended.
package main

import (
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

func main() {
	langhost.Main("pulumi-language-nodejs", func(base langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &languageHost{Base: base}
	})
}
