package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// GetRequiredPlugins lists the resource plugins that the program's modules declare: each module
// directory from `go list -m -json all` that has a pulumi-plugin.json (generated SDKs ship one).
func (h *languageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-json", "all")
	cmd.Dir = req.GetInfo().GetProgramDirectory()
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("go list -m all in %s: %s", cmd.Dir, exit.Stderr)
		}
		return nil, err
	}
	plugins := langhost.Plugins{}
	decoder := json.NewDecoder(bytes.NewReader(out))
	for {
		var module struct{ Dir string }
		if err := decoder.Decode(&module); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		if module.Dir == "" {
			continue
		}
		// The module's own manifest, or one in a package folder (where Pulumi's Go generator puts it).
		for _, pattern := range []string{"pulumi-plugin.json", filepath.Join("*", "pulumi-plugin.json")} {
			if err := plugins.AddGlob(filepath.Join(module.Dir, pattern)); err != nil {
				return nil, err
			}
		}
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins.Sorted()}, nil
}
