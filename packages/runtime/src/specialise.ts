/**
 * Runtime specialisation of generated structure writers. A structure's writer reads its keys from
 * a table (`K.f0`, `K.f1`, … for one prefix such as `llm.input_messages.0.`); a single writer used for
 * every prefix makes each property store site see many different keys, and the engine falls back to
 * its slowest store path. Compiling one copy of the writer per prefix, with the keys written in as
 * literals, makes every store site see one key (measured: about 2× faster builders, BENCHMARKS.md).
 *
 * Where code generation is not allowed (a Content-Security-Policy without 'unsafe-eval'), the
 * generic writer is returned and everything still works, just slower.
 */
export function specialise<F>(body: string, table: object, deps: unknown, generic: F): F {
  try {
    // Only the `K.f<n>` key slots become literals; keys are validated attribute keys plus list indices.
    const source = body.replace(/\bK\.f(\d+)\b/g, (_, n: string) => JSON.stringify(String((table as Record<string, unknown>)[`f${n}`])));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- deliberate: see above
    return new Function("D", `"use strict";\nreturn function specialised(out, K, input) {\n${source}\n};`)(deps) as F;
  } catch {
    // Not reported: code generation is not allowed here (a Content-Security-Policy); the generic writer gives the
    // same attributes, only slower.
    return generic;
  }
}
