/**
 * Translating the spans of one OTLP/JSON `ExportTraceServiceRequest` in place: each span's attributes are read
 * with validate's converter (so `--max-depth` and int64 handling are the same), translated, and written back as
 * OTLP `KeyValue`s; everything else in the request (resources, scopes, ids, times, events, links, status) is kept
 * as it was, and so is every attribute the translation leaves.
 */
import { keyValues, SCOPE_KEYS, ShapeError } from "../validate/otlp.js";

export type Target = "genai" | "openinference";

/** What `@semtrace/translate` offers, loaded lazily by the command. */
export interface Translator {
  translateSpan<S extends { readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }>(
    span: S,
    options: { emit: "openinference" | "genai" | "both"; onUnmapped?: (span: S, unmapped: readonly { key: string; reason: string }[]) => void },
  ): S;
}

export interface TranslateCounts {
  spans: number;
  translated: number;
  /** Attributes with no counterpart in the target (kept on their spans), by key. */
  readonly unmapped: Map<string, { count: number; reason: string }>;
}

/** An attribute value as OTLP/JSON's `AnyValue`. */
export function toAnyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  return {};
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function list(obj: Record<string, unknown>, key: string, path: string): unknown[] {
  const value = obj[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${path}.${key}`, "an array", value);
  return value;
}

/** Translates every span of `request` (mutated in place); throws `ShapeError` with the path of what is malformed. */
export function translateRequest(request: unknown, translator: Translator, to: Target, keepSource: boolean, counts: TranslateCounts, maxDepth: number): void {
  if (!isObject(request) || !Array.isArray(request["resourceSpans"])) throw new ShapeError("the record", "an OTLP ExportTraceServiceRequest ({ resourceSpans: [...] })", request);
  const emit = keepSource ? "both" : to;
  (request["resourceSpans"] as unknown[]).forEach((rs, i) => {
    const rsPath = `resourceSpans[${i}]`;
    if (!isObject(rs)) throw new ShapeError(rsPath, "an object", rs);
    for (const scopeKey of SCOPE_KEYS) {
      list(rs, scopeKey, rsPath).forEach((ss, j) => {
        const ssPath = `${rsPath}.${scopeKey}[${j}]`;
        if (!isObject(ss)) throw new ShapeError(ssPath, "an object", ss);
        list(ss, "spans", ssPath).forEach((span, k) => {
          const path = `${ssPath}.spans[${k}]`;
          if (!isObject(span)) throw new ShapeError(path, "an object", span);
          translateOne(span, path);
        });
      });
    }
  });

  function translateOne(span: Record<string, unknown>, path: string): void {
    counts.spans++;
    const original = list(span, "attributes", path);
    const attributes = keyValues(original, `${path}.attributes`, 0, maxDepth);
    const name = typeof span["name"] === "string" ? span["name"] : "";
    const input = { name, attributes };
    const out = translator.translateSpan(input, {
      emit,
      onUnmapped: (_, unmapped) => {
        for (const u of unmapped) {
          const seen = counts.unmapped.get(u.key.replace(/\.\d+\./g, ".<i>.").replace(/\[\d+\]/g, "[i]"));
          if (seen) seen.count++;
          else counts.unmapped.set(u.key.replace(/\.\d+\./g, ".<i>.").replace(/\[\d+\]/g, "[i]"), { count: 1, reason: u.reason });
        }
      },
    });
    if (out === input) return;
    counts.translated++;
    // The original KeyValues the translation kept stay byte for byte; the new ones follow.
    const kept = original.filter((kv) => isObject(kv) && typeof kv["key"] === "string" && Object.hasOwn(out.attributes, kv["key"]) && out.attributes[kv["key"]] === attributes[kv["key"]]);
    const keptKeys = new Set(kept.map((kv) => (kv as { key: string }).key));
    const added = Object.entries(out.attributes).filter(([key]) => !keptKeys.has(key)).map(([key, value]) => ({ key, value: toAnyValue(value) }));
    span["attributes"] = [...kept, ...added];
    if (out.name !== name) span["name"] = out.name;
  }
}
