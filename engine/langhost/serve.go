// Package langhost holds what our language hosts (engine/language-nodejs, -python, -go) share: serving
// the LanguageRuntime protocol the way the engine starts a host, passing config to a program, and
// reporting how a program or the plugins it declares came out.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// EngineCheckInterval is how often a host asks whether the engine that started it still answers
// (one gRPC health call; Pulumi's own hosts ask every 5 minutes).
const EngineCheckInterval = 5 * time.Second

// Version reported to the engine by every host: the SDK line they are built and tested with.
const Version = "3.248.0"

// Base is what each host embeds: "unimplemented" for what it does not do, the engine's address,
// and its version.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	EngineAddress string
}

func (Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// ProgramDir is the program's (or plugin's) directory from the request's ProgramInfo, else fallback.
func ProgramDir(info *pulumirpc.ProgramInfo, fallback string) string {
	if dir := info.GetProgramDirectory(); dir != "" {
		return dir
	}
	return fallback
}

// Main serves a language host: the engine starts it with flags and its own address last, and reads
// the port it serves on from the first line of stdout.
func Main(name string, newHost func(base Base) pulumirpc.LanguageRuntimeServer) {
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		if len(arg) > 0 && arg[0] != '-' {
			engineAddress = arg
		}
	}
	host := newHost(Base{EngineAddress: engineAddress})
	// The engine starts a host in a process group of its own: when the engine dies (killed, say), nothing
	// ends the host but the host itself. Like Pulumi's own hosts, watch the engine and stop serving once
	// it no longer answers.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, EngineCheckInterval, cancel); err != nil {
			fmt.Fprintf(os.Stderr, "%s: watching the engine at %s: %v\n", name, engineAddress, err)
			os.Exit(1)
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// ConfigEnv is the program's config and its secret keys as the environment every SDK reads them from
// (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS).
func ConfigEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	keys := req.GetConfigSecretKeys()
	if keys == nil {
		keys = []string{}
	}
	secretKeys, err := json.Marshal(keys)
	if err != nil {
		return nil, err
	}
	return []string{"PULUMI_CONFIG=" + string(config), "PULUMI_CONFIG_SECRET_KEYS=" + string(secretKeys)}, nil
}

// RunFlags are the flags the Node.js SDK's run entry point (@pulumi/pulumi/cmd/run) reads; our
// Python runner (engine/language-python/exec.py) reads the same.
func RunFlags(req *pulumirpc.RunRequest, engineAddress string) []string {
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

// EntryPoint is the program's entry point relative to its directory ("." when the project names none).
func EntryPoint(info *pulumirpc.ProgramInfo) string {
	if entry := info.GetEntryPoint(); entry != "" {
		return entry
	}
	return "."
}

// RunResult reports how a program ended: bailCode (or any exit, when bailCode is 0) means the
// program has already shown its error, so the engine stops without adding one.
func RunResult(err error, bailCode int) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if bailCode == 0 || exit.ExitCode() == bailCode {
			return &pulumirpc.RunResponse{Bail: true}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}
	}
	return &pulumirpc.RunResponse{Error: err.Error()}
}

// Plugins collects resource plugin dependencies, one per name and version, in a stable order.
type Plugins map[string]*pulumirpc.PluginDependency

// Add records a resource plugin; a version without a leading "v" gets one, as the engine expects.
func (p Plugins) Add(name, version, server string) {
	if version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	p[name+"@"+version] = &pulumirpc.PluginDependency{Name: name, Kind: "resource", Version: version, Server: server}
}

// AddGlob records the plugins that the pulumi-plugin.json files matching pattern declare (generated
// SDKs ship one).
func (p Plugins) AddGlob(pattern string) error {
	manifests, err := filepath.Glob(pattern)
	if err != nil {
		return err
	}
	for _, path := range manifests {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var m struct {
			Resource bool   `json:"resource"`
			Name     string `json:"name"`
			Version  string `json:"version"`
			Server   string `json:"server"`
		}
		if json.Unmarshal(data, &m) == nil && m.Resource && m.Name != "" {
			p.Add(m.Name, m.Version, m.Server)
		}
	}
	return nil
}

// Sorted is the plugins ordered by name and version.
func (p Plugins) Sorted() []*pulumirpc.PluginDependency {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*pulumirpc.PluginDependency, 0, len(keys))
	for _, k := range keys {
		out = append(out, p[k])
	}
	return out
}
