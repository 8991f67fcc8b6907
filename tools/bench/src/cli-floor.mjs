/**
 * What the CLI benchmarks share: the built bin, a child-process runner that reports wall time and peak RSS, and the
 * floor every streaming command is measured against (readline + `JSON.parse` of every line, in one thread).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
export const log = (s) => process.stderr.write(`${s}\n`);

/** The built CLI's bin (exits saying so when it is not built). */
export function builtBin() {
  const bin = join(repoRoot, "packages/cli/dist/bin.js");
  if (!existsSync(bin)) {
    log("packages/cli/dist/bin.js is missing: build first (npm run build).");
    process.exit(1);
  }
  return bin;
}

const RSS_HOOK =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('\\nMAXRSS:'+process.resourceUsage().maxRSS+'\\n'))";

/** Runs `node ...args` (CI=1); returns wall time (ms, process start included), peak RSS (MiB), exit and output. */
export function run(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--import", RSS_HOOK, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: "1" },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw r.error;
  const rss = Number(/MAXRSS:(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024; // KiB → MiB
  return { ms, rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PARSE_ONLY = `
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
const file = process.argv[1];
// The same read and gunzip chunk sizes as semtrace validate, so the floor is a fair one.
let input = createReadStream(file, { highWaterMark: 1024 * 1024 });
if (file.endsWith(".gz")) input = input.pipe(createGunzip({ chunkSize: 256 * 1024 }));
let lines = 0, spans = 0;
for await (const line of createInterface({ input, crlfDelay: Infinity })) {
  if (!line) continue;
  const doc = JSON.parse(line);
  lines++;
  for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length;
}
console.log(JSON.stringify({ lines, spans }));
`;

/** One run of the floor over `input`; throws unless it read `spans` spans. */
export function parseOnly(input, spans) {
  const p = run(["--input-type=module", "-e", PARSE_ONLY, input]);
  if (p.status !== 0) throw new Error(`parse-only failed: ${p.stderr}`);
  const parsed = JSON.parse(p.stdout);
  if (spans !== undefined && parsed.spans !== spans) throw new Error(`parse-only counted ${parsed.spans} spans`);
  return p;
}
