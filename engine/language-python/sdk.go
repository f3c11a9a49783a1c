package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"kskh.local/engine/langhost/sdkgen"
)

// GeneratePackage writes a package's Python SDK with Pulumi's own Python code generator
// (github.com/pulumi/pulumi/pkg/v3/codegen/python): `pulumi package add` and `package gen-sdk`.
func (h *languageHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return sdkgen.Generate(req, func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
		return python.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	})
}

// Link adds each generated SDK's directory to the program's requirements.txt (pip installs it from
// there) and says how to import it.
func (h *languageHost) Link(_ context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	reqPath := filepath.Join(dir, "requirements.txt")
	existing, err := os.ReadFile(reqPath)
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(existing), "\n"), "\n")
	var instructions []string
	for _, dep := range req.GetPackages() {
		line := "./" + filepath.ToSlash(dep.GetPath())
		if !contains(lines, line) {
			lines = append(lines, line)
		}
		module := "pulumi_" + strings.ReplaceAll(dep.GetPackage().GetName(), "-", "_")
		instructions = append(instructions, fmt.Sprintf("import %s", module))
	}
	content := strings.TrimLeft(strings.Join(lines, "\n"), "\n") + "\n"
	if err := os.WriteFile(reqPath, []byte(content), 0o644); err != nil {
		return nil, err
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "Added to requirements.txt. Use the SDK in your program with:\n\n  " + strings.Join(instructions, "\n  ") + "\n",
	}, nil
}

func contains(lines []string, line string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) == line {
			return true
		}
	}
	return false
}
