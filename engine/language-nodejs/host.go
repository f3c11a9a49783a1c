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
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram()
	}
	plugins, err := resourcePlugins(dir)
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
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	runEntry, err := findRunEntry(programDir)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := info.GetOptions().AsMap()

	args := []string{}
	if nodeargs, ok := options["nodeargs"].(string); ok && nodeargs != "" {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runEntry)
	args = append(args, runFlags(req, h.EngineAddress)...)
	program := info.GetEntryPoint()
	if program == "" {
		program = "."
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	env, err := runEnv(req, options)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The engine shows what the program prints.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return langhost.RunResult(cmd.Run(), exitCodeUserMessage), nil
}

// runFlags are the flags @pulumi/pulumi/cmd/run reads (see its usage text).
func runFlags(req *pulumirpc.RunRequest, engineAddress string) []string {
	flags := []string{
		"--monitor=" + req.GetMonitorAddress(),
		"--project=" + req.GetProject(),
		"--stack=" + req.GetStack(),
		"--parallel=" + strconv.Itoa(int(req.GetParallel())),
	}
	if engineAddress != "" {
		flags = append(flags, "--engine="+engineAddress)
	}
	if org := req.GetOrganization(); org != "" {
		flags = append(flags, "--organization="+org)
	}
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		flags = append(flags, "--root-directory="+root)
	}
	if pwd := req.GetPwd(); pwd != "" {
		flags = append(flags, "--pwd="+pwd)
	}
	if req.GetDryRun() {
		flags = append(flags, "--dry-run")
	}
	return flags
}

// runEnv passes config the way the SDK reads it, and TypeScript settings from the
// project's runtime options (typescript defaults to true, as in Pulumi's host).
func runEnv(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	config, secretKeys, err := langhost.ConfigJSON(req)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+config, "PULUMI_CONFIG_SECRET_KEYS="+secretKeys)
	return append(env, typescriptEnv(options)...), nil
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
