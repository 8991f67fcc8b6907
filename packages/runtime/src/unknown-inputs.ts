/**
 * Input fields a generated builder does not know. A JavaScript caller (or a TypeScript one casting) who passes a
 * field the builder has no attribute for — misspelt, or renamed long ago — would lose the value without a word;
 * instead the builder reports the field once to a hook (`onUnknownBuilderInput`; @semtrace/core routes it to
 * OpenTelemetry's `diag`).
 *
 * Cost: a builder checks its input on its first 32 calls and then on one call in 256, and only while a hook is
 * set, so a caller who always passes the field learns at once and the steady state pays one counter. The hook
 * lives on a global symbol, so two copies of the runtime in one process (nested installs) share it.
 */

/**
 * A builder's input fields, as entries (field names come from registries and may be any identifier, `__proto__`
 * included, so no object literal holds them): `[name, 1]` a field that carries a value, `[name, shape]` a group of
 * fields, `[name, { list: shape }]` a list of structures, and `["*", 1]` accepts any other field (a template
 * attribute's `<key>.<field>`).
 */
export type InputShape = readonly InputField[];
export type InputField = readonly [name: string, kind: 1 | InputShape | { readonly list: InputShape }];

interface CompiledShape {
  readonly fields: ReadonlyMap<string, 1 | CompiledShape | { readonly list: CompiledShape }>;
  readonly open: boolean;
}

const compiled = new WeakMap<InputShape, CompiledShape>();

function compile(shape: InputShape): CompiledShape {
  let done = compiled.get(shape);
  if (done) return done;
  const fields = new Map<string, 1 | CompiledShape | { readonly list: CompiledShape }>();
  let open = false;
  for (const [name, kind] of shape) {
    if (name === "*") open = true;
    else
      fields.set(
        name,
        kind === 1
          ? 1
          : Array.isArray(kind)
            ? compile(kind as InputShape)
            : { list: compile((kind as { list: InputShape }).list) },
      );
  }
  done = { fields, open };
  compiled.set(shape, done);
  return done;
}

export interface UnknownBuilderInput {
  /** The builder's name (`buildChatAttributes`). */
  readonly builder: string;
  /** The field's path in the input, list elements as `[]` (`messages[].contnet`). */
  readonly field: string;
}

export type UnknownBuilderInputHook = (report: UnknownBuilderInput) => void;

const HOOK = Symbol.for("semtrace.runtime.unknownBuilderInput");
const REPORTED = Symbol.for("semtrace.runtime.unknownBuilderInput.reported");

interface HookHolder {
  [HOOK]?: UnknownBuilderInputHook | undefined;
  [REPORTED]?: Set<string>;
}

const holder = globalThis as unknown as HookHolder;

/** At most this many distinct fields are reported per process (a caller with endless generated keys is capped). */
export const MAX_REPORTED_INPUTS = 1000;
/** Elements of a list that are looked at per check. */
const ELEMENTS_CHECKED = 8;
/** Nesting followed per check (shapes are finite, but a cyclic input must not be). */
const MAX_DEPTH = 16;

/**
 * Sets the hook unknown builder input fields are reported to (each field once per process), or clears it with
 * `undefined`. Returns the previous hook.
 */
export function onUnknownBuilderInput(hook: UnknownBuilderInputHook | undefined): UnknownBuilderInputHook | undefined {
  const previous = holder[HOOK];
  holder[HOOK] = hook;
  return previous;
}

/** For generated builders: a checker of `builder`'s input against `shape`, sampled as the module comment says. */
export function inputChecker(builder: string, shape: InputShape): (input: unknown) => void {
  let calls = 0;
  let fields: CompiledShape | undefined;
  return (input) => {
    calls++;
    if (calls > 32 && (calls & 255) !== 0) return;
    if (holder[HOOK] === undefined || input == null || typeof input !== "object") return;
    walk(builder, input, (fields ??= compile(shape)), "", 0);
  };
}

function walk(builder: string, input: object, shape: CompiledShape, path: string, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const name in input) {
    if (!Object.hasOwn(input, name)) continue;
    const expected = shape.fields.get(name);
    const field = path === "" ? name : `${path}.${name}`;
    if (expected === undefined) {
      if (!shape.open) report(builder, field);
      continue;
    }
    if (expected === 1) continue;
    const value = (input as Record<string, unknown>)[name];
    if (value == null || typeof value !== "object") continue;
    if ("list" in expected) {
      if (!Array.isArray(value)) continue;
      const n = Math.min(value.length, ELEMENTS_CHECKED);
      for (let i = 0; i < n; i++) {
        const element: unknown = value[i];
        if (element != null && typeof element === "object")
          walk(builder, element, expected.list as CompiledShape, `${field}[]`, depth + 1);
      }
    } else walk(builder, value, expected, field, depth + 1);
  }
}

function report(builder: string, field: string): void {
  const hook = holder[HOOK];
  if (hook === undefined) return;
  const reported = (holder[REPORTED] ??= new Set());
  const id = `${builder} ${field}`;
  if (reported.has(id) || reported.size >= MAX_REPORTED_INPUTS) return;
  reported.add(id);
  try {
    hook({ builder, field });
  } catch {
    // Not reported: the hook is the application's reporter (the runtime has no diag); a throwing hook must not
    // break the builder that called it.
  }
}
