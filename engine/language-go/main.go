// pulumi-language-go: a small Go language host for the Pulumi engine.
//
// Pulumi's own host (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is a Go module our module
// proxy does not serve, so this is our own, like engine/language-nodejs and engine/language-python. It
// does what a Go stack that uses a component package needs: generate and link a package's Go SDK
// (`pulumi package add`, with Pulumi's own Go code generator), list the resource plugins the program's
// modules declare, and build and run the program, which the Go SDK connects to the engine itself.
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
		fmt.Fprintf(os.Stderr, "pulumi-language-go: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-go: %v\n", err)
		os.Exit(1)
	}
}
