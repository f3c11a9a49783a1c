/**
 * True when `text` is well-formed Unicode: no lone UTF-16 surrogate, which has no UTF-8 form (encoders
 * replace it with U+FFFD, so the bytes written would not be the text given). Round-trips through UTF-8.
 */
export function isWellFormedText(text: string): boolean {
    return Buffer.from(text, "utf8").toString("utf8") === text;
}
