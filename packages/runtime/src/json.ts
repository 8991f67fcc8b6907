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
| typed array                   | an array of its elements (BigInt elements as strings) |
 * | undefined, function, symbol   | omitted in objects, `null` in arrays, `null` at the top level |
 * | NaN, ±Infinity                | `null` (as JSON.stringify)                       |
 * | Map / Set                     | an object of its entries (keys as strings) / an array of its values |
| String, Number, Boolean objects | their primitive value                          |
 * | a `toJSON` or getter that throws, a throwing proxy | `"[Unserializable]"` for that value |
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
    return normaliseObject(obj, seen, depth);
  } catch {
    // A proxy whose traps throw, a Map key whose toString throws, an iterator that throws, …
    return "[Unserializable]";
  } finally {
    seen.delete(obj);
  }
}

function normaliseObject(obj: object, seen: Set<object>, depth: number): unknown {
  if (obj instanceof Error) {
    // Output objects have no prototype: a `__proto__` key stays an ordinary key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const name = normalise(safeGet(() => obj.name), seen, depth + 1);
    const message = normalise(safeGet(() => obj.message), seen, depth + 1);
    if (name !== undefined) out["name"] = name;
    if (message !== undefined) out["message"] = message;
    const cause = safeGet(() => (obj as { cause?: unknown }).cause);
    if (cause !== undefined) {
      const n = normalise(cause, seen, depth + 1);
      if (n !== undefined) out["cause"] = n;
    }
    return out;
  }
  // Boxed primitives, as JSON.stringify treats them.
  if (obj instanceof String) return String.prototype.valueOf.call(obj);
  if (obj instanceof Number) return normalise(Number.prototype.valueOf.call(obj), seen, depth + 1);
  if (obj instanceof Boolean) return Boolean.prototype.valueOf.call(obj);
  if (obj instanceof BigInt) return BigInt.prototype.toString.call(obj);
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
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of obj) {
      const n = normalise(v, seen, depth + 1);
      if (n !== undefined) out[String(k)] = n;
    }
    return out;
  }
  if (obj instanceof Set) return [...obj].map((v) => normalise(v, seen, depth + 1) ?? null);
  if (ArrayBuffer.isView(obj)) return obj instanceof DataView ? [] : Array.from(obj as unknown as ArrayLike<number | bigint>, (v) => normalise(v, seen, depth + 1));
  // Own enumerable string keys only; `__proto__` stays an ordinary key in the output object.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = normalise(safeGet(() => (obj as Record<string, unknown>)[key]), seen, depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function safeGet<T>(read: () => T): T | string {
  try {
    return read();
  } catch {
    return "[Unserializable]";
  }
}
