//go:build tools

// Package tools pins Pulumi's YAML language host (github.com/pulumi/pulumi-yaml, cmd/pulumi-language-yaml)
// at the version go.mod requires; scripts/engine.sh builds that command from this module.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
