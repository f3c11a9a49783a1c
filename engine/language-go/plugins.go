package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pluginManifest is a Go SDK's pulumi-plugin.json.
type pluginManifest struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

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
	seen := map[string]*pulumirpc.PluginDependency{}
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
		manifests, err := filepath.Glob(filepath.Join(module.Dir, "*", "pulumi-plugin.json"))
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(filepath.Join(module.Dir, "pulumi-plugin.json")); err == nil {
			manifests = append(manifests, filepath.Join(module.Dir, "pulumi-plugin.json"))
		}
		for _, path := range manifests {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			var m pluginManifest
			if json.Unmarshal(data, &m) != nil || !m.Resource || m.Name == "" {
				continue
			}
			version := m.Version
			if version != "" && !strings.HasPrefix(version, "v") {
				version = "v" + version
			}
			seen[m.Name+"@"+version] = &pulumirpc.PluginDependency{Name: m.Name, Kind: "resource", Version: version, Server: m.Server}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	plugins := make([]*pulumirpc.PluginDependency, 0, len(keys))
	for _, k := range keys {
		plugins = append(plugins, seen[k])
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}
