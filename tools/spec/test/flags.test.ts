/**
 * `@semtrace/spec/flags`, the dependency flags every command that reads a spec directory shares: what they parse
 * to (folders against the command's cwd, flags before `SEMTRACE_DEPENDENCIES`, caps in digits only) and what they
 * say when malformed. The entry is the built `dist/flags.js`, so its closure is checked too: no YAML parser.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { dependencyHelp, parseDependencyFlags } from "../src/load/dependencies/flags.js";
import { DEFAULT_FETCH_LIMITS } from "../src/load/dependencies/limits.js";

const saved = process.env["SEMTRACE_DEPENDENCIES"];
afterEach(() => {
  if (saved === undefined) delete process.env["SEMTRACE_DEPENDENCIES"];
  else process.env["SEMTRACE_DEPENDENCIES"] = saved;
});

describe("parseDependencyFlags", () => {
  it("resolves the flags' folders and the cache against cwd; the environment's entries follow the flags'", () => {
    process.env["SEMTRACE_DEPENDENCIES"] = "otel=env/otel;acme=env/acme";
    const parsed = parseDependencyFlags(
      { dependency: ["acme=../acme", "https://example.com/x/1.0.0=/abs/x"], "registry-cache": "cache", offline: true },
      "/work/app",
    );
    expect(parsed).toEqual({
      overrides: new Map([
        ["acme", "/work/acme"],
        ["https://example.com/x/1.0.0", "/abs/x"],
        // Read where the loader runs, as without flags.
        ["otel", "env/otel"],
      ]),
      offline: true,
      cacheDir: "/work/app/cache",
      fetchLimits: {},
    });
    expect([...(parsed as { overrides: Map<string, string> }).overrides.keys()]).toEqual([
      "acme",
      "https://example.com/x/1.0.0",
      "otel",
    ]);
  });

  it("without --dependency leaves the overrides to the loader (SEMTRACE_DEPENDENCIES)", () => {
    expect(parseDependencyFlags({}, "/")).toEqual({ fetchLimits: {} });
  });

  it("splits at the first '=': a key holds none, a folder may", () => {
    expect(parseDependencyFlags({ dependency: ["k=a=b"] }, "/w")).toMatchObject({
      overrides: new Map([["k", "/w/a=b"]]),
    });
  });

  it.each([
    [{ "fetch-timeout": "5" }, { timeoutMs: 5000 }],
    [
      { "max-download-bytes": "1000", "max-archive-entries": "10", "max-extracted-bytes": "2000" },
      { maxDownloadBytes: 1000, maxArchiveEntries: 10, maxExtractedBytes: 2000 },
    ],
  ])("fetch caps %j", (values, fetchLimits) => {
    expect(parseDependencyFlags(values, "/")).toEqual({ fetchLimits });
  });

  it.each([
    [{ dependency: ["foo"] }, "--dependency expects <key>=<dir>, found 'foo'"],
    [{ dependency: ["=dir"] }, "--dependency expects <key>=<dir>, found '=dir'"],
    [{ dependency: ["key="] }, "--dependency expects <key>=<dir>, found 'key='"],
    [{ "fetch-timeout": "0" }, "--fetch-timeout expects a whole number of at least 1, found '0'"],
    [{ "fetch-timeout": "1.5" }, "--fetch-timeout expects a whole number of at least 1, found '1.5'"],
    [{ "max-download-bytes": "1e6" }, "--max-download-bytes expects a whole number of at least 1, found '1e6'"],
    [{ "max-download-bytes": "0x10" }, "--max-download-bytes expects a whole number of at least 1, found '0x10'"],
    [{ "max-archive-entries": " 5" }, "--max-archive-entries expects a whole number of at least 1, found ' 5'"],
    [{ "max-extracted-bytes": "" }, "--max-extracted-bytes expects a whole number of at least 1, found ''"],
    [
      { "max-extracted-bytes": "99999999999999999999" },
      "--max-extracted-bytes expects a whole number of at least 1, found '99999999999999999999'",
    ],
  ])("%j is refused: %s", (values, message) => {
    expect(parseDependencyFlags(values, "/")).toBe(message);
  });
});

describe("dependencyHelp", () => {
  it.each([22, 24, 30])("at column %i: every flag, its default, lines within 80 columns", (column) => {
    const help = dependencyHelp(column);
    for (const flag of ["--dependency <key>=<dir>", "--offline", "--registry-cache <dir>", "--fetch-timeout <n>"])
      expect(help).toMatch(new RegExp(`^  ${flag.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m"));
    expect(help).toContain(`(default ${DEFAULT_FETCH_LIMITS.timeoutMs / 1000})`);
    expect(help.split("\n").filter((line) => line.length > 80)).toEqual([]);
    // Every description starts at the column.
    for (const line of help.split("\n").slice(1))
      if (!line.startsWith("  -")) expect(line.slice(0, column).trim()).toBe("");
  });
});

describe("the built ./flags entry", () => {
  const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "../dist");

  it("imports nothing but its own chunk and node:path (no YAML parser, no loader)", () => {
    const imports = (file: string) =>
      [...readFileSync(path.join(dist, file), "utf8").matchAll(/^import [^;]*?from "([^"]+)";$/gms)].map((m) => m[1]!);
    const chunks = imports("flags.js");
    for (const chunk of chunks) expect(chunk).toMatch(/^\.\/chunk-[\w-]+\.js$/);
    expect(chunks.flatMap(imports).sort()).toEqual(["path"]);
    expect(
      [...readFileSync(path.join(dist, "flags.cjs"), "utf8").matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]),
    ).toEqual(["path"]);
  });
});
