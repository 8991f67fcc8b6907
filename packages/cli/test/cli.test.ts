import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it, vi } from "vitest";

const runGenerateCommand = vi.fn<(argv: string[], io?: unknown) => Promise<number>>();
vi.mock("@semtrace/codegen", () => ({ runGenerateCommand }));

const { main } = await import("../src/cli.js");

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    cwd: "/somewhere",
  });
  return { code, stdout, stderr };
}

const pkgVersion = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

beforeEach(() => {
  runGenerateCommand.mockReset();
});

describe("semtrace (global options)", () => {
  it.each([["--help"], ["-h"]])("%s prints usage listing every command, exit 0", async (flag) => {
    const { code, stdout, stderr } = await run(flag);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: semtrace <command> [options]");
    expect(stdout).toMatch(/^ {2}generate {2,}\S/m);
    expect(stderr).toBe("");
  });

  it("--version prints the package version", async () => {
    const { code, stdout } = await run("--version");
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkgVersion}\n`);
  });

  it("no command prints usage to stderr, exit 2", async () => {
    const { code, stdout, stderr } = await run();
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: semtrace <command>");
  });

  it("an unknown global option is a usage error, exit 2", async () => {
    const { code, stderr } = await run("--bogus");
    expect(code).toBe(2);
    expect(stderr).toContain("--bogus");
    expect(runGenerateCommand).not.toHaveBeenCalled();
  });
});

describe("semtrace <unknown>", () => {
  it("exits 2 naming the command and listing the valid ones", async () => {
    const { code, stdout, stderr } = await run("frobnicate", "--help");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("unknown command 'frobnicate'");
    expect(stderr).toContain(
      "Valid commands: generate, validate, stats, live-check, report, check, diff, migrate, translate.",
    );
  });

  it("does not treat Object.prototype names as commands", async () => {
    const { code, stderr } = await run("constructor");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'constructor'");
  });
});

describe("semtrace generate", () => {
  it("delegates everything after the command to runGenerateCommand, with the io", async () => {
    runGenerateCommand.mockResolvedValue(0);
    const argv = ["--spec", "spec/x", "--out", "src/generated", "--check"];
    const { code } = await run("generate", ...argv);
    expect(code).toBe(0);
    expect(runGenerateCommand).toHaveBeenCalledTimes(1);
    const [passedArgv, passedIo] = runGenerateCommand.mock.calls[0]!;
    expect(passedArgv).toEqual(argv);
    expect(passedIo).toMatchObject({ cwd: "/somewhere" });
  });

  it("returns the generator's exit code", async () => {
    runGenerateCommand.mockResolvedValue(1);
    expect((await run("generate", "--check")).code).toBe(1);
  });

  it("leaves --help to the generator", async () => {
    runGenerateCommand.mockImplementation(async (_argv, io) => {
      (io as { stdout: (s: string) => void }).stdout("generate help\n");
      return 0;
    });
    const { code, stdout } = await run("generate", "--help");
    expect(code).toBe(0);
    expect(runGenerateCommand).toHaveBeenCalledWith(["--help"], expect.anything());
    expect(stdout).toBe("generate help\n");
  });

  it("reports a thrown error as exit 1 instead of rejecting", async () => {
    runGenerateCommand.mockRejectedValue(new Error("boom"));
    const { code, stderr } = await run("generate");
    expect(code).toBe(1);
    expect(stderr).toContain("semtrace generate: ");
    expect(stderr).toContain("boom");
  });
});
