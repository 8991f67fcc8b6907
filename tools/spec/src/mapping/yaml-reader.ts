/** Reading a mapping file's YAML with every value's place kept, so each check can say `file:line:col`. */
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from "yaml";
import type { DiagnosticId } from "../model/diagnostic-ids.js";
import type { Diagnostic, SourceLocation } from "../model/diagnostics.js";
import { describeNode, locate, mapGet, mapKeys, mapPair, type YamlSource } from "../load/yaml-source.js";

/** A value read from the file and where it was. */
export interface At<T> {
  readonly value: T;
  readonly at: SourceLocation;
}

export class MappingReader {
  constructor(
    readonly source: YamlSource,
    readonly diagnostics: Diagnostic[],
  ) {}

  at(node: Node | null | undefined): SourceLocation {
    return locate(this.source, node);
  }

  report(id: DiagnosticId, at: SourceLocation, message: string, severity: "error" | "warning" = "error"): void {
    this.diagnostics.push({ id, severity, message, location: at });
  }

  private shape(node: Node | null | undefined, expected: string): undefined {
    this.report("yaml.shape", this.at(node), `expected ${expected}, found ${describeNode(node)}`);
    return undefined;
  }

  map(node: Node | null | undefined, expected = "a mapping"): YAMLMap | undefined {
    return isMap(node) ? node : this.shape(node, expected);
  }

  /** The value of `key`; a missing required key is a `yaml.shape` error at the mapping. */
  get(map: YAMLMap, key: string, required = false): Node | undefined {
    const value = mapGet(map, key);
    if (value === undefined && required) this.report("yaml.shape", this.at(map), `expected a \`${key}\` entry`);
    return value;
  }

  /** Keys of `map` outside `allowed` are errors: a typo must not silently drop a rule. */
  only(map: YAMLMap, allowed: readonly string[]): void {
    for (const key of mapKeys(map)) {
      if (!allowed.includes(key))
        this.report(
          "yaml.shape",
          this.at(mapPair(map, key)?.key as Node),
          `unexpected \`${key}\`: expected one of ${allowed.map((k) => `\`${k}\``).join(", ")}`,
        );
    }
  }

  str(node: Node | null | undefined): At<string> | undefined {
    if (isScalar(node) && typeof node.value === "string" && node.value.length > 0)
      return { value: node.value, at: this.at(node) };
    return this.shape(node, "a non-empty string");
  }

  bool(node: Node | null | undefined): boolean | undefined {
    if (isScalar(node) && typeof node.value === "boolean") return node.value;
    return this.shape(node, "true or false");
  }

  /** A list of strings; a single string is a list of one. */
  strings(node: Node | null | undefined): At<string>[] | undefined {
    if (isScalar(node)) {
      const one = this.str(node);
      return one ? [one] : undefined;
    }
    if (!isSeq(node) || node.items.length === 0) return this.shape(node, "a string or a non-empty list of strings");
    const out: At<string>[] = [];
    for (const item of node.items) {
      const s = this.str(item as Node);
      if (s) out.push(s);
    }
    return out;
  }

  items(node: Node | null | undefined, expected: string): Node[] {
    if (isSeq(node)) return node.items as Node[];
    this.shape(node, expected);
    return [];
  }

  /** A mapping of strings to strings, each with the place of its key. */
  pairs(node: Node | null | undefined): { key: At<string>; value: At<string> }[] {
    const map = this.map(node, "a mapping of strings");
    if (!map) return [];
    const out: { key: At<string>; value: At<string> }[] = [];
    for (const pair of map.items) {
      const key = this.str(pair.key as Node);
      const value = this.str(pair.value as Node);
      if (key && value) out.push({ key, value });
    }
    return out;
  }
}
