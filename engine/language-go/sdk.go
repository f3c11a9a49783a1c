package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/mod/modfile"
	"kskh.local/engine/langhost/sdkgen"
)

// GeneratePackage writes a package's Go SDK with Pulumi's own Go code generator
// (github.com/pulumi/pulumi/pkg/v3/codegen/go): `pulumi package add` and `package gen-sdk`.
func (h *languageHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return sdkgen.Generate(req, func(pkg *schema.Package, _ schema.ReferenceLoader) (map[string][]byte, error) {
		return gogen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	})
}

// Link points the program's go.mod at each generated SDK (require + replace with its local path) and
// says how to import it.
func (h *languageHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	var instructions []string
	for _, dep := range req.GetPackages() {
		sdkDir := filepath.Join(dir, dep.GetPath())
		goMod, err := findGoMod(sdkDir)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(goMod)
		if err != nil {
			return nil, err
		}
		module := modfile.ModulePath(data)
		if module == "" {
			return nil, fmt.Errorf("%s names no module", goMod)
		}
		rel, err := filepath.Rel(dir, filepath.Dir(goMod))
		if err != nil {
			return nil, err
		}
		edit := exec.CommandContext(ctx, "go", "mod", "edit", "-require="+module+"@v0.0.0", "-replace="+module+"=./"+filepath.ToSlash(rel))
		edit.Dir = dir
		if out, err := edit.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go mod edit in %s: %s", dir, out)
		}
		packageDir, err := importDir(filepath.Dir(goMod))
		if err != nil {
			return nil, err
		}
		instructions = append(instructions, fmt.Sprintf("import %q", module+packageDir))
	}
	return &pulumirpc.LinkResponse{
		ImportInstructions: "Added to go.mod. Use the SDK in your program with:\n\n  " + strings.Join(instructions, "\n  ") + "\n",
	}, nil
}

// findGoMod finds the go.mod the generator wrote at or under dir.
func findGoMod(dir string) (string, error) {
	var found string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if !d.IsDir() && d.Name() == "go.mod" {
			found = path
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if found == "" {
		return "", fmt.Errorf("no go.mod under %s: the Go SDK was not generated as a module", dir)
	}
	return found, nil
}

// importDir is the package folder under the module root that holds the resources ("/<name>"), or "".
func importDir(moduleRoot string) (string, error) {
	entries, err := os.ReadDir(moduleRoot)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(moduleRoot, e.Name(), "pulumi-plugin.json")); err == nil {
			return "/" + e.Name(), nil
		}
	}
	return "", nil
}
