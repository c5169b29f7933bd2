/** Index of the last element ≤ value in an ascending array (0 when none is): which line, block or chunk holds an offset. */
export function lastIndexAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return Math.max(low, 0);
}
