// A script file's bytes → the text the writer sees in the editor. Editors hide a UTF-8 byte-order mark; keeping it
// would put an invisible character before the first line and, since the markdown parser skips it too, shift every
// source offset after it by one. VS Code's TextDocument already gives the text without it; files read from disk
// (the CLI) go through here.

const decoder = new TextDecoder('utf-8');

/**
 * The text of a UTF-8 script file, without its byte-order mark (the WHATWG Encoding Standard's UTF-8 decode drops
 * one leading BOM); invalid byte sequences become U+FFFD. Never throws.
 */
export function decodeScript(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
