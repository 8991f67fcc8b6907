/**
 * In-process micro-benchmarks, candidates measured side by side in one process: every round runs
 * each candidate for a fixed time slice in turn (so machine noise hits them alike), and the median
 * of the rounds' ns/op is reported.
 */
let sink = 0;

/** Keeps results alive so the engine cannot drop the work. */
export function consume(value) {
  if (value !== null && typeof value === "object") sink ^= Object.keys(value).length;
  else if (typeof value === "number") sink ^= value | 0;
  else if (Array.isArray(value)) sink ^= value.length;
  return sink;
}

function timeSlice(fn, arg, ms, clock) {
  let n = 0;
  const start = process.hrtime.bigint();
  const cpuStart = clock === "cpu" ? process.cpuUsage() : undefined;
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 1000; i++) consume(fn(arg));
    n += 1000;
    elapsed = process.hrtime.bigint() - start;
  }
  if (cpuStart === undefined) return Number(elapsed) / n;
  // CPU time of this process (user + system, µs): on a shared machine, time spent descheduled is not counted.
  const cpu = process.cpuUsage(cpuStart);
  return ((cpu.user + cpu.system) * 1000) / n;
}

/**
 * candidates: [{ name, fn, arg }] — returns [{ name, nsPerOp (median), min, rounds }].
 * clock: "wall" (default) or "cpu" (the process's CPU time per op, which a loaded machine disturbs less).
 */
export function compare(candidates, { rounds = 9, sliceMs = 150, warmupMs = 300, clock = "wall" } = {}) {
  for (const c of candidates) timeSlice(c.fn, c.arg, warmupMs, clock);
  const samples = candidates.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of candidates.entries()) samples[i].push(timeSlice(c.fn, c.arg, sliceMs, clock));
  }
  return candidates.map((c, i) => {
    const sorted = [...samples[i]].sort((a, b) => a - b);
    return { name: c.name, nsPerOp: sorted[Math.floor(sorted.length / 2)], min: sorted[0], rounds };
  });
}

export const fmtNs = (ns) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`);
