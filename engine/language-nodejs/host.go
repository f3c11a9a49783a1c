package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// exitCodeUserMessage is the exit code @pulumi/pulumi/cmd/run uses after it has already
// shown the user an actionable error: the engine should stop without adding a message.
const exitCodeUserMessage = 32

type languageHost struct {
	langhost.Base
}

// GetRequiredPlugins lists the resource plugins the program's npm packages declare
// ("pulumi": {"resource": true, "name", "version"} in their package.json).
func (h *languageHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	plugins, err := resourcePlugins(langhost.ProgramDir(req.GetInfo(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// Run starts Node.js on the SDK's run entry point and waits for the program to end.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("node is not on PATH: install Node.js 20 or later")
	}
	info := req.GetInfo()
	programDir := langhost.ProgramDir(info, req.GetPwd())
	runEntry, err := findRunEntry(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := info.GetOptions().AsMap()

	args := append(nodeArgs(options), runEntry)
	args = append(args, langhost.RunFlags(req, h.EngineAddress)...)
	args = append(args, langhost.EntryPoint(info))
	args = append(args, req.GetArgs()...)

	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = programDir
	cmd.Env = append(append(os.Environ(), config...), typescriptEnv(options)...)
	// The engine shows what the program prints.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return langhost.RunResult(cmd.Run(), exitCodeUserMessage), nil
}

// nodeArgs are the Node.js options the project's `nodeargs` runtime option names.
func nodeArgs(options map[string]any) []string {
	nodeargs, _ := options["nodeargs"].(string)
	return strings.Fields(nodeargs)
}

// typescriptEnv carries the project's TypeScript runtime options to the SDK's entry points.
func typescriptEnv(options map[string]any) []string {
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}
	env := []string{"PULUMI_NODEJS_TYPESCRIPT=" + strconv.FormatBool(typescript)}
	if tsconfig, ok := options["tsconfig"].(string); ok && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}
	return env
}

// findRunEntry finds @pulumi/pulumi/cmd/run in the node_modules folders that Node
// would search from the program directory.
func findRunEntry(programDir string) (string, error) {
	index, err := findUp(programDir, filepath.Join("node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js"))
	if err != nil {
		return "", err
	}
	if index == "" {
		return "", fmt.Errorf("@pulumi/pulumi is not installed for the program in %s: run `npm install` there", programDir)
	}
	return filepath.Dir(index), nil
}
