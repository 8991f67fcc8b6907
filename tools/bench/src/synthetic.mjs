/**
 * Synthetic semantic-conventions registries for scaling benchmarks: exactly `total` attribute definitions in
 * OpenTelemetry v1 syntax (`groups:`), spread over many files the way real registries are.
 *
 * Shape (deterministic for a given size and seed):
 * - namespaces `ns<k>`, each one folder with `registry.yaml` (one `registry.ns<k>.area<j>` attribute group per
 *   area) and `spans.yaml` (a common attribute group plus one span group per area);
 * - keys `ns<k>.area<j>.attr_<i>`, 10-30 per area, 4-12 areas per namespace;
 * - mixed types: string, int, double, boolean, arrays, `template[...]`, and enums with 3-8 members (string or int);
 * - ~5% deprecated (`renamed` with `renamed_to` an earlier live key of the same area, a few `obsoleted`);
 * - about one namespace in three has `object` groups (semtrace extension) whose fields are keyed
 *   `ns<k>.item<m>.field_<f>`, used by a `list[...]` (or `object[...]`) attribute of the namespace's first area;
 * - span groups extend the common group and `ref` 3-10 live attributes of their area with mixed requirement levels.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** mulberry32: small, fast, deterministic. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliet",
  "kilo",
  "lima",
];
const STABILITY = ["development", "development", "development", "stable"];
const SPAN_KINDS = ["client", "server", "internal", "producer", "consumer"];

/** [type, cumulative probability]; the rest (to 1.0) are enums. @type {[string, number][]} */
const TYPE_MIX = [
  ["string", 0.36],
  ["int", 0.48],
  ["double", 0.54],
  ["boolean", 0.61],
  ["string[]", 0.67],
  ["int[]", 0.69],
  ["double[]", 0.7],
  ["boolean[]", 0.71],
  ["template[string]", 0.76],
  ["template[int]", 0.78],
  ["any", 0.79],
];

const q = (s) => JSON.stringify(s);

function example(type, i) {
  switch (type) {
    case "string":
      return `[${q(`value-${i}`)}, ${q(`other-${i}`)}]`;
    case "int":
      return `[${i}, ${i * 7}]`;
    case "double":
      return `[${i}.5]`;
    case "boolean":
      return "[true]";
    case "string[]":
      return `[[${q(`a${i}`)}, ${q(`b${i}`)}]]`;
    case "int[]":
      return `[[${i}, ${i + 1}]]`;
    case "double[]":
      return `[[${i}.25]]`;
    case "boolean[]":
      return "[[true, false]]";
    case "template[string]":
      return `[${q(`tmpl-${i}`)}]`;
    case "template[int]":
      return `[${i}]`;
    default:
      return undefined;
  }
}

/**
 * Builds the registry in memory. Returns relative path → YAML text and counts of what was generated.
 * @param {number} total exact number of attribute definitions (object fields included)
 */
export function synthesize(total, { seed = 20251 } = {}) {
  const rand = rng(seed + total);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const files = new Map();
  const stats = {
    attributes: 0,
    enums: 0,
    templates: 0,
    deprecated: 0,
    objects: 0,
    objectFields: 0,
    listAttributes: 0,
    spans: 0,
    files: 0,
  };
  let remaining = total;

  for (let k = 0; remaining > 0; k++) {
    const reg = ["groups:"];
    const spans = ["groups:"];
    const areaCount = int(4, 12);
    /** area index → live (non-deprecated) keys, for refs and renamed_to */
    const live = [];

    // Object groups first, so the list attributes below can point at them.
    const objectIds = [];
    if (k % 3 === 1 && remaining > 40) {
      const objects = int(1, 2);
      for (let m = 0; m < objects; m++) {
        const id = `bench.ns${k}.item${m}`;
        const fields = int(3, 6);
        reg.push(
          `  - id: ${id}`,
          "    type: object",
          "    stability: development",
          `    brief: One item of a \`ns${k}\` collection (structure ${m}).`,
          "    attributes:",
        );
        for (let f = 0; f < fields; f++) {
          const type = f === 0 ? "string" : pick(["string", "int", "double", "boolean", "string[]"]);
          reg.push(
            `      - id: ns${k}.item${m}.field_${f}`,
            `        type: ${type}`,
            "        stability: development",
            `        brief: Field ${f} of item structure ${m} in namespace ${k}.`,
            `        examples: ${example(type, f)}`,
          );
        }
        objectIds.push(id);
        stats.objects++;
        stats.objectFields += fields;
        remaining -= fields;
      }
    }

    for (let j = 0; j < areaCount && remaining > 0; j++) {
      const n = Math.min(remaining, int(10, 30));
      const keys = [];
      reg.push(
        `  - id: registry.ns${k}.area${j}`,
        "    type: attribute_group",
        `    display_name: Namespace ${k} area ${j} attributes`,
        `    brief: Attributes of area ${j} in namespace ${k}.`,
        "    attributes:",
      );
      // The namespace's first area carries the list/object attributes (counted in n).
      let i = 0;
      if (j === 0) {
        for (const [m, objectId] of objectIds.entries()) {
          if (i >= n) break;
          const kind = m === 0 ? "list" : "object";
          const key = `ns${k}.area${j}.items_${m}`;
          reg.push(
            `      - id: ${key}`,
            `        type: ${kind}[${objectId}]`,
            "        stability: development",
            `        brief: The ${kind === "list" ? "items" : "item"} of operation ${j}, flattened as \`${key}.${kind === "list" ? "<i>." : ""}ns${k}.item${m}.<field>\`.`,
          );
          keys.push(key);
          stats.listAttributes++;
          i++;
        }
      }
      for (; i < n; i++) {
        const key = `ns${k}.area${j}.attr_${i}`;
        const r = rand();
        const type = TYPE_MIX.find(([, p]) => r < p)?.[0] ?? "enum";
        const lines = [`      - id: ${key}`];
        if (type === "enum") {
          const members = int(3, 8);
          const ints = rand() < 0.15;
          lines.push("        type:", "          members:");
          for (let e = 0; e < members; e++) {
            const id = `${WORDS[e]}`;
            lines.push(
              `            - id: ${id}`,
              `              value: ${ints ? e : q(id)}`,
              `              brief: The \`${id}\` case.`,
              "              stability: development",
            );
          }
          lines.push(`        examples: [${ints ? 0 : q(WORDS[0])}]`);
          stats.enums++;
        } else {
          lines.push(`        type: ${type}`);
          const ex = example(type, i);
          if (ex !== undefined) lines.push(`        examples: ${ex}`);
          if (type.startsWith("template")) stats.templates++;
        }
        lines.push(`        brief: Attribute ${i} of area ${j} in namespace ${k}.`);
        if (rand() < 0.25) {
          lines.push(
            "        note: |",
            `          Longer explanation of \`${key}\`: when it is set, what it means and how it relates`,
            `          to the other attributes of \`ns${k}.area${j}\`. Instrumentations SHOULD set it when known.`,
          );
        }
        const d = rand();
        if (d < 0.05 && keys.length > 0) {
          const targets = keys.filter((x) => !x.includes(".items_"));
          if (d < 0.04 && targets.length > 0) {
            lines.push("        deprecated:", "          reason: renamed", `          renamed_to: ${pick(targets)}`);
          } else {
            lines.push(
              "        deprecated:",
              "          reason: obsoleted",
              `          note: ${q(`Removed: area ${j} no longer reports it.`)}`,
            );
          }
          lines.push("        stability: development");
          stats.deprecated++;
        } else {
          lines.push(`        stability: ${pick(STABILITY)}`);
          keys.push(key);
        }
        reg.push(...lines);
      }
      live.push(keys);
      remaining -= n;
      stats.attributes += n;
    }

    // Spans: a common group (refs from area 0) extended by one span per area.
    const common = `attributes.ns${k}.common`;
    spans.push(
      `  - id: ${common}`,
      "    type: attribute_group",
      `    brief: Attributes every span of namespace ${k} may carry.`,
      "    attributes:",
    );
    for (const key of live[0].slice(0, 3)) spans.push(`      - ref: ${key}`, "        requirement_level: recommended");
    for (const [j, keys] of live.entries()) {
      if (keys.length === 0) continue;
      const refs = keys.slice(0, Math.min(keys.length, int(3, 10)));
      spans.push(
        `  - id: span.ns${k}.area${j}.operation`,
        "    type: span",
        `    extends: ${common}`,
        `    span_kind: ${pick(SPAN_KINDS)}`,
        `    stability: ${pick(STABILITY)}`,
        `    brief: An operation of area ${j} in namespace ${k}.`,
        "    attributes:",
      );
      for (const [r, key] of refs.entries()) {
        spans.push(`      - ref: ${key}`);
        switch (r % 5) {
          case 0:
            spans.push("        requirement_level: required");
            break;
          case 1:
            spans.push("        requirement_level: recommended");
            break;
          case 2:
            spans.push(
              "        requirement_level:",
              `          conditionally_required: when the operation reports ${key.split(".").pop()}`,
            );
            break;
          case 3:
            spans.push("        requirement_level:", "          recommended: if available");
            break;
          default:
            spans.push("        requirement_level: opt_in", `        brief: Span-specific description of \`${key}\`.`);
        }
      }
      stats.spans++;
    }
    files.set(`ns${k}/registry.yaml`, `${reg.join("\n")}\n`);
    if (spans.length > 1) files.set(`ns${k}/spans.yaml`, `${spans.join("\n")}\n`);
  }
  stats.attributes += stats.objectFields;
  const name = `synthetic-${total >= 1000 ? `${total / 1000}k` : total}`;
  files.set(
    "manifest.yaml",
    [
      `name: ${name}`,
      `description: Synthetic registry of ${total} attributes for benchmarks.`,
      "version: 0.0.0",
      "stability: development",
      "codegen:",
      "  naming: otel",
      "",
    ].join("\n"),
  );
  stats.files = files.size;
  return { name, files, stats };
}

/** Writes the registry under dir (created); returns what synthesize() returned. */
export function writeSynthetic(dir, total, options) {
  const result = synthesize(total, options);
  for (const [rel, text] of result.files) {
    const path = join(dir, rel);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
  }
  return result;
}
