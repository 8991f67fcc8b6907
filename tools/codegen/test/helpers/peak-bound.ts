/**
 * A peak-RSS bound for the running Node: `baseMiB` (set on Node 20/22) plus Node 24's larger young generation.
 * V8 13 sizes its semi-spaces from the heap limit, so a run holds up to ~100 MiB more garbage between scavenges
 * (resource-limits.test.ts' at-cap run: 278 / 283 / 380 MiB on Node 20 / 22 / 24, and 296 MiB on 24 with
 * --max-semi-space-size=16). The allowance is the engine's, not more room for what our code retains.
 */
export function peakBoundMiB(baseMiB: number): number {
  return Number(process.versions.node.split(".")[0]) >= 24 ? baseMiB + 100 : baseMiB;
}
