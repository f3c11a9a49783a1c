package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// packageManifest is the part of an npm package.json that names a resource plugin.
type packageManifest struct {
	Name   string `json:"name"`
	Pulumi *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// resourcePlugins reads every package (scoped or not) directly under the nearest
// node_modules of dir and returns the resource plugins they declare, one per name
// and version, sorted so the engine sees a stable list.
func resourcePlugins(dir string) ([]*pulumirpc.PluginDependency, error) {
	modules, err := findUp(dir, "node_modules")
	if err != nil || modules == "" {
		return nil, err
	}
	plugins := langhost.Plugins{}
	entries, err := os.ReadDir(modules)
	if err != nil {
		return nil, err
	}
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		dirs := []string{filepath.Join(modules, entry.Name())}
		if strings.HasPrefix(entry.Name(), "@") {
			scoped, err := os.ReadDir(dirs[0])
			if err != nil {
				return nil, err
			}
			dirs = dirs[:0]
			for _, s := range scoped {
				dirs = append(dirs, filepath.Join(modules, entry.Name(), s.Name()))
			}
		}
		for _, pkgDir := range dirs {
			if err := addPluginDependency(plugins, pkgDir); err != nil {
				return nil, err
			}
		}
	}
	return plugins.Sorted(), nil
}

// addPluginDependency records the resource plugin a package.json declares, if any.
func addPluginDependency(plugins langhost.Plugins, pkgDir string) error {
	data, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var manifest packageManifest
	if json.Unmarshal(data, &manifest) != nil || manifest.Pulumi == nil || !manifest.Pulumi.Resource {
		return nil
	}
	name := manifest.Pulumi.Name
	if name == "" {
		name = strings.TrimPrefix(manifest.Name, "@pulumi/")
	}
	plugins.Add(name, manifest.Pulumi.Version, manifest.Pulumi.Server)
	return nil
}

// findUp returns dir/rel for the first of dir and its ancestors where that path exists (as Node
// searches node_modules), or "" when none has it.
func findUp(dir, rel string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}
