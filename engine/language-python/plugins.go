package main

import (
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// resourcePlugins reads pulumi-plugin.json of every package in the program's site-packages and
// returns the resource plugins they declare.
func resourcePlugins(info *pulumirpc.ProgramInfo) ([]*pulumirpc.PluginDependency, error) {
	venv := virtualenv(info)
	if venv == "" {
		return nil, nil
	}
	plugins := langhost.Plugins{}
	if err := plugins.AddGlob(filepath.Join(venv, "lib", "python3*", "site-packages", "*", "pulumi-plugin.json")); err != nil {
		return nil, err
	}
	return plugins.Sorted(), nil
}
