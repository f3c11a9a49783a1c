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
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

func main() {
	engineAddress := ""
	// The engine passes flags first and its own address last.
	for _, arg := range os.Args[1:] {
		if len(arg) > 0 && arg[0] != '-' {
			engineAddress = arg
		}
	}
	host := &languageHost{engineAddress: engineAddress}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}
