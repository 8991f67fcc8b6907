import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const built = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const manifest = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8")) as { bin: { semtrace: string } };
const linked = fileURLToPath(new URL(`../${manifest.bin.semtrace}`, import.meta.url));

function node(file: string, ...args: string[]) {
  return spawnSync(process.execPath, [file, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

describe("the built bin (dist/bin.js)", () => {
  it("exists: run `npm run build` first (turbo's test task does)", () => {
    expect(existsSync(built), `${built} is missing`).toBe(true);
  });

  it("starts with a node shebang", () => {
    expect(readFileSync(built, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("`node dist/bin.js --help` prints usage and exits 0", () => {
    const result = node(built, "--help");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: semtrace <command> [options]");
    expect(result.stdout).toContain("generate");
  });

  it("exits 2 on an unknown command", () => {
    const result = node(built, "nope");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown command 'nope'");
  });
});

describe("the bin npm links (package.json `bin.semtrace`)", () => {
  it("is an executable file with a node shebang, present before any build", () => {
    expect(readFileSync(linked, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(() => accessSync(linked, constants.X_OK)).not.toThrow();
  });

  it("runs the built command: `semtrace --version`", () => {
    const result = node(linked, "--version");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
