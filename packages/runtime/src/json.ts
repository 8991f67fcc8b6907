/**
 * JSON for attribute values that hold serialized objects (`semtrace: { format: json }`), safe on
 * anything a user may pass. Never throws. The result is deterministic and documented:
 *
 * | input                         | serialized as                                    |
 * | ----------------------------- | ------------------------------------------------ |
 * | a string (top level only)     | itself, unchanged (it is taken to be JSON already) by `toJsonAttribute` |
 * | circular reference            | `"[Circular]"`                                   |
 * | BigInt                        | its decimal digits as a string, e.g. `"12345678901234567890"` |
 * | Error                         | `{ "name": …, "message": … }` (plus `cause` when present) |
 * | undefined, function, symbol   | omitted in objects, `null` in arrays, `null` at the top level |
 * | NaN, ±Infinity                | `null` (as JSON.stringify)                       |
 * | Map / Set                     | an object of its entries / an array of its values |
 * | a `toJSON` or getter that throws | `"[Unserializable]"` for that value           |
 * | nesting deeper than 64        | `"[Too deep]"`                                   |
 */

const MAX_DEPTH = 64;

export function safeJsonStringify(value: unknown): string {
  try {
    const out = JSON.stringify(normalise(value, new Set<object>(), 0));
    return out === undefined ? "null" : out;
  } catch {
    return '"[Unserializable]"';
  }
}

/** A JSON-string attribute: strings pass through (already JSON), anything else is serialized safely. */
export function toJsonAttribute(value: unknown): string {
  return typeof value === "string" ? value : safeJsonStringify(value);
}

function normalise(value: unknown, seen: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth >= MAX_DEPTH) return "[Too deep]";
  if (seen.has(obj)) return "[Circular]";
  seen.add(obj);
  try {
    if (obj instanceof Error) {
      const out: Record<string, unknown> = { name: safeGet(() => obj.name), message: safeGet(() => obj.message) };
      const cause = safeGet(() => (obj as { cause?: unknown }).cause);
      if (cause !== undefined) out["cause"] = normalise(cause, seen, depth + 1);
      return out;
    }
    const toJSON = safeGet(() => (obj as { toJSON?: unknown }).toJSON);
    if (typeof toJSON === "function") {
      try {
        return normalise(toJSON.call(obj), seen, depth + 1);
      } catch {
        return "[Unserializable]";
      }
    }
    if (Array.isArray(obj)) {
      const out: unknown[] = [];
      for (let i = 0; i < obj.length; i++) {
        const v = normalise(safeGet(() => obj[i]), seen, depth + 1);
        out.push(v === undefined ? null : v);
      }
      return out;
    }
    if (obj instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of obj) {
        const n = normalise(v, seen, depth + 1);
        if (n !== undefined) out[String(k)] = n;
      }
      return out;
    }
    if (obj instanceof Set) return [...obj].map((v) => normalise(v, seen, depth + 1) ?? null);
    if (ArrayBuffer.isView(obj)) return Array.from(obj as unknown as ArrayLike<number>);
    // Own enumerable string keys only; `__proto__` stays an ordinary key in the output object.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = normalise(safeGet(() => (obj as Record<string, unknown>)[key]), seen, depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

function safeGet<T>(read: () => T): T | string {
  try {
    return read();
  } catch {
    return "[Unserializable]";
  }
}
