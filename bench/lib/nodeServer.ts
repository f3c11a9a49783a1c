// The usual hand-rolled alternative: a Node.js node:https server serving the same JWKS bytes.
//   node nodeServer.js <port> <dir>   (dir holds server.crt, server.key, public.jwks.json)
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";

const [port, dir] = process.argv.slice(2);
const body = fs.readFileSync(path.join(dir, "public.jwks.json"));
const server = https.createServer({ cert: fs.readFileSync(path.join(dir, "server.crt")), key: fs.readFileSync(path.join(dir, "server.key")) }, (req, res) => {
    if (req.url === "/public/access/jwks.json" && (req.method === "GET" || req.method === "HEAD")) {
        res.writeHead(200, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300", "content-length": body.length });
        res.end(req.method === "HEAD" ? undefined : body);
    } else {
        res.writeHead(404);
        res.end();
    }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"));
