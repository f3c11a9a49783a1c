// The npm `repository` field for the packed package, from the git remote it is packed from: the
// published package points where its source lives without a URL written into this repository.
"use strict";

/**
 * `{ type: "git", url }` for a remote URL (https, ssh, or scp-like `git@host:org/repo.git`), with any
 * credentials removed; undefined for what a registry user could not clone (a local path, file://).
 */
function repositoryField(remote) {
    const text = (remote ?? "").trim();
    if (!text) return undefined;
    const scpLike = /^([A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(text);
    if (scpLike) return { type: "git", url: `git+ssh://${scpLike[1] ?? ""}${scpLike[2]}/${scpLike[3]}` };
    let url;
    try {
        url = new URL(text);
    } catch {
        return undefined;
    }
    if (url.protocol === "https:" || url.protocol === "http:") {
        url.username = "";
        url.password = "";
        return { type: "git", url: `git+${url.toString()}` };
    }
    if (url.protocol === "ssh:" || url.protocol === "git+ssh:") {
        url.password = "";
        return { type: "git", url: `git+ssh://${url.toString().replace(/^(git\+)?ssh:\/\//, "")}` };
    }
    return undefined;
}

module.exports = { repositoryField };
