// A temporary run folder holding a private copy of a workspace, removed by the cleanup registry:
// shared by the test runner (fixture workspace) and the demo (examples/).
const fs = require('fs');
const os = require('os');
const path = require('path');

/** Creates `<tmp>/<prefix>XXXXXX/workspace` as a copy of `source`; returns both paths. */
function prepareRunFolder(cleanup, { prefix, label, source }) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const removeRunDir = () => fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  cleanup.add(`${label} ${runDir}`, removeRunDir, removeRunDir);
  const workspaceFolder = path.join(runDir, 'workspace');
  fs.cpSync(source, workspaceFolder, { recursive: true });
  return { runDir, workspaceFolder };
}

module.exports = { prepareRunFolder };
