package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pluginManifest is a Python SDK's pulumi-plugin.json.
type pluginManifest struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

// resourcePlugins reads pulumi-plugin.json of every package in the program's site-packages and
// returns the resource plugins they declare, one per name and version, sorted.
func resourcePlugins(info *pulumirpc.ProgramInfo) ([]*pulumirpc.PluginDependency, error) {
	venv := virtualenv(info)
	if venv == "" {
		return nil, nil
	}
	manifests, err := filepath.Glob(filepath.Join(venv, "lib", "python3*", "site-packages", "*", "pulumi-plugin.json"))
	if err != nil {
		return nil, err
	}
	seen := map[string]*pulumirpc.PluginDependency{}
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
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	plugins := make([]*pulumirpc.PluginDependency, 0, len(keys))
	for _, k := range keys {
		plugins = append(plugins, seen[k])
	}
	return plugins, nil
}
