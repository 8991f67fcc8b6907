/**
 * Shape-checked reads of YAML mappings. Each read that finds the wrong shape records a
 * `yaml.shape` diagnostic ("expected … , found …") at the offending node and returns undefined,
 * so one pass reports every problem in a file.
 */
import { isMap, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";
import { describeNode, locate, mapGet, mapPair, toPlain, type YamlSource } from "./yaml-source.js";

export class Reader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly source: YamlSource) {}

  loc(node: Node | null | undefined): SourceLocation {
    return locate(this.source, node);
  }

  keyLoc(map: YAMLMap, key: string): SourceLocation {
    const pair = mapPair(map, key);
    return locate(this.source, (pair?.key as Node | undefined) ?? map);
  }

  error(id: DiagnosticId, message: string, location: SourceLocation): void {
    this.diagnostics.push({ id, severity: "error", message, location });
  }

  warn(id: DiagnosticId, message: string, location: SourceLocation): void {
    this.diagnostics.push({ id, severity: "warning", message, location });
  }

  expected(what: string, node: Node | null | undefined, context: string, fallback: Node): void {
    this.error("yaml.shape", `${context}: expected ${what}, found ${describeNode(node)}`, this.loc(node ?? fallback));
  }

  map(node: Node | null | undefined, context: string, fallback: Node): YAMLMap | undefined {
    if (isMap(node)) return node;
    this.expected("a mapping", node, context, fallback);
    return undefined;
  }

  seq(map: YAMLMap, key: string, context: string): YAMLSeq | undefined {
    const node = mapGet(map, key);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (isSeq(node)) return node;
    this.expected(`a sequence under \`${key}\``, node, context, map);
    return undefined;
  }

  string(map: YAMLMap, key: string, context: string): string | undefined {
    const node = mapGet(map, key);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")) {
      return String(node.value);
    }
    this.expected(`a string for \`${key}\``, node, context, map);
    return undefined;
  }

  /** A text field (brief/note): multi-line YAML strings keep their text, trailing whitespace trimmed. */
  text(map: YAMLMap, key: string, context: string): string | undefined {
    const value = this.string(map, key, context);
    return value === undefined ? undefined : value.replace(/\s+$/, "");
  }

  boolean(map: YAMLMap, key: string, context: string): boolean | undefined {
    const node = mapGet(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === "boolean") return node.value;
    this.expected(`true or false for \`${key}\``, node, context, map);
    return undefined;
  }

  /** A mapping of string → string (manifest overrides). */
  stringMap(map: YAMLMap, key: string, context: string): Record<string, string> | undefined {
    const node = mapGet(map, key);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    const inner = this.map(node, `${context} \`${key}\``, map);
    if (!inner) return undefined;
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const pair of inner.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const v = pair.value as Node | null;
      if (k === undefined) {
        this.expected("a string key", pair.key as Node, `${context} \`${key}\``, inner);
        continue;
      }
      if (!isScalar(v) || (typeof v.value !== "string" && typeof v.value !== "number")) {
        this.expected(`a string for \`${k}\``, v, `${context} \`${key}\``, inner);
        continue;
      }
      out[k] = String(v.value);
    }
    return out;
  }

  plainList(map: YAMLMap, key: string): unknown[] | undefined {
    const node = mapGet(map, key);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    const value = toPlain(node);
    // OTel allows a single example written without brackets.
    return Array.isArray(value) ? value : [value];
  }
}
