/**
 * Returns the engine's canonical (internalized) copy of a string. Generated builders cache the
 * attribute keys of each list element; a key built by concatenation is a fresh string that the
 * engine would hash and look up on every property store, while the canonical copy is stored
 * directly. Measured: about 2.5× faster writes of indexed keys (see BENCHMARKS.md).
 */
export function internalize(key: string): string {
  const holder: Record<string, 0> = {};
  holder[key] = 0;
  for (const canonical in holder) return canonical;
  return key;
}
