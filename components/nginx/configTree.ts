/**
 * nginx config as data: directives and blocks, printed by one emitter (indentation, quoting, `;`).
 * Renderers build trees; only `emitConfig` knows the text format.
 */
export interface Directive {
    readonly kind: "directive";
    readonly name: string;
    readonly args: readonly string[];
}

export interface Block {
    readonly kind: "block";
    readonly name: string;
    readonly args: readonly string[];
    readonly children: readonly ConfigNode[];
}

export interface Comment {
    readonly kind: "comment";
    readonly text: string;
}

export type ConfigNode = Directive | Block | Comment;

export const directive = (name: string, ...args: (string | number)[]): Directive =>
    ({ kind: "directive", name, args: args.map(String) });

export const block = (name: string, args: (string | number)[], children: readonly (ConfigNode | false | undefined)[]): Block =>
    ({ kind: "block", name, args: args.map(String), children: children.filter((c): c is ConfigNode => Boolean(c)) });

export const comment = (text: string): Comment => ({ kind: "comment", text });

/** Quotes an argument when nginx would otherwise split or misread it. */
export function quoteArg(arg: string): string {
    if (arg !== "" && /^[^\s;{}"'#\\]+$/.test(arg)) return arg;
    return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function emitConfig(nodes: readonly ConfigNode[], indent = ""): string {
    const lines: string[] = [];
    nodes.forEach((node, i) => {
        // A blank line before each block (or the comment that introduces it) keeps sections readable.
        if (node.kind === "comment") {
            const introducesBlock = nodes[i + 1]?.kind === "block";
            if (introducesBlock && i > 0 && nodes[i - 1].kind !== "comment") lines.push("");
            lines.push(...node.text.split("\n").map((line) => `${indent}# ${line}`.trimEnd()));
        } else if (node.kind === "directive") {
            lines.push(`${indent}${[node.name, ...node.args.map(quoteArg)].join(" ")};`);
        } else {
            if (i > 0 && nodes[i - 1].kind !== "comment") lines.push("");
            lines.push(`${indent}${[node.name, ...node.args.map(quoteArg)].join(" ")} {`);
            lines.push(emitConfig(node.children, `${indent}    `));
            lines.push(`${indent}}`);
        }
    });
    return lines.filter((line, i) => !(line === "" && i === 0)).join("\n");
}
