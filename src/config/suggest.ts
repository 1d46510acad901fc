/**
 * @module
 * "Did you mean …?" for a mistyped key, value or name: the closest known word when it is close
 * enough to be a typo, and only when one word stands out.
 */

/** Edit distance with adjacent transpositions counted as one edit (`regoin` → `region` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known word `given` was probably meant to be, or undefined. A word matches when it differs
 * only in case, when one starts with the other (`memory` → `memorySize`), or when it is within a
 * third of its length in edits (`eventTyp` → `eventType`); a tie between two words suggests neither.
 */
export function closest(given: string, known: readonly string[]): string | undefined {
  const g = given.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let tie = false;
  for (const word of known) {
    const w = word.toLowerCase();
    if (w === g) return word;
    const distance = editDistance(g, w);
    const prefix = g.length >= 3 && (w.startsWith(g) || g.startsWith(w));
    if (!prefix && distance > Math.max(1, Math.floor(Math.max(g.length, w.length) / 3))) continue;
    const score = prefix ? Math.min(distance, 0.5) : distance;
    if (score < bestScore) [best, bestScore, tie] = [word, score, false];
    else if (score === bestScore) tie = true;
  }
  return tie ? undefined : best;
}

/** `; did you mean "x"?`, or nothing. */
export function didYouMean(given: unknown, known: readonly string[]): string {
  if (typeof given !== 'string') return '';
  const word = closest(given, known);
  return word === undefined ? '' : `; did you mean ${JSON.stringify(word)}?`;
}
