package langhost

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// PipeOutput hands what cmd writes to stdout and stderr to send as it comes, one call at a time: a
// gRPC stream must not be written from two goroutines at once.
func PipeOutput(cmd *exec.Cmd, send func(output []byte, isStderr bool) error) {
	var mu sync.Mutex
	emit := func(isStderr bool) writerFunc {
		return func(p []byte) error {
			mu.Lock()
			defer mu.Unlock()
			return send(append([]byte(nil), p...), isStderr)
		}
	}
	cmd.Stdout = emit(false)
	cmd.Stderr = emit(true)
}

// RunForInstall runs one step of InstallDependencies (npm install, pip install, go mod tidy) in dir,
// streaming its output back to the engine.
func RunForInstall(server pulumirpc.LanguageRuntime_InstallDependenciesServer, dir, name string, args ...string) error {
	cmd := exec.CommandContext(server.Context(), name, args...)
	cmd.Dir = dir
	PipeOutput(cmd, func(output []byte, isStderr bool) error {
		if isStderr {
			return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: output})
		}
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: output})
	})
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s in %s: %w", name, strings.Join(args, " "), dir, err)
	}
	return nil
}

// writerFunc adapts a function to io.Writer.
type writerFunc func(p []byte) error

func (f writerFunc) Write(p []byte) (int, error) {
	if err := f(p); err != nil {
		return 0, err
	}
	return len(p), nil
}
