// A measuring probe, not the product: a component package written in Go that serves the same schema
// (the package build's schema.json) and declares, for bench/stacks/yaml-component's inputs, the same 9
// children as bench/stacks/yaml-handwritten, so that bench/goPackageProbe.ts can measure what a package
// that is not a Node.js program would add to a YAML preview (bench/RESULTS.md, section 7). It validates
// nothing, makes no JWKS (the uploads carry the keys' PEM, as by hand) and renders no nginx.conf (it
// uploads the one the component renders, from beside the binary, with schema.json).
package main

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumiprovider "github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
)

type component struct {
	pulumi.ResourceState
	PrivateKeysetUrls pulumi.StringMapOutput `pulumi:"privateKeysetUrls"`
	CaCertPem         pulumi.StringOutput    `pulumi:"caCertPem"`
}

type key struct {
	pulumi.CustomResourceState
	PrivateKeyPem pulumi.StringOutput `pulumi:"privateKeyPem"`
	PublicKeyPem  pulumi.StringOutput `pulumi:"publicKeyPem"`
}

type cert struct {
	pulumi.CustomResourceState
	CertPem        pulumi.StringOutput `pulumi:"certPem"`
	CertRequestPem pulumi.StringOutput `pulumi:"certRequestPem"`
}

type named struct {
	pulumi.CustomResourceState
	Name pulumi.StringOutput `pulumi:"name"`
}

func construct(ctx *pulumi.Context, typ, name string, inputs pulumiprovider.ConstructInputs, options pulumi.ResourceOption) (*pulumiprovider.ConstructResult, error) {
	args, err := inputs.Map()
	if err != nil {
		return nil, err
	}
	comp := &component{}
	if err := ctx.RegisterComponentResource(typ, name, comp, options); err != nil {
		return nil, err
	}
	p := pulumi.Parent(comp)
	dockerField := func(field string) pulumi.StringOutput {
		return pulumi.ToOutput(args["docker"]).ApplyT(func(v any) string {
			return v.(map[string]any)[field].(string)
		}).(pulumi.StringOutput)
	}
	subnet, image := dockerField("subnet"), dockerField("image")
	// The hand-written stack's gateway: the subnet's first address, as Docker would pick.
	gateway := subnet.ApplyT(func(cidr string) (string, error) {
		prefix, err := netip.ParsePrefix(cidr)
		if err != nil {
			return "", err
		}
		return prefix.Masked().Addr().Next().String(), nil
	}).(pulumi.StringOutput)
	org := pulumi.String("kong-signing-key-host")
	reg := func(t, n string, props pulumi.Map, out pulumi.CustomResource) error {
		return ctx.RegisterResource(t, name+"-"+n, props, out, p)
	}
	access, channel, caKey, serverKey := &key{}, &key{}, &key{}, &key{}
	caCert, csr, serverCert := &cert{}, &cert{}, &cert{}
	net, host := &named{}, &named{}
	conf, err := os.ReadFile(beside("nginx.conf"))
	if err != nil {
		return nil, err
	}
	upload := func(file, perm string, content pulumi.StringInput) pulumi.Map {
		return pulumi.Map{"file": pulumi.String(file), "permissions": pulumi.String(perm), "content": content}
	}
	label := func(l, v string) pulumi.Map { return pulumi.Map{"label": pulumi.String(l), "value": pulumi.String(v)} }
	// In order: each registration reads outputs of the ones before it; the first error ends the construct.
	for _, register := range []func() error{
		func() error {
			return reg("tls:index/privateKey:PrivateKey", "access", pulumi.Map{"algorithm": pulumi.String("RSA"), "rsaBits": pulumi.Int(2048)}, access)
		},
		func() error {
			return reg("tls:index/privateKey:PrivateKey", "channel", pulumi.Map{"algorithm": pulumi.String("ECDSA"), "ecdsaCurve": pulumi.String("P256")}, channel)
		},
		func() error {
			return reg("tls:index/privateKey:PrivateKey", "ca", pulumi.Map{"algorithm": pulumi.String("ECDSA"), "ecdsaCurve": pulumi.String("P384")}, caKey)
		},
		func() error {
			return reg("tls:index/selfSignedCert:SelfSignedCert", "ca", pulumi.Map{
				"privateKeyPem": caKey.PrivateKeyPem, "isCaCertificate": pulumi.Bool(true), "validityPeriodHours": pulumi.Int(87600),
				"subject":     pulumi.Map{"commonName": pulumi.String("kong-keys key host CA"), "organization": org},
				"allowedUses": pulumi.ToStringArray([]string{"cert_signing", "crl_signing", "digital_signature"}),
			}, caCert)
		},
		func() error {
			return reg("tls:index/privateKey:PrivateKey", "server", pulumi.Map{"algorithm": pulumi.String("ECDSA"), "ecdsaCurve": pulumi.String("P256")}, serverKey)
		},
		func() error {
			return reg("tls:index/certRequest:CertRequest", "server", pulumi.Map{
				"privateKeyPem": serverKey.PrivateKeyPem, "dnsNames": pulumi.ToStringArray([]string{"kong-keys"}),
				"subject": pulumi.Map{"commonName": pulumi.String("kong-keys"), "organization": org},
			}, csr)
		},
		func() error {
			return reg("tls:index/locallySignedCert:LocallySignedCert", "server", pulumi.Map{
				"certRequestPem": csr.CertRequestPem, "caCertPem": caCert.CertPem, "caPrivateKeyPem": caKey.PrivateKeyPem,
				"validityPeriodHours": pulumi.Int(2160), "earlyRenewalHours": pulumi.Int(720),
				"allowedUses": pulumi.ToStringArray([]string{"digital_signature", "server_auth"}),
			}, serverCert)
		},
		func() error {
			return reg("docker:index/network:Network", "net", pulumi.Map{
				"driver": pulumi.String("bridge"), "internal": pulumi.Bool(true),
				"ipamConfigs": pulumi.Array{pulumi.Map{"subnet": subnet, "gateway": gateway}},
				"labels":      pulumi.Array{pulumi.Map{"label": pulumi.String("io.github.kong-signing-key-host.component"), "value": pulumi.String("kong-keys")}},
			}, net)
		},
		func() error {
			return reg("docker:index/container:Container", "host", pulumi.Map{
				"image": image,
				"labels": pulumi.Array{label("io.github.kong-signing-key-host.component", "kong-keys"), label("io.github.kong-signing-key-host.hostname", "kong-keys"),
					label("io.github.kong-signing-key-host.role", "key-host"), label("io.github.kong-signing-key-host.keyset.access", "published 2026-11; active 2026-11"),
					label("io.github.kong-signing-key-host.keyset.channel", "published 2026-11; active 2026-11")},
				"entrypoints": pulumi.ToStringArray([]string{"/usr/sbin/nginx"}),
				"command":     pulumi.ToStringArray([]string{"-e", "stderr", "-c", "/etc/kong-keys/nginx.conf"}),
				"user":        pulumi.String("101:101"), "groupAdds": pulumi.ToStringArray([]string{"0"}), "workingDir": pulumi.String("/etc/kong-keys"),
				"uploads": pulumi.Array{
					upload("/etc/kong-keys/nginx.conf", "0444", pulumi.String(string(conf))),
					upload("/etc/kong-keys/tls/ca.crt", "0444", caCert.CertPem),
					upload("/etc/kong-keys/tls/server.crt", "0444", serverCert.CertPem),
					upload("/etc/kong-keys/tls/server.key", "0440", serverKey.PrivateKeyPem),
					upload("/etc/kong-keys/private/access.jwks.json", "0440", access.PrivateKeyPem),
					upload("/etc/kong-keys/public/access.jwks.json", "0444", access.PublicKeyPem),
					upload("/etc/kong-keys/private/channel.jwks.json", "0440", channel.PrivateKeyPem),
					upload("/etc/kong-keys/public/channel.jwks.json", "0444", channel.PublicKeyPem),
				},
				"tmpfs":            pulumi.StringMap{"/tmp": pulumi.String("rw,noexec,nosuid,nodev,size=16m,mode=1777")},
				"capabilities":     pulumi.Map{"drops": pulumi.ToStringArray([]string{"ALL"})},
				"securityOpts":     pulumi.ToStringArray([]string{"no-new-privileges:true"}),
				"networksAdvanced": pulumi.Array{pulumi.Map{"name": net.Name, "aliases": pulumi.ToStringArray([]string{"kong-keys"})}},
				"healthcheck": pulumi.Map{"tests": pulumi.ToStringArray([]string{"CMD", "curl", "--fail", "--silent", "--show-error", "--max-time", "2", "http://127.0.0.1:8080/healthz"}),
					"interval": pulumi.String("2s"), "timeout": pulumi.String("3s"), "startPeriod": pulumi.String("10s"), "retries": pulumi.Int(3)},
				"restart": pulumi.String("unless-stopped"), "memory": pulumi.Int(64), "memorySwap": pulumi.Int(64),
				"ulimits":    pulumi.Array{pulumi.Map{"name": pulumi.String("nproc"), "soft": pulumi.Int(64), "hard": pulumi.Int(64)}, pulumi.Map{"name": pulumi.String("nofile"), "soft": pulumi.Int(4096), "hard": pulumi.Int(4096)}},
				"stopSignal": pulumi.String("SIGQUIT"), "destroyGraceSeconds": pulumi.Int(10), "wait": pulumi.Bool(true), "waitTimeout": pulumi.Int(60), "mustRun": pulumi.Bool(true),
			}, host)
		},
	} {
		if err := register(); err != nil {
			return nil, err
		}
	}
	comp.CaCertPem = caCert.CertPem
	comp.PrivateKeysetUrls = pulumi.StringMap{
		"access":  pulumi.String("https://kong-keys:8443/private/access/jwks.json"),
		"channel": pulumi.String("https://kong-keys:8443/private/channel/jwks.json"),
	}.ToStringMapOutput()
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{"caCertPem": comp.CaCertPem, "privateKeysetUrls": comp.PrivateKeysetUrls}); err != nil {
		return nil, err
	}
	return pulumiprovider.NewConstructResult(comp)
}

// beside names a file in the directory of this executable (the probe's package directory).
func beside(file string) string {
	exe, _ := os.Executable()
	return filepath.Join(filepath.Dir(exe), file)
}

func main() {
	schema, err := os.ReadFile(beside("schema.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := provider.ComponentMain("kong-signing-key-host", "0.2.0", schema, construct); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
