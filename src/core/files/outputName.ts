import { sanitizeBaseName } from './naming';

export interface OutputNameParts {
  /** The source file's name without its extension, e.g. `intro`. */
  name: string;
  /** 1-based first and last line of a selection; absent for a whole document. */
  lines?: { start: number; end: number };
  model: string;
  language: string;
  date: Date;
}

export const DEFAULT_FILE_NAME_TEMPLATE = '{name}{lines}';

/**
 * Expands the `output.fileName` template: `{name}`, `{lines}` (`-L12-L20` for a selection, empty for a document),
 * `{model}`, `{language}`, `{date}` (YYYY-MM-DD). The result is sanitized, so a template can never escape the folder.
 */
export function expandFileNameTemplate(template: string, parts: OutputNameParts): string {
  const lines = parts.lines
    ? parts.lines.start === parts.lines.end
      ? `-L${parts.lines.start}`
      : `-L${parts.lines.start}-L${parts.lines.end}`
    : '';
  const date = parts.date.toISOString().slice(0, 10);
  const values: Record<string, string> = {
    name: parts.name,
    lines,
    model: parts.model,
    language: parts.language,
    date,
  };
  const expanded = (template || DEFAULT_FILE_NAME_TEMPLATE).replace(
    /\{(\w+)\}/g,
    (whole, key: string) => values[key] ?? whole,
  );
  return sanitizeBaseName(expanded);
}
