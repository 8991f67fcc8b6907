/**
 * `annotations:` of an attribute, enum member or group. The `semtrace` entry is kept entry by entry with
 * positions (validation checks each name and value, spec/README.md §2.5); every other tool's annotations
 * (OpenTelemetry's `code_generation`, …) stay plain data.
 */
import { isMap, isScalar, type Node, type YAMLMap } from "yaml";
import type { RawAnnotation, RawSemtraceAnnotations } from "../model/raw.js";
import type { Reader } from "./reader.js";
import { mapGet, toPlain } from "./yaml-source.js";

export interface ReadAnnotations {
  readonly annotations?: Record<string, unknown>;
  readonly semtrace?: RawSemtraceAnnotations;
}

export function readAnnotations(r: Reader, map: YAMLMap, context: string): ReadAnnotations {
  const node = mapGet(map, "annotations");
  if (node === undefined || (isScalar(node) && node.value === null)) return {};
  if (!isMap(node)) {
    r.expected("a mapping under `annotations`", node, context, map);
    return {};
  }
  // Other tools' annotations as plain data (as the yaml package converts them), without `semtrace`.
  const others = toPlain(node) as Record<string, unknown>;
  delete others["semtrace"];
  let semtrace: RawSemtraceAnnotations | undefined;
  for (const pair of node.items) {
    const value = pair.value as Node | null;
    if (!isScalar(pair.key) || pair.key.value !== "semtrace") continue;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isMap(value)) {
      r.expected("a mapping under `semtrace`", value, `${context} annotations`, node);
      continue;
    }
    const entries: RawAnnotation[] = [];
    for (const entry of value.items) {
      if (!isScalar(entry.key)) {
        r.expected("an annotation name", entry.key as Node, `${context} annotations.semtrace`, value);
        continue;
      }
      const valueNode = (entry.value ?? undefined) as Node | undefined;
      entries.push({
        name: String(entry.key.value),
        value: toPlain(valueNode),
        location: r.loc(entry.key as Node),
        valueLocation: r.loc(valueNode ?? (entry.key as Node)),
      });
    }
    semtrace = { entries, location: r.loc(pair.key as Node) };
  }
  return { ...(Object.keys(others).length > 0 ? { annotations: others } : {}), ...(semtrace ? { semtrace } : {}) };
}
