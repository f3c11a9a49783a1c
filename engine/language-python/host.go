package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost"
)

// exitCodeUserMessage: exec.py has already shown the error; the engine should stop quietly.
const exitCodeUserMessage = 32

//go:embed exec.py
var execScript string

type languageHost struct {
	langhost.Base
}

func (h *languageHost) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	python, err := interpreter(req.GetInfo())
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(python, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s --version: %w", python, err)
	}
	return &pulumirpc.AboutResponse{Executable: python, Version: strings.TrimSpace(strings.TrimPrefix(string(out), "Python "))}, nil
}

// GetRequiredPlugins lists the resource plugins the virtualenv's packages declare in their
// pulumi-plugin.json (every Pulumi Python SDK, generated ones included, ships one).
func (h *languageHost) GetRequiredPlugins(
	_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	plugins, err := resourcePlugins(req.GetInfo())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// Run starts the program's Python on exec.py and waits for it to end.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	python, err := interpreter(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := append([]string{"-u", "-c", execScript}, langhost.RunFlags(req, h.EngineAddress)...)
	args = append(args, langhost.EntryPoint(info))
	config, err := langhost.ConfigEnv(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = append(os.Environ(), config...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	return langhost.RunResult(cmd.Run(), exitCodeUserMessage), nil
}

// InstallDependencies makes the virtualenv named by the project's `virtualenv` option (when it is
// missing) and installs requirements.txt into it, streaming pip's output back.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	venv := virtualenv(info)
	if venv == "" {
		return errors.New("set runtime.options.virtualenv in Pulumi.yaml (e.g. venv): this host installs into a virtualenv only")
	}
	if _, err := os.Stat(filepath.Join(venv, "bin", "python")); err != nil {
		python, err := systemPython()
		if err != nil {
			return err
		}
		if err := langhost.RunForInstall(server, dir, python, "-m", "venv", venv); err != nil {
			return err
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "requirements.txt")); err != nil {
		return nil
	}
	return langhost.RunForInstall(server, dir, filepath.Join(venv, "bin", "python"),
		"-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements.txt")
}

// virtualenv is the absolute path of the project's `virtualenv` runtime option, or "".
func virtualenv(info *pulumirpc.ProgramInfo) string {
	venv, _ := info.GetOptions().AsMap()["virtualenv"].(string)
	if venv == "" {
		return ""
	}
	if !filepath.IsAbs(venv) {
		venv = filepath.Join(info.GetRootDirectory(), venv)
	}
	return venv
}

// interpreter is the virtualenv's python when the project names one, else python3 on PATH.
func interpreter(info *pulumirpc.ProgramInfo) (string, error) {
	if venv := virtualenv(info); venv != "" {
		python := filepath.Join(venv, "bin", "python")
		if _, err := os.Stat(python); err != nil {
			return "", fmt.Errorf("the virtualenv %s has no bin/python: run `pulumi install` in %s", venv, info.GetRootDirectory())
		}
		return python, nil
	}
	return systemPython()
}

// systemPython is python3 on PATH.
func systemPython() (string, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return "", errors.New("python3 is not on PATH: install Python 3.9 or later")
	}
	return python, nil
}
