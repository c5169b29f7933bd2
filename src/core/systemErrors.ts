// Raw failures of the operating system (errno codes such as ENOENT, EACCES, ENOSPC) and of Node's HTTP client
// (its parser's HPE_* codes, connection and TLS codes), said in words about the user's situation. This is the one
// place that knows those codes; messages are built from these phrases and the code itself goes to the log only.

/** The string `code` of a Node error (also one kept as `cause.code` by the core's own errors). */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof causeCode === 'string' && causeCode !== '' ? causeCode : undefined;
}

/** True for the codes of Node's HTTP parser (llhttp): the other side sent something that is not valid HTTP. */
export function isHttpParserCode(code: string | undefined): boolean {
  return code !== undefined && code.startsWith('HPE_');
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'you do not have permission (it may belong to another user, for instance after a run with sudo)',
  EPERM: 'you do not have permission (it may belong to another user, or be locked)',
  EROFS: 'it is on a read-only disk',
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EMFILE: 'too many files are open at once',
  ENFILE: 'too many files are open at once',
  ENAMETOOLONG: 'its name is too long',
  ELOOP: 'it is a loop of symbolic links',
  EBUSY: 'it is in use by another program',
  EEXIST: 'something with that name already exists',
  EIO: 'the disk reported a read or write error',
  ENOTEMPTY: 'the folder is not empty',
  EXDEV: 'it is on another disk',
};

/**
 * What an errno code says about a file or folder, as the end of a sentence ("Cannot read x.md: <phrase>.");
 * undefined for a code that is not about files.
 */
export function fileProblem(code: string | undefined): string | undefined {
  return code === undefined ? undefined : FILE_PROBLEMS[code];
}

const CONNECTION_PROBLEMS: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the server closed the connection unexpectedly',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the server closed the connection unexpectedly',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the server’s name could not be found (check the address and your network)',
  EAI_AGAIN: 'the server’s name could not be looked up just now (check your network)',
  EHOSTUNREACH: 'the server cannot be reached from this network',
  ENETUNREACH: 'there is no network connection',
  ENETDOWN: 'there is no network connection',
  UND_ERR_SOCKET: 'the server closed the connection unexpectedly',
  CERT_HAS_EXPIRED: 'the server’s security certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server’s security certificate is not trusted (self-signed)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the server’s security certificate is not trusted (a proxy may be intercepting)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server’s security certificate could not be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the server’s security certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server’s security certificate is for another name',
};

/**
 * What a connection-level code says, as the end of a sentence ("The audio download failed: <phrase>.").
 * HTTP parser codes (HPE_*) all mean a broken answer; undefined for a code that is not about connections.
 */
export function connectionProblem(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (code === 'HPE_CLOSED_CONNECTION' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH')
    return 'the server sent more data than it announced, so the answer cannot be trusted';
  if (isHttpParserCode(code)) return 'the server sent an answer that is not valid HTTP';
  return CONNECTION_PROBLEMS[code];
}

const SYSCALL_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  close: 'write',
  mkdir: 'create the folder',
  mkdtemp: 'create a temporary folder in',
  rmdir: 'remove the folder',
  rename: 'move',
  unlink: 'delete',
  copyfile: 'copy',
  link: 'link',
  stat: 'look at',
  lstat: 'look at',
  scandir: 'list',
  utime: 'update',
  access: 'use',
};

/**
 * One sentence for a raw file-system error thrown by Node ({ code, syscall, path }): what could not be done to which
 * path and why, e.g. "Could not read /tmp/notes: it is a folder, not a file."; undefined when it is not one.
 */
export function fileErrorSentence(error: unknown): string | undefined {
  const code = errorCodeOf(error);
  const problem = fileProblem(code);
  if (problem === undefined) return undefined;
  const e = error as { syscall?: unknown; path?: unknown };
  const verb = typeof e.syscall === 'string' ? (SYSCALL_VERBS[e.syscall] ?? 'use') : 'use';
  if (typeof e.path === 'string' && e.path !== '') return `Could not ${verb} ${e.path}: ${problem}.`;
  // Some calls (reading a folder as a file) do not say which path they were given.
  if (code === 'EISDIR') return 'A folder was found where a file was expected.';
  return `Could not ${verb} a file: ${problem}.`;
}
