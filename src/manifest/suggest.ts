/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/**
 * Above this many candidates no suggestion is made: each costs a distance
 * computation, and a large manifest with many broken references must not
 * turn into a quadratic search.
 */
const MAX_CANDIDATES = 10_000;

/** The closest candidate within a third of the word's length, if any. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const all = [...candidates];
  if (all.length > MAX_CANDIDATES) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of all) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): { help: string } | Record<string, never> {
  const hit = suggest(word, candidates);
  return hit === undefined ? {} : { help: `did you mean ${JSON.stringify(hit)}?` };
}
