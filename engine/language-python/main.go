// pulumi-language-python: a small Python language host for the Pulumi engine.
//
// Pulumi's own host (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is a Go module
// our module proxy does not serve, so this is our own, like engine/language-nodejs. It does what a
// Python stack that uses a component package needs: install the stack's requirements into its
// virtualenv, list the resource plugins its packages declare, generate and link a package's Python
// SDK (`pulumi package add`), and run the program (exec.py, ours, on the `pulumi` SDK from PyPI).
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
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}
