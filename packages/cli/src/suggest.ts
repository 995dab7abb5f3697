/**
 * Did-you-mean for command and connector names. Core has its own, but does not export it; this one
 * is the same idea (optimal string alignment distance) kept small for the command line.
 */
export function editDistance(a: string, b: string): number {
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      // A swap of two neighbouring characters is one typo, not two.
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (previous2[j - 2] ?? 0) + 1);
      row[j] = best;
    }
    previous2 = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate when it is a plausible typo of `input`, or one `input` is a prefix of. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  const list = [...candidates];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of list) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(needle.length / 3))) return best;
  if (needle.length < 2) return undefined;
  return list.find((candidate) => candidate.toLowerCase().startsWith(needle));
}
