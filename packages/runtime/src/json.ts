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
 * | typed array                   | an array of its elements (BigInt elements as strings) |
 * | undefined, function, symbol   | omitted in objects, `null` in arrays, `null` at the top level |
 * | NaN, ±Infinity                | `null` (as JSON.stringify)                       |
 * | Map / Set                     | an object of its entries (keys as strings) / an array of its values |
 * | String, Number, Boolean objects | their primitive value                          |
 * | a `toJSON` or getter that throws, a throwing proxy | `"[Unserializable]"` for that value |
 * | nesting deeper than 64        | `"[Too deep]"`                                   |
 * | more than 1,000,000 values    | the first million, then `"[Truncated]"` in place of the rest of the container |
 *
 * The value budget bounds time and memory on inputs that are small to hold but huge to walk: a sparse
 * `new Array(2 ** 32 - 1)` is one object, but serialising it would write four billion `null`s.
 */

const MAX_DEPTH = 64;
/** Values (scalars and containers) serialized at most; the rest of a container becomes `"[Truncated]"`. */
const MAX_JSON_VALUES = 1_000_000;
const TRUNCATED = "[Truncated]";

/** What one serialization has left to spend, and the containers on the current path. */
interface Walk {
  readonly seen: Set<object>;
  budget: number;
}

export function safeJsonStringify(value: unknown): string {
  try {
    const out = JSON.stringify(normalise(value, { seen: new Set<object>(), budget: MAX_JSON_VALUES }, 0));
    return out === undefined ? "null" : out;
  } catch {
    // Not reported: the attribute's value says "[Unserializable]" (the runtime has no diag; its users get the marker).
    return '"[Unserializable]"';
  }
}

/** A JSON-string attribute: strings pass through (already JSON), anything else is serialized safely. */
export function toJsonAttribute(value: unknown): string {
  return typeof value === "string" ? value : safeJsonStringify(value);
}

function normalise(value: unknown, walk: Walk, depth: number): unknown {
  walk.budget--;
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
  const seen = walk.seen;
  if (seen.has(obj)) return "[Circular]";
  seen.add(obj);
  try {
    return normaliseObject(obj, walk, depth);
  } catch {
    // Not reported: the value says "[Unserializable]" in its place (a proxy whose traps throw, a Map key whose
    // toString throws, an iterator that throws, …).
    return "[Unserializable]";
  } finally {
    seen.delete(obj);
  }
}

function normaliseObject(obj: object, walk: Walk, depth: number): unknown {
  if (obj instanceof Error) {
    // Output objects have no prototype: a `__proto__` key stays an ordinary key.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const name = normalise(
      safeGet(() => obj.name),
      walk,
      depth + 1,
    );
    const message = normalise(
      safeGet(() => obj.message),
      walk,
      depth + 1,
    );
    if (name !== undefined) out["name"] = name;
    if (message !== undefined) out["message"] = message;
    const cause = safeGet(() => (obj as { cause?: unknown }).cause);
    if (cause !== undefined) {
      const n = normalise(cause, walk, depth + 1);
      if (n !== undefined) out["cause"] = n;
    }
    return out;
  }
  // Boxed primitives, as JSON.stringify treats them.
  if (obj instanceof String) return String.prototype.valueOf.call(obj);
  if (obj instanceof Number) return normalise(Number.prototype.valueOf.call(obj), walk, depth + 1);
  if (obj instanceof Boolean) return Boolean.prototype.valueOf.call(obj);
  if (obj instanceof BigInt) return BigInt.prototype.toString.call(obj);
  const toJSON = safeGet(() => (obj as { toJSON?: unknown }).toJSON);
  if (typeof toJSON === "function") {
    try {
      return normalise(toJSON.call(obj), walk, depth + 1);
    } catch {
      // Not reported: the value says "[Unserializable]" in its place.
      return "[Unserializable]";
    }
  }
  if (Array.isArray(obj)) {
    const out: unknown[] = [];
    for (let i = 0; i < obj.length; i++) {
      if (walk.budget <= 0) {
        out.push(TRUNCATED);
        break;
      }
      const v = normalise(
        safeGet(() => obj[i]),
        walk,
        depth + 1,
      );
      out.push(v === undefined ? null : v);
    }
    return out;
  }
  if (obj instanceof Map) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of obj) {
      if (walk.budget <= 0) {
        out[TRUNCATED] = TRUNCATED;
        break;
      }
      const n = normalise(v, walk, depth + 1);
      if (n !== undefined) out[String(k)] = n;
    }
    return out;
  }
  if (obj instanceof Set) return normaliseEach(obj, walk, depth);
  if (ArrayBuffer.isView(obj))
    return obj instanceof DataView ? [] : normaliseEach(obj as unknown as Iterable<number | bigint>, walk, depth);
  // Own enumerable string keys only; `__proto__` stays an ordinary key in the output object.
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (walk.budget <= 0) {
      out[TRUNCATED] = TRUNCATED;
      break;
    }
    const v = normalise(
      safeGet(() => (obj as Record<string, unknown>)[key]),
      walk,
      depth + 1,
    );
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The values of a Set or typed array, within the budget. */
function normaliseEach(values: Iterable<unknown>, walk: Walk, depth: number): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (walk.budget <= 0) {
      out.push(TRUNCATED);
      break;
    }
    out.push(normalise(v, walk, depth + 1) ?? null);
  }
  return out;
}

function safeGet<T>(read: () => T): T | string {
  try {
    return read();
  } catch {
    // Not reported: the value says "[Unserializable]" in its place.
    return "[Unserializable]";
  }
}
