/**
 * Comparison checked on real history: the diff of the upstream OpenTelemetry models v1.43.0 → v1.44.0
 * (../shared/conformance) accounts for exactly the constants added to, removed from and deprecated in
 * @opentelemetry/semantic-conventions between its 1.43.0 and 1.44.0 releases (both installed; 1.43.0 under an
 * alias). `ATTR_*` and `*_VALUE_*` always; `METRIC_*` and `EVENT_*` when the resolved model carries metrics and
 * events.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compareRegistries, readSpec, type Registry, type RegistryChange } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const MODELS = path.resolve(here, "../../../../shared/conformance");
const OLD = path.join(MODELS, "otel-semconv-1.43.0/model");
const NEW = path.join(MODELS, "otel-semconv-1.44.0/model");
const present = existsSync(OLD) && existsSync(NEW);
if (!present) console.warn(`[compare-upstream] SKIPPED: upstream models v1.43.0 and v1.44.0 not found under ${MODELS}`);

const require = createRequire(import.meta.url);

/** Every string constant of a release (root and /incubating), and the names its declarations mark @deprecated. */
function release(pkg: string): { constants: Set<string>; deprecated: Set<string> } {
  const constants = new Set<string>();
  for (const entry of [pkg, `${pkg}/incubating`]) {
    for (const [name, value] of Object.entries(require(entry) as Record<string, unknown>))
      if (typeof value === "string") constants.add(name);
  }
  const deprecated = new Set<string>();
  // The package's folder: up from its entry to its package.json (1.43.0's exports do not list package.json).
  let root = path.dirname(require.resolve(pkg));
  while (!existsSync(path.join(root, "package.json"))) root = path.dirname(root);
  const declarations = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() && e.name !== "node_modules"
        ? declarations(path.join(dir, e.name))
        : /\.d\.(ts|cts)$/.test(e.name)
          ? [path.join(dir, e.name)]
          : [],
    );
  // 1.43.0 declares `export declare const`; 1.44.0's bundled .d.mts declares `declare const` and exports at the end.
  for (const file of declarations(root)) {
    for (const m of readFileSync(file, "utf8").matchAll(
      /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:export )?declare const (\w+)/g,
    )) {
      if (m[1]!.includes("@deprecated")) deprecated.add(m[2]!);
    }
  }
  return { constants, deprecated };
}

async function resolved(dir: string): Promise<{ registry?: Registry; errors: string[] }> {
  const { registry, diagnostics } = await readSpec(dir, { naming: "otel" });
  return {
    ...(registry ? { registry } : {}),
    errors: diagnostics.filter((d) => d.severity === "error").map((d) => d.id),
  };
}

/** The constant names our changes name, by what happened to them. */
function constantsOf(changes: readonly RegistryChange[], base: Registry, head: Registry) {
  const names = (r: Registry) => {
    const byId = new Map<string, string>();
    const members = new Map<string, string[]>();
    for (const a of r.attributes) {
      if (a.emitted) byId.set(`attribute ${a.key}`, a.constName);
      if (a.type.kind !== "enum") continue;
      for (const m of a.type.members) if (m.emitted) byId.set(`enum member ${a.key} ${m.id}`, m.constName);
      members.set(
        `attribute ${a.key}`,
        a.type.members.filter((m) => m.emitted).map((m) => m.constName),
      );
    }
    const signals = r as Registry & {
      metrics?: { id: string; constName: string }[];
      events?: { id: string; constName: string }[];
    };
    for (const m of signals.metrics ?? []) byId.set(`metric ${m.id}`, m.constName);
    for (const e of signals.events ?? []) byId.set(`event ${e.id}`, e.constName);
    return { byId, members };
  };
  const before = names(base);
  const after = names(head);
  const out = { added: new Set<string>(), removed: new Set<string>(), deprecated: new Set<string>() };
  for (const c of changes) {
    const id = `${c.subject} ${c.id}`;
    // An attribute added or removed brings or takes its enum members' constants.
    if (c.subject === "constant") (c.kind === "added" ? out.added : out.removed).add(c.id);
    else if (c.kind === "added" && after.byId.has(id))
      for (const n of [after.byId.get(id)!, ...(after.members.get(id) ?? [])]) out.added.add(n);
    else if (c.kind === "removed" && before.byId.has(id))
      for (const n of [before.byId.get(id)!, ...(before.members.get(id) ?? [])]) out.removed.add(n);
    else if ((c.kind === "deprecated" || c.kind === "renamed") && after.byId.has(id))
      out.deprecated.add(after.byId.get(id)!);
  }
  return out;
}

describe.skipIf(!present)("semconv v1.43.0 → v1.44.0, against the npm releases", () => {
  it("accounts for every added, removed and deprecated constant", async () => {
    const [base, head] = await Promise.all([resolved(OLD), resolved(NEW)]);
    expect(base.errors).toEqual([]);
    expect(head.errors).toEqual([]);
    const changes = compareRegistries(base.registry!, head.registry!);
    const ours = constantsOf(changes, base.registry!, head.registry!);

    const withSignals = "metrics" in head.registry!;
    const family = (name: string) =>
      /^ATTR_/.test(name) || /_VALUE_/.test(name) || (withSignals && /^(METRIC|EVENT)_/.test(name));
    const old = release("@opentelemetry/semantic-conventions-1.43.0");
    const now = release("@opentelemetry/semantic-conventions");
    const added = [...now.constants].filter((n) => !old.constants.has(n) && family(n)).sort();
    const removed = [...old.constants].filter((n) => !now.constants.has(n) && family(n)).sort();
    const deprecated = [...now.deprecated]
      .filter((n) => !old.deprecated.has(n) && old.constants.has(n) && family(n))
      .sort();
    console.info(
      `[compare-upstream] npm 1.43.0 → 1.44.0: ${added.length} added, ${removed.length} removed, ${deprecated.length} newly deprecated constants; ${changes.length} changes`,
    );

    expect([...ours.added].filter(family).sort()).toEqual(added);
    expect([...ours.removed].filter(family).sort()).toEqual(removed);
    expect([...ours.deprecated].filter(family).sort()).toEqual(deprecated);
  }, 120_000);
});
