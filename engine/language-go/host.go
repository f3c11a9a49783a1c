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

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

type languageHost struct {
	langhost.Base
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return nil, errors.New("go is not on PATH")
	}
	out, err := exec.Command(goBin, "env", "GOVERSION").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOVERSION: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: goBin, Version: strings.TrimSpace(string(out))}, nil
}

// Run builds the program with `go build` and runs it with the settings the Go SDK reads from its
// environment (pulumi.Env*); the SDK talks to the engine's resource monitor directly.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	binDir, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(binDir)
	program := filepath.Join(binDir, "program")
	build := exec.CommandContext(ctx, "go", "build", "-o", program, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build in %s failed:\n%s", dir, out)}, nil
	}

	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, program, req.GetArgs()...)
	cmd.Dir = dir
	if pwd := req.GetPwd(); pwd != "" {
		cmd.Dir = pwd
	}
	cmd.Env = append(os.Environ(),
		pulumi.EnvMonitor+"="+req.GetMonitorAddress(),
		pulumi.EnvEngine+"="+h.EngineAddress,
		pulumi.EnvProject+"="+req.GetProject(),
		pulumi.EnvStack+"="+req.GetStack(),
		pulumi.EnvOrganization+"="+req.GetOrganization(),
		pulumi.EnvPulumiRootDirectory+"="+info.GetRootDirectory(),
		pulumi.EnvParallel+"="+strconv.Itoa(int(req.GetParallel())),
		pulumi.EnvDryRun+"="+strconv.FormatBool(req.GetDryRun()),
	)
	cmd.Env = append(cmd.Env, config...) // pulumi.EnvConfig, pulumi.EnvConfigSecretKeys
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	// Any exit: the Go SDK has already reported the program's error.
	return langhost.RunResult(cmd.Run(), 0), nil
}

// InstallDependencies runs `go mod tidy` in the program directory, streaming its output back.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return langhost.RunForInstall(server, langhost.ProgramDir(req.GetInfo(), req.GetDirectory()), "go", "mod", "tidy")
}
