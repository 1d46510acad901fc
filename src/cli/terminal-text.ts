/**
 * @module
 * Guest text made safe for a terminal. A function's log line is untrusted: ANSI escapes could
 * clear the screen or recolour it, a carriage return could overwrite a real `END RequestId` line.
 * Every control character but tab (C0, DEL, C1) is printed as a visible escape (`\x1b`, `\r`), and
 * so are the bidirectional overrides that could make a line read other than it is (`\u202e`).
 */

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\u000b': '\\v', '\f': '\\f', '\b': '\\b', '\u0000': '\\0' };

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`);
  });
}
