/**
 * Escaping of user-controlled strings (names, paths, messages quoting a contract) for each medium comms
 * prints to. Contracts come from pull requests anyone can open, and the places comms writes to give
 * meaning to certain bytes: a terminal runs escape sequences, GitHub Actions runs any stderr or stdout
 * line that starts with `::`, markdown renders HTML and links, XML rejects most control characters.
 * Every reporter, log line and error message goes through one of these functions.
 */

/**
 * Characters that are never printed raw: C0 controls (newline, carriage return, ESC, BEL, NUL...), DEL,
 * C1 controls (8-bit CSI and OSC), the Unicode line and paragraph separators, and bidirectional
 * overrides that make a terminal show text in a different order than it is.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A lone UTF-16 surrogate: not a character, rejected by XML and mangled by UTF-8 encoders. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `\n`, `\r`, `\t`, or `\u001b` for any other unsafe character: visible, so nothing is silently lost. */
function visible(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * One line of plain text, safe on a terminal and in a CI log: every line break and control character is
 * shown as an escape sequence, so a user string can neither start a new line (where `::error::` would be
 * a workflow command) nor send escape sequences (colours, OSC 8 links, title changes) to a terminal.
 */
export function oneLine(s: string): string {
  return s.replace(UNSAFE, visible).replace(LONE_SURROGATE, "\ufffd");
}

/** Text for a terminal report: the same guarantee as `oneLine`; each value stays on its line. */
export const terminalText = oneLine;

/** Markdown metacharacters that can open emphasis, code, links, images, HTML, headings or table cells. */
// `!` needs no escape: an image needs `![`, and `[` is escaped.
const MARKDOWN_META = /[\\`*_[\]<>|#~&]/g;

/**
 * Inline markdown text: metacharacters are backslash-escaped (so `<script>` shows as text and `|` cannot
 * split a table cell), then line breaks (a lone `\r` too) and control characters are made visible.
 */
export function markdownText(s: string): string {
  return oneLine(s.replace(MARKDOWN_META, "\\$&"));
}

/**
 * An inline code span. Backslash escapes do not work inside code, so the fence is made longer than any
 * run of backticks in the text instead; the content is on one line with visible control characters.
 */
export function markdownCode(s: string): string {
  const flat = oneLine(s);
  const runs = flat.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * The message of a GitHub Actions workflow command (`::error ...::<data>`), escaped as the runner
 * documents (`%`, CR, LF as `%25`, `%0D`, `%0A`; it turns them back into line breaks in the annotation).
 * Other control characters are made visible: the log shows them raw otherwise.
 */
export function workflowData(s: string): string {
  return oneLine(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** A property value of a workflow command (`file=`, `title=`): also `:` and `,`, which end a value. */
export function workflowProperty(s: string): string {
  return workflowData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Characters XML 1.0 forbids even as character references (tab, LF and CR are allowed). */
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Controls XML allows but readers of a test report should see, not receive (DEL, C1, bidi overrides). */
const XML_UNSAFE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * XML character data: a well-formed document whatever the input (`]]>` and markup become entities,
 * characters XML forbids are shown as escapes, lone surrogates become U+FFFD). Line breaks are kept.
 */
export function xmlText(s: string): string {
  return s
    .replace(XML_FORBIDDEN, visible)
    .replace(XML_UNSAFE, visible)
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** An XML attribute value in double or single quotes; line breaks and tabs survive as references. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

/** Characters JSON.stringify leaves raw that a terminal showing the document could still act on. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document (pretty-printed, with a final newline). JSON.stringify already escapes C0 controls,
 * quotes and lone surrogates; C1 controls, line separators and bidi overrides are escaped too, so the
 * document is safe to print to a terminal or a CI log and still parses to the same data.
 */
export function jsonDocument(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${text}\n`;
}
