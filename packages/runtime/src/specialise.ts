/**
 * Runtime specialisation of generated structure writers. A structure's writer reads its keys from a key table
 * (`keys.role`, `keys.content`, … of one prefix such as `llm.input_messages.0.`); one writer used for every
 * prefix makes each property store see many different keys, and the engine falls back to its slowest store
 * path. Compiling one copy of the writer per prefix, with the table's keys written in as literals, makes every
 * store see one key (measured: about 2× faster builders, BENCHMARKS.md).
 *
 * The copy is made from the writer's own source (`Function.prototype.toString`): generated writers are typed
 * functions in the package's `writers.ts` that reach everything they use through their parameters, so their
 * source compiles on its own. Only reads of the table parameter's string fields become literals; anything else
 * (a table field that is not a string, text inside string literals) is left as it is, and reads the same value
 * at run time. Where code generation is not allowed (a Content-Security-Policy without 'unsafe-eval'), or the
 * source is not available (a runtime that hides it), the writer itself is returned: everything still works,
 * just slower.
 */

/** A writer's source split at the reads of its table parameter: text, field name, text, field name, …, text. */
interface Template {
  /** The table parameter's name in the source. */
  readonly table: string;
  readonly parts: readonly string[];
}

const templates = new WeakMap<object, Template | null>();

/** String literals (kept whole), or `<table>.<field>` outside them. */
function readsOf(table: string): RegExp {
  return new RegExp(
    String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` +
      "`(?:[^`\\\\]|\\\\.)*`" +
      String.raw`|(?<![\w$.])` +
      table +
      String.raw`\.([A-Za-z_$][\w$]*)(?![\w$])`,
    "g",
  );
}

function template(writer: object): Template | null {
  let cached = templates.get(writer);
  if (cached !== undefined) return cached;
  cached = null;
  const source = Function.prototype.toString.call(writer);
  // The second parameter is the key table (`(out, keys, input, helpers)`, whatever a minifier named them).
  const table = /^[^(]*\(\s*[A-Za-z_$][\w$]*\s*,\s*([A-Za-z_$][\w$]*)\s*[,)]/.exec(source)?.[1];
  if (table !== undefined && !source.includes("[native code]")) {
    const parts: string[] = [];
    let last = 0;
    for (const match of source.matchAll(readsOf(table))) {
      if (match[1] === undefined) continue;
      parts.push(source.slice(last, match.index), match[1]);
      last = match.index + match[0].length;
    }
    parts.push(source.slice(last));
    cached = { table, parts };
  }
  templates.set(writer, cached);
  return cached;
}

export function specialise<F extends (...args: never[]) => unknown>(writer: F, table: object): F {
  try {
    const compiled = template(writer);
    if (compiled === null) return writer;
    const { table: param, parts } = compiled;
    const fields = table as Readonly<Record<string, unknown>>;
    let source = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i]!;
      const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
      // Keys are validated attribute keys plus list indices; JSON.stringify makes any string a safe literal.
      source += typeof value === "string" ? JSON.stringify(value) : `${param}.${name}`;
      source += parts[i + 1]!;
    }
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: see above
    return new Function(`"use strict";\nreturn (${source});`)() as F;
  } catch {
    // Not reported: code generation is not allowed here (a Content-Security-Policy); the generic writer gives the
    // same attributes, only slower.
    return writer;
  }
}
