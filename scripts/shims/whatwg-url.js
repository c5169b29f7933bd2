// node-fetch 2 uses Node's own URL and keeps whatwg-url (with its 270 KB of Unicode tables) only as a
// fallback for Node versions without one. Every Node we run on has it, so the bundle gets this instead.
module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };
