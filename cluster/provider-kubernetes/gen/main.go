// gen writes the files the plugin embeds: the provider module's schema.json with the plugin version
// stamped in (what the SDK and `pulumi package get-schema` read), and its terraform-mapping.json, both
// compacted — what upstream's `go generate` step does.
//
//	go run ./gen <provider module dir> <version> <output dir>
package main

import (
	"encoding/json"
	"log"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: gen <provider module dir> <version> <output dir>")
	}
	cmd := filepath.Join(os.Args[1], "cmd", "pulumi-resource-kubernetes")
	var schema map[string]any
	read(filepath.Join(cmd, "schema.json"), &schema)
	schema["version"] = os.Args[2]
	write(filepath.Join(os.Args[3], "schema-embed.json"), schema)
	var mapping any
	read(filepath.Join(cmd, "terraform-mapping.json"), &mapping)
	write(filepath.Join(os.Args[3], "terraform-mapping-embed.json"), mapping)
}

func read(path string, into any) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

func write(path string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		log.Fatal(err)
	}
}
