"""What KongSigningKeyHost declares for examples/python, written by hand as plain tls and docker resources
with the same inputs: the peer the component's preview is measured against (bench/previews.ts). The JWKS
uploads carry the keys' PEM (turning a PEM into a JWK would need code of its own); like the component's,
they are unknown until the keys exist."""
import pathlib

import pulumi
import pulumi_docker as docker
import pulumi_tls as tls

config = pulumi.Config()
subnet = config.require("subnet")
ORG = "kong-signing-key-host"
PREFIX = "io.github.kong-signing-key-host"

access_key = tls.PrivateKey("access-key", algorithm="RSA", rsa_bits=2048)
channel_key = tls.PrivateKey("channel-key", algorithm="ECDSA", ecdsa_curve="P256")
ca_key = tls.PrivateKey("ca-key", algorithm="ECDSA", ecdsa_curve="P384")
ca_cert = tls.SelfSignedCert(
    "ca-cert",
    private_key_pem=ca_key.private_key_pem,
    subject={"common_name": "kong-keys key host CA", "organization": ORG},
    is_ca_certificate=True,
    validity_period_hours=87600,
    allowed_uses=["cert_signing", "crl_signing", "digital_signature"],
)
server_key = tls.PrivateKey("server-key", algorithm="ECDSA", ecdsa_curve="P256")
server_csr = tls.CertRequest(
    "server-csr",
    private_key_pem=server_key.private_key_pem,
    subject={"common_name": "kong-keys", "organization": ORG},
    dns_names=["kong-keys"],
)
server_cert = tls.LocallySignedCert(
    "server-cert",
    cert_request_pem=server_csr.cert_request_pem,
    ca_cert_pem=ca_cert.cert_pem,
    ca_private_key_pem=ca_key.private_key_pem,
    validity_period_hours=2160,
    early_renewal_hours=720,
    allowed_uses=["digital_signature", "server_auth"],
)
kong_net = docker.Network(
    "kong-net",
    driver="bridge",
    internal=True,
    ipam_configs=[{"subnet": subnet, "gateway": config.require("gateway")}],
    labels=[{"label": f"{PREFIX}.component", "value": "kong-keys"}],
)


def upload(file, content, permissions="0444"):
    return {"file": f"/etc/kong-keys/{file}", "content": content, "permissions": permissions}


host = docker.Container(
    "host",
    image=config.require("image"),
    labels=[
        {"label": f"{PREFIX}.component", "value": "kong-keys"},
        {"label": f"{PREFIX}.hostname", "value": "kong-keys"},
        {"label": f"{PREFIX}.role", "value": "key-host"},
        {"label": f"{PREFIX}.keyset.access", "value": "published 2026-11; active 2026-11"},
        {"label": f"{PREFIX}.keyset.channel", "value": "published 2026-11; active 2026-11"},
    ],
    entrypoints=["/usr/sbin/nginx"],
    command=["-e", "stderr", "-c", "/etc/kong-keys/nginx.conf"],
    user="101:101",
    group_adds=["0"],
    working_dir="/etc/kong-keys",
    uploads=[
        upload("nginx.conf", (pathlib.Path(__file__).parent / "nginx.conf").read_text()),
        upload("tls/ca.crt", ca_cert.cert_pem),
        upload("tls/server.crt", server_cert.cert_pem),
        upload("tls/server.key", server_key.private_key_pem, "0440"),
        upload("private/access.jwks.json", access_key.private_key_pem, "0440"),
        upload("public/access.jwks.json", access_key.public_key_pem),
        upload("private/channel.jwks.json", channel_key.private_key_pem, "0440"),
        upload("public/channel.jwks.json", channel_key.public_key_pem),
    ],
    tmpfs={"/tmp": "rw,noexec,nosuid,nodev,size=16m,mode=1777"},
    capabilities={"drops": ["ALL"]},
    security_opts=["no-new-privileges:true"],
    networks_advanced=[{"name": kong_net.name, "aliases": ["kong-keys"]}],
    healthcheck={
        "tests": ["CMD", "curl", "--fail", "--silent", "--show-error", "--max-time", "2", "http://127.0.0.1:8080/healthz"],
        "interval": "2s", "timeout": "3s", "start_period": "10s", "retries": 3,
    },
    restart="unless-stopped",
    memory=64,
    memory_swap=64,
    ulimits=[{"name": "nproc", "soft": 64, "hard": 64}, {"name": "nofile", "soft": 4096, "hard": 4096}],
    stop_signal="SIGQUIT",
    destroy_grace_seconds=10,
    wait=True,
    wait_timeout=60,
    must_run=True,
)

pulumi.export("privateKeysetUrls", {k: f"https://kong-keys:8443/private/{k}/jwks.json" for k in ("access", "channel")})
pulumi.export("caCertPem", ca_cert.cert_pem)
