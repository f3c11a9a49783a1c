// Where a `pulumi preview` of a stack using the component package spends its time, read from the
// engine's own log: `pulumi preview --logtostderr --logflow -v=9` writes one JSON line per event, with
// its time, including every plugin launch and every provider call.

export interface PreviewPhases {
    /** CLI start to the component package's plugin being launched (the language host ran the program so far). */
    beforePackage: number;
    /** Launching the package to its provider serving (its launcher: Node.js and the bundled build). */
    packageStart: number;
    /** Construct sent to the component's first child reaching a provider (loading and running the component). */
    constructToFirstChild: number;
    /** The children's providers: plugin starts, Check of every child, until Construct returns. */
    childrenToConstructDone: number;
    /** Construct done to the end of the preview. */
    afterConstruct: number;
    total: number;
}

/** Parses the engine's JSON log lines (stderr of a verbose preview). Throws when an event is missing. */
export function previewPhases(log: string, packageName: string): PreviewPhases {
    const events = log.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { time: string; msg: string });
    // RFC 3339 with nanoseconds: whole seconds from the date, the fraction as written.
    const at = (e: { time: string }) => {
        const [whole, fraction = "0"] = e.time.replace(/Z$/, "").split(".");
        return Date.parse(`${whole}Z`) / 1000 + Number(`0.${fraction}`);
    };
    const first = (pattern: RegExp, after = 0) => {
        const e = events.find((x) => pattern.test(x.msg) && at(x) >= after);
        if (!e) throw new Error(`no log event matches ${pattern}`);
        return at(e);
    };
    const start = at(events[0]);
    const launch = first(new RegExp(`Launching plugin '${packageName} \\(resource\\)'`));
    const serving = first(new RegExp(`Handshake: .*pulumi-resource-${packageName}|Provider\\[\\w+\\]\\.CheckConfig\\(urn:[^)]*::pulumi:providers:${packageName}::`), launch);
    const construct = first(/\.Construct\(.* executing/, serving);
    const firstChild = first(/ProviderRegistry\.Check\(urn:[^)]*::pulumi:providers:(tls|docker)::/, construct);
    const constructed = first(/\.Construct\(.* success/, firstChild);
    const end = at(events[events.length - 1]);
    return {
        beforePackage: launch - start,
        packageStart: serving - launch,
        constructToFirstChild: firstChild - construct,
        childrenToConstructDone: constructed - firstChild,
        afterConstruct: end - constructed,
        total: end - start,
    };
}
