/**
 * Peak memory of `semtrace generate` (the built generator, in a fresh `node` per case) on hostile spec
 * directories, one per cap of load/limits.ts: each stops with its diagnostic, and the process's peak RSS
 * (`process.resourceUsage().maxRSS`) stays under a bound. Before the caps, a 350-byte alias bomb of 6 levels
 * took 1,254 MiB and 79 s, 9 levels ran out of memory, and 50,000-deep nesting ran out of stack.
 *
 * Needs the build (`npm run build`; turbo's test task builds first).
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { zipArchive } from "./helpers/archives.js";
import { peakBoundMiB } from "./helpers/peak-bound.js";

const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const MiB = 1024 * 1024;

const root = mkdtempSync(path.join(tmpdir(), "semtrace-limits-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the built `semtrace generate --spec <dir>` with `flags` in a fresh process: exit code, stderr, peak RSS. */
function generate(spec: string, ...flags: string[]): { code: number | null; stderr: string; peakMiB: number } {
  const script = [
    `const { runGenerateCommand } = await import(${JSON.stringify(dist)});`,
    `const code = await runGenerateCommand(${JSON.stringify(["--spec", spec, "--out", path.join(root, "out"), ...flags])}, { stdout: () => {}, stderr: (s) => process.stderr.write(s) });`,
    "process.stderr.write(`\\npeak-rss ${process.resourceUsage().maxRSS}\\n`);",
    "process.exitCode = code;",
  ].join("\n");
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    maxBuffer: 64 * MiB,
  });
  const match = /\npeak-rss (\d+)\n$/.exec(result.stderr);
  return {
    code: result.status,
    stderr: result.stderr.replace(/\npeak-rss \d+\n$/, ""),
    peakMiB: match ? Number(match[1]) / 1024 : Number.NaN,
  };
}

function spec(name: string, write: (file: string) => void): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  write(path.join(dir, "registry.yaml"));
  return dir;
}

describe("semtrace generate on hostile YAML (built generator, fresh process each)", () => {
  it("has a build to run: `npm run build` first (turbo's test task does)", () => {
    expect(existsSync(dist), `${dist} is missing`).toBe(true);
  });

  // The process alone (loading the generator, TypeScript and ts-morph) peaks near 115 MiB.
  const cases: [name: string, make: (file: string) => void, diagnostic: RegExp, boundMiB: number][] = [
    [
      "the alias bomb (9 levels of 9 aliases, 478 bytes, 387 million nodes once expanded): nodes counted before copying",
      (file) => {
        const out = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
        for (let i = 1; i <= 9; i++)
          out.push(
            `x${i}: &a${i} [${Array(9)
              .fill(`*a${i - 1}`)
              .join(",")}]`,
          );
        writeFileSync(file, `${out.join("\n")}\n`);
      },
      /registry\.yaml:6:14: error \[yaml\.too-many-nodes\]/,
      160,
    ],
    [
      "16 MiB of `[1,1,1,…]` (8 million nodes): parsing stops at the node cap",
      (file) => writeFileSync(file, `groups: [${"1,".repeat(8 * MiB - 6)}1]\n`),
      /registry\.yaml:1:\d+: error \[yaml\.too-many-nodes\] more than 150000 YAML nodes/,
      260,
    ],
    [
      "a 1 GiB file: not read",
      (file) => {
        const fd = openSync(file, "w");
        ftruncateSync(fd, 1024 * MiB);
        closeSync(fd);
      },
      /registry\.yaml:1:1: error \[yaml\.too-large\] file of 1073741824 bytes/,
      160,
    ],
    [
      "50,000 nested flow sequences: parsing stops at the depth cap",
      (file) => writeFileSync(file, `groups: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`),
      /registry\.yaml:1:264: error \[yaml\.too-deep\]/,
      160,
    ],
    [
      "50,000 nested block sequences: parsing stops at the depth cap",
      (file) => writeFileSync(file, `${"- ".repeat(50_000)}x\n`),
      /registry\.yaml:1:513: error \[yaml\.too-deep\]/,
      160,
    ],
  ];

  it.each(cases)(
    "%s",
    (name, make, diagnostic, boundMiB) => {
      const dir = spec(name.slice(0, 12).replace(/\W/g, "_"), make);
      const { code, stderr, peakMiB } = generate(dir);
      expect(stderr).toMatch(diagnostic);
      expect(code).toBe(1);
      expect(peakMiB, `peak RSS ${peakMiB.toFixed(0)} MiB`).toBeLessThan(peakBoundMiB(boundMiB));
    },
    120_000,
  );

  it("a file at the node cap loads, within a bound; the same file over a lowered cap stops early", () => {
    const dir = spec("at-cap", (file) =>
      writeFileSync(file, `x:\n${Array.from({ length: 149_990 }, (_, i) => `  - v${i}`).join("\n")}\n`),
    );
    const full = generate(dir);
    // Read whole: only the shape is wrong (no `groups:`).
    expect(full.stderr).toMatch(/registry\.yaml:1:1: error \[file\.format\]/);
    // Measured 278 / 283 / 380 MiB on Node 20 / 22 / 24 (see peakBoundMiB for Node 24's share).
    expect(full.peakMiB, `peak RSS ${full.peakMiB.toFixed(0)} MiB`).toBeLessThan(peakBoundMiB(330));
    const capped = generate(dir, "--max-yaml-nodes", "10000");
    expect(capped.stderr).toMatch(/registry\.yaml:\d+:5: error \[yaml\.too-many-nodes\] more than 10000 YAML nodes/);
    expect(capped.peakMiB).toBeLessThan(full.peakMiB);
  }, 120_000);
});

describe("semtrace generate fetching a dependency archive (built generator, fresh process each)", () => {
  // An honest 192 MiB entry (under the 256 MiB default) is unpacked as a stream; a lying header is caught as it inflates.
  const big = 192 * MiB;
  const archive = (name: string, declaredSize?: number): string => {
    const dir = path.join(root, name);
    mkdirSync(path.join(dir, "app"), { recursive: true });
    writeFileSync(
      path.join(dir, "app", "manifest.yaml"),
      "name: app\nschema_url: https://app.example/app/1.0.0\ndependencies:\n  - schema_url: https://dep.example/dep/1.0.0\n    registry_path: ../dep.zip[model]\n",
    );
    writeFileSync(
      path.join(dir, "app", "a.yaml"),
      "groups:\n  - id: registry.app\n    type: attribute_group\n    brief: App.\n    attributes:\n      - ref: dep.x\n",
    );
    writeFileSync(
      path.join(dir, "dep.zip"),
      zipArchive([
        { name: "dep/" },
        { name: "dep/model/manifest.yaml", data: "name: dep\nschema_url: https://dep.example/dep/1.0.0\n" },
        {
          name: "dep/model/dep.yaml",
          data: "groups:\n  - id: registry.dep\n    type: attribute_group\n    brief: Dep.\n    attributes:\n      - id: dep.x\n        type: string\n        brief: X.\n",
        },
        {
          name: "dep/assets/big.bin",
          data: Buffer.alloc(big),
          ...(declaredSize === undefined ? {} : { declaredSize }),
        },
      ]),
    );
    return path.join(dir, "app");
  };

  it("unpacks a 192 MiB archive entry without holding it (peak RSS bounded)", () => {
    const r = generate(archive("honest"), "--registry-cache", path.join(root, "cache-honest"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.peakMiB).toBeLessThan(peakBoundMiB(200));
  }, 120_000);

  it("refuses a zip bomb whose header lies, at the first bytes past its declared size", () => {
    const r = generate(archive("lying", 1024), "--registry-cache", path.join(root, "cache-lying"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error \[dependency\.too-large\] .*inflates past the size it declares/);
    expect(r.peakMiB).toBeLessThan(peakBoundMiB(200));
  }, 120_000);

  it("refuses an archive over --max-extracted-bytes", () => {
    const r = generate(
      archive("capped"),
      "--registry-cache",
      path.join(root, "cache-capped"),
      "--max-extracted-bytes",
      String(64 * MiB),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error \[dependency\.too-large\] .*unpacks to more than 67108864 bytes \(--max-extracted-bytes\)/,
    );
  }, 120_000);
});
