// Sorts what the offline host says into three piles: the tests' own output (to stdout), errors that
// matter such as activation failures (to stderr), and everything else (only to the full log file,
// so known noise stays out of the way but is there when a run needs investigating).
'use strict';

const fs = require('fs');
const path = require('path');

// Harmless in this host: no gallery, no vsda (a Microsoft-only signing module), no service worker.
const KNOWN_NOISE = [
  /gallery/i,
  /marketplace/i,
  /vsda/i,
  /service ?worker/i,
  /Failed to load resource: net::ERR_BLOCKED_BY_CLIENT/,
  /Failed to load resource: the server responded with a status of 404/,
  /ERR_NAME_NOT_RESOLVED/,
  /Unable to fetch (product|extension) (info|details)/i,
  /Error while fetching extension recommendations/i,
  /getaddrinfo ENOTFOUND/,
];

// Errors worth showing even when the tests pass: they explain a red run faster than a stack trace.
const IMPORTANT = [
  /Activating extension .* failed/i,
  /Cannot activate/i,
  /Error loading test (runner|suite)/i,
  /No extension host found/i,
  /Uncaught/,
  /\[Extension Host\].*(Error|failed)/,
];

// Must match REPORTER_TAG in test/integration/index.ts, which tags the mocha reporter's lines.
const REPORTER_TAG = '[mocha] ';

function isNoise(text) {
  return KNOWN_NOISE.some((pattern) => pattern.test(text));
}

function isImportant(text) {
  return IMPORTANT.some((pattern) => pattern.test(text));
}

/** Creates the sink the offline host reports to; `logFile` receives everything, unfiltered. */
function createHostLogSink({ logFile, verbose = false, stdout = process.stdout, stderr = process.stderr }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const full = fs.openSync(logFile, 'w');
  const record = (source, level, text) => fs.writeSync(full, `[${source}:${level}] ${text}\n`);
  // The workbench often reports one error twice (its log and the browser console): show it once.
  const shownErrors = new Set();
  const showError = (source, text) => {
    const key = text
      .replace(/^Error: /, '')
      .split('\n')[0]
      .trim();
    if (shownErrors.has(key)) return;
    shownErrors.add(key);
    stderr.write(`[host ${source}] ${text}\n`);
  };

  return {
    logFile,

    /** The extension host's console and the workbench's log, as reported to codeAutomationLog. */
    fromExtensionHost(level, message) {
      const text = String(message);
      record('exthost', level, text);
      if (text.startsWith(REPORTER_TAG)) stdout.write(`${text.slice(REPORTER_TAG.length)}\n`);
      else if (verbose) stderr.write(`[exthost:${level}] ${text}\n`);
      else if ((level === 'error' && !isNoise(text)) || isImportant(text)) showError('extension host', text);
    },

    fromBrowser(type, text) {
      record('browser', type, text);
      if (verbose) stderr.write(`[browser:${type}] ${text}\n`);
      // Lines starting with %c are the workbench log's console copy, already seen via codeAutomationLog.
      else if (text.startsWith('%c')) return;
      else if (((type === 'error' || type === 'pageerror') && !isNoise(text)) || isImportant(text))
        showError('browser', text);
    },

    fromServer(stream, text) {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        record('server', stream, line);
        if (verbose) stderr.write(`[server:${stream}] ${line}\n`);
        else if (isImportant(line)) showError('server', line);
      }
    },

    blocked(url) {
      record('blocked', 'info', url);
    },

    /** The workbench's log files, handed over with the exit code. */
    workbenchLogs(logs) {
      if (!Array.isArray(logs)) return;
      for (const { relativePath, contents } of logs) record('workbench-log', relativePath, `\n${contents.trimEnd()}`);
    },

    close() {
      fs.closeSync(full);
    },
  };
}

module.exports = { createHostLogSink, isNoise };
