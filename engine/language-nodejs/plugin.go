package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// RunPlugin starts a source-based plugin (a directory with PulumiPlugin.yaml, runtime nodejs) on the
// SDK's own entry point @pulumi/pulumi/cmd/run-plugin, which loads the package and, when it exports
// component resources, serves them as a provider. The engine reads the provider's port from the
// stdout we stream back, so output is forwarded as it comes.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	node, err := exec.LookPath("node")
	if err != nil {
		return errors.New("node is not on PATH: install Node.js 20 or later")
	}
	info := req.GetInfo()
	pluginDir := langhost.ProgramDir(info, req.GetPwd())
	index, err := findUp(pluginDir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run-plugin", "index.js"))
	if err != nil {
		return err
	}
	if index == "" {
		return fmt.Errorf("@pulumi/pulumi is not installed for the plugin in %s: run `npm install` there", pluginDir)
	}
	options := info.GetOptions().AsMap()

	args := append(nodeArgs(options), filepath.Dir(index), langhost.EntryPoint(info))
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = pluginDir
	cmd.Env = append(append(os.Environ(), req.GetEnv()...), typescriptEnv(options)...)
	langhost.PipeOutput(cmd, func(output []byte, isStderr bool) error {
		if isStderr {
			return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: output}})
		}
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: output}})
	})
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return err
		}
		code = int32(exit.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// InstallDependencies runs `npm install` in the program or plugin directory, as `pulumi install` and
// `pulumi package add` expect of a language host, streaming npm's output back.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	dir := langhost.ProgramDir(req.GetInfo(), req.GetDirectory())
	if _, err := os.Stat(filepath.Join(dir, "package.json")); err != nil {
		return fmt.Errorf("no package.json in %s: %w", dir, err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		return errors.New("npm is not on PATH: install Node.js 20 or later")
	}
	return langhost.RunForInstall(server, dir, npm, "install", "--no-audit", "--no-fund")
}
