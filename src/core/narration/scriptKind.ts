/** Scripts in these files are markdown (narrated without their syntax); anything else is read as plain text. */
export function isMarkdownFileName(fileName: string): boolean {
  return /\.(md|markdown|mdx)$/i.test(fileName);
}
