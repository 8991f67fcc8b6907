/**
 * `semtrace check` and `semtrace diff` on real registries in a real git repository: the scenario (a copy
 * of spec/genai with an attribute added, one renamed with deprecated + renamed_to, a type changed and an enum
 * member added), stable promises broken against a baseline, revisions read without touching the working tree,
 * and the reports.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editOnce, git, REPO_ROOT, run, specRepo } from "./helpers/spec-repo.js";
import { tempDir } from "./helpers/tmp.js";

const REQUEST = "spec/genai/registry/request.yaml";

/** The four edits to spec/genai. */
function applyScenario(root: string): void {
  // Added: a new request attribute.
  editOnce(
    root,
    REQUEST,
    "      - id: gen_ai.request.top_k\n",
    "      - id: gen_ai.request.min_p\n        type: double\n        stability: development\n        brief: Minimum-probability sampling setting of the request.\n      - id: gen_ai.request.top_k\n",
  );
  // Retyped: top_k from int to double.
  editOnce(
    root,
    REQUEST,
    "      - id: gen_ai.request.top_k\n        type: int\n",
    "      - id: gen_ai.request.top_k\n        type: double\n",
  );
  // Renamed: temperature → sampling_temperature, the old key deprecated with renamed_to, spans moved to the new key.
  editOnce(
    root,
    REQUEST,
    "        brief: Sampling temperature of the request.\n        examples: [0.2]\n",
    [
      "        brief: Sampling temperature of the request.",
      "        examples: [0.2]",
      "        deprecated:",
      "          reason: renamed",
      "          renamed_to: gen_ai.request.sampling_temperature",
      "      - id: gen_ai.request.sampling_temperature",
      "        type: double",
      "        stability: development",
      "        brief: Sampling temperature of the request.",
      "        examples: [0.2]",
      "",
    ].join("\n"),
  );
  const spans = path.join(root, "spec/genai/spans.yaml");
  writeFileSync(
    spans,
    readFileSync(spans, "utf8").replaceAll(
      "- ref: gen_ai.request.temperature\n",
      "- ref: gen_ai.request.sampling_temperature\n",
    ),
  );
  // An enum member added to gen_ai.output.type.
  editOnce(
    root,
    REQUEST,
    "            - id: speech\n",
    '            - id: audio\n              value: "audio"\n              brief: Audio other than speech.\n              stability: development\n            - id: speech\n',
  );
}

describe("semtrace diff: the issue's scenario on a copy of spec/genai", () => {
  const root = specRepo("genai");
  applyScenario(root);

  it("classifies each change: added and enum member minor, retyped major, renamed minor with its builder field", async () => {
    const { code, stdout, stderr } = await run(
      root,
      "diff",
      "--base",
      "main",
      "--spec",
      "spec/genai",
      "--format",
      "json",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      bump: string;
      base: string;
      head: string;
      package: string;
      changes: { bump: string; subject: string; kind: string; id: string }[];
    };
    expect(report).toMatchObject({
      bump: "major",
      base: "main:spec/genai",
      head: "spec/genai",
      package: "@semtrace/genai",
    });
    const lines = report.changes.map((c) => `${c.bump} ${c.subject} ${c.kind} ${c.id}`);
    expect(lines).toContain("minor attribute added gen_ai.request.min_p");
    expect(lines).toContain("major attribute type-changed gen_ai.request.top_k");
    expect(lines).toContain("minor enum member added gen_ai.output.type audio");
    expect(lines).toContain("minor attribute renamed gen_ai.request.temperature");
    expect(lines).toContain("minor attribute added gen_ai.request.sampling_temperature");
    // The spans that listed the old key list the new one: reported as the rename, not as a removal.
    expect(lines.filter((l) => l.includes("span") && l.includes("temperature"))).toEqual(
      lines.filter((l) => l.startsWith("minor span renamed") && l.endsWith("gen_ai.request.temperature")),
    );
    expect(lines.some((l) => l.startsWith("major") && l.includes("temperature") && !l.includes("builder field"))).toBe(
      false,
    );
    // The builders' old field stays as a deprecated alias: a minor change.
    expect(lines).toContain("minor builder field renamed buildInvokeAgentAttributes.request.temperature");
    expect(lines.filter((l) => l.startsWith("major"))).toEqual(["major attribute type-changed gen_ai.request.top_k"]);
  });

  it("the renamed builder field still writes the value, under the new key", async () => {
    const out = tempDir("scenario-out");
    const generated = await run(root, "generate", "--spec", "spec/genai", "--out", out);
    expect(generated.code, generated.stderr).toBe(0);
    const { buildInvokeAgentAttributes } = (await import(path.join(out, "builders.ts"))) as {
      buildInvokeAgentAttributes: (input: unknown) => Record<string, unknown>;
    };
    expect(buildInvokeAgentAttributes({ request: { temperature: 0.5 } })).toEqual({
      "gen_ai.request.sampling_temperature": 0.5,
    });
    expect(buildInvokeAgentAttributes({ request: { temperature: 0.5, samplingTemperature: 0.7 } })).toEqual({
      "gen_ai.request.sampling_temperature": 0.7,
    });
    expect(readFileSync(path.join(out, "builders.ts"), "utf8")).toContain(
      "@deprecated Use the field of `gen_ai.request.sampling_temperature`.",
    );
  }, 60_000);

  it("text and Markdown say the same", async () => {
    const text = await run(root, "diff", "--base", "main", "--spec", "spec/genai");
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n")[0]).toMatch(
      /^genai: main:spec\/genai → spec\/genai: \d+ changes \(\d+ major, \d+ minor, 0 patch\); the registry needs a major bump$/,
    );
    expect(text.stdout).toContain("major  attribute `gen_ai.request.top_k` changed type from int to double");
    expect(text.stdout).toContain(
      "minor  attribute `gen_ai.request.temperature` renamed to `gen_ai.request.sampling_temperature` (deprecated alias kept)",
    );
    const md = await run(root, "diff", "--base", "main", "--spec", "spec/genai", "--format", "markdown");
    expect(md.stdout).toContain("#### Breaking (major)");
    expect(md.stdout).toContain(
      "| attribute | attribute `gen_ai.request.top_k` changed type from int to double | `gen_ai.request.top_k` |",
    );
  });

  it("--changeset writes the bump of @semtrace/genai (0.x: breaking → minor) and a line per change", async () => {
    const dir = tempDir("changesets");
    const { code, stderr } = await run(
      root,
      "diff",
      "--base",
      "main",
      "--spec",
      "spec/genai",
      "--changeset",
      "--changeset-dir",
      dir,
    );
    expect(code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(stderr).toContain(
      `Wrote ${path.relative(root, path.join(dir, files[0]!))} (@semtrace/genai: minor (0.1.0)).`,
    );
    const text = readFileSync(path.join(dir, files[0]!), "utf8");
    expect(text.split("\n").slice(0, 3)).toEqual(["---", '"@semtrace/genai": minor', "---"]);
    expect(text).toContain("- **Breaking:** Attribute `gen_ai.request.top_k` changed type from int to double.");
    expect(text).toContain("- Attribute `gen_ai.request.min_p` added (double, ATTR_GEN_AI_REQUEST_MIN_P).");
    expect(text).toContain(
      '- Enum member `audio` ("audio") added to `gen_ai.output.type` (GEN_AI_OUTPUT_TYPE_VALUE_AUDIO).',
    );
    // The same changes written again land in the same file.
    await run(root, "diff", "--base", "main", "--spec", "spec/genai", "--changeset", "--changeset-dir", dir);
    expect(readdirSync(dir)).toEqual(files);
  });

  it("--fail-on major exits 1; --fail-on with nothing that large exits 0", async () => {
    expect((await run(root, "diff", "--base", "main", "--spec", "spec/genai", "--fail-on", "major")).code).toBe(1);
    expect(
      (
        await run(
          root,
          "diff",
          "--base",
          "main",
          "--spec",
          "spec/genai",
          "--base",
          "main:spec/genai",
          "--fail-on",
          "major",
        )
      ).code,
    ).toBe(1);
    expect((await run(root, "diff", "--base", "spec/genai", "--spec", "spec/genai", "--fail-on", "patch")).code).toBe(
      0,
    );
  });

  it("check --baseline: every breaking change of this development registry is a compat.breaking warning, exit 0", async () => {
    const { code, stdout } = await run(root, "check", "--spec", "spec/genai", "--baseline", "main");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^spec\/genai\/registry\/request\.yaml:\d+:\d+: warning \[compat\.breaking\] attribute `gen_ai\.request\.top_k` changed type from int to double \(a breaking change\)$/m,
    );
    expect(stdout).not.toContain("compat.stable-broken");
    // One breaking change: the type. The rename keeps its constant and builder field, so it is not breaking.
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^spec\/genai: 0 errors, 1 warning \(\d+ attributes, 9 span definitions\); \d+ changes since main:spec\/genai$/,
    );
  });
});

describe("revisions", () => {
  const root = specRepo("genai");
  editOnce(
    root,
    REQUEST,
    "brief: Sampling temperature of the request.",
    "brief: The sampling temperature the request sets.",
  );

  it("reads the base from git without touching the working tree or the index", async () => {
    const before = git(root, "status", "--porcelain=v1");
    const stash = git(root, "stash", "list");
    const { code, stdout } = await run(root, "diff", "--base", "HEAD:spec/genai");
    expect(code).toBe(0);
    expect(stdout).toContain("1 change (0 major, 0 minor, 1 patch)");
    expect(stdout).toContain("patch  attribute `gen_ai.request.temperature`: brief changed");
    expect(git(root, "status", "--porcelain=v1")).toBe(before);
    expect(git(root, "stash", "list")).toBe(stash);
    expect(readFileSync(path.join(root, REQUEST), "utf8")).toContain("The sampling temperature the request sets.");
  });

  it("reads revisions from a subdirectory, and `<rev>:./dir` relative to it", async () => {
    const sub = path.join(root, "spec");
    expect((await run(sub, "diff", "--base", "HEAD", "--spec", "genai")).stdout).toContain("1 patch");
    expect((await run(sub, "diff", "--base", "HEAD:./genai")).stdout).toContain("HEAD:spec/genai → ./genai");
  });

  it("names what it could not read: an unknown revision, a directory missing at the revision, no repository", async () => {
    const unknown = await run(root, "diff", "--base", "no-such-branch", "--spec", "spec/genai");
    expect(unknown).toMatchObject({ code: 1, stdout: "" });
    expect(unknown.stderr).toContain(
      'semtrace diff: no-such-branch: not a directory, and "no-such-branch" is no git revision in',
    );
    const missing = await run(root, "diff", "--base", "HEAD:spec/nothing-here", "--spec", "spec/genai");
    expect(missing.stderr).toContain(
      "semtrace diff: HEAD:spec/nothing-here: no such directory at that revision, or it holds no files",
    );
    const outside = tempDir("no-repo");
    const noRepo = await run(outside, "check", "--spec", path.join(REPO_ROOT, "spec/genai"), "--baseline", "main");
    expect(noRepo.code).toBe(1);
    expect(noRepo.stderr).toContain("semtrace check: main: not a directory, and");
  });

  it("a base that does not load is reported with its diagnostics, not compared", async () => {
    writeFileSync(path.join(root, "spec/genai/broken.yaml"), "groups: [\n");
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "broken");
    const { code, stderr } = await run(root, "check", "--spec", "spec/genai", "--baseline", "HEAD");
    expect(code).toBe(1);
    expect(stderr).toMatch(/^HEAD:spec\/genai\/broken\.yaml:\d+:\d+: error \[yaml\.syntax\]/m);
    expect(stderr).toContain("semtrace check: the baseline HEAD:spec/genai has errors (above)");
  });
});

describe("semtrace check", () => {
  const MANIFEST = ["name: shop", "version: 1.2.0", "codegen:", '  package: "@acme/shop"', ""].join("\n");
  const REGISTRY = [
    "groups:",
    "  - id: registry.shop",
    "    type: attribute_group",
    "    brief: Shop attributes.",
    "    attributes:",
    "      - { id: shop.order.id, type: string, brief: The order., stability: stable }",
    "      - { id: shop.order.total, type: double, brief: The total., stability: stable }",
    "      - { id: shop.coupon, type: string, brief: A coupon., stability: development }",
    "",
  ].join("\n");

  function shopRepo(): string {
    const root = tempDir("shop");
    writeFileSync(path.join(root, "placeholder"), "");
    git(root, "init", "-q", "-b", "main");
    const spec = path.join(root, "spec");
    mkdirSync(spec);
    writeFileSync(path.join(spec, "manifest.yaml"), MANIFEST);
    writeFileSync(path.join(spec, "registry.yaml"), REGISTRY);
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "shop");
    return root;
  }

  it("a clean registry: the summary line, exit 0, with every reporter", async () => {
    const root = shopRepo();
    expect(await run(root, "check", "--spec", "spec")).toEqual({
      code: 0,
      stdout: "spec: 0 errors, 0 warnings (3 attributes, 0 span definitions)\n",
      stderr: "",
    });
    const json = await run(root, "check", "--spec", "spec", "--reporter", "json");
    expect(JSON.parse(json.stdout)).toEqual({ spec: "spec", errors: 0, warnings: 0, diagnostics: [] });
  });

  it("a stable attribute removed or retyped since the baseline is an error with its place; a development one's removal a warning", async () => {
    const root = shopRepo();
    editOnce(root, "spec/registry.yaml", "shop.order.total, type: double", "shop.order.total, type: string");
    editOnce(
      root,
      "spec/registry.yaml",
      "      - { id: shop.order.id, type: string, brief: The order., stability: stable }\n",
      "",
    );
    editOnce(
      root,
      "spec/registry.yaml",
      "      - { id: shop.coupon, type: string, brief: A coupon., stability: development }\n",
      "",
    );
    const text = await run(root, "check", "--spec", "spec", "--baseline", "main");
    expect(text.code).toBe(1);
    expect(text.stdout.split("\n")).toEqual([
      // A removed item is placed where the baseline defined it.
      "main:spec/registry.yaml:6:9: error [compat.stable-broken] attribute `shop.order.id` removed (constant ATTR_SHOP_ORDER_ID is gone): it was stable, and stable items may not change incompatibly",
      "main:spec/registry.yaml:8:9: warning [compat.breaking] attribute `shop.coupon` removed (constant ATTR_SHOP_COUPON is gone) (a breaking change)",
      "spec/registry.yaml:6:9: error [compat.stable-broken] attribute `shop.order.total` changed type from double to string: it was stable, and stable items may not change incompatibly",
      "spec: 2 errors, 1 warning; 3 changes since main:spec",
      "",
    ]);
    const github = await run(root, "check", "--spec", "spec", "--baseline", "main", "--reporter", "github");
    expect(github.stdout).toContain(
      "::error file=spec/registry.yaml,line=6,col=9,title=compat.stable-broken::attribute `shop.order.total` changed type from double to string",
    );
    const json = JSON.parse(
      (await run(root, "check", "--spec", "spec", "--baseline", "main", "--reporter", "json")).stdout,
    ) as { errors: number; baseline: string };
    expect(json).toMatchObject({ errors: 2, baseline: "main:spec" });
  });

  it("prints the generator's diagnostics with their ids and places, and exits 1 on an error", async () => {
    const root = shopRepo();
    editOnce(root, "spec/registry.yaml", "shop.coupon, type: string", "shop.coupon, type: strin");
    const { code, stdout } = await run(root, "check", "--spec", "spec");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^spec\/registry\.yaml:8:\d+: error \[type\.unknown\] /m);
    expect(stdout.trimEnd().split("\n").at(-1)).toBe("spec: 1 error, 0 warnings");
  });

  it("usage errors exit 2", async () => {
    expect((await run(REPO_ROOT, "check")).code).toBe(2);
    expect((await run(REPO_ROOT, "check", "--spec", "spec/genai", "--reporter", "sarif")).stderr).toContain(
      'unknown --reporter "sarif"',
    );
    expect((await run(REPO_ROOT, "diff", "--base", "main")).stderr).toContain("missing --spec <dir>");
    expect((await run(REPO_ROOT, "diff", "--base", "main", "--spec", "x", "--fail-on", "huge")).code).toBe(2);
  });

  it("checks this repository's registries clean", async () => {
    for (const name of ["genai", "openinference"]) {
      const { code, stdout } = await run(REPO_ROOT, "check", "--spec", `spec/${name}`);
      expect(code, stdout).toBe(0);
      expect(existsSync(path.join(REPO_ROOT, "spec", name))).toBe(true);
    }
  });
});
