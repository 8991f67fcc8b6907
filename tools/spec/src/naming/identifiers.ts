/**
 * Names a registry chooses for generated declarations (`codegen.constants`, `enums`, `prefix_constants`,
 * `compat_objects`, the `semtrace.builder` and `semtrace.type_name` annotations) are written into the code as
 * they are. Each must be a plain identifier that every declaration form accepts in a strict-mode module: an
 * enum object's name, say, is a constant, a type and a namespace at once.
 */

/** ECMAScript identifier syntax (Unicode ID_Start / ID_Continue, `$`, `_`): no escapes, no other characters. */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*$/u;

/** Reserved words in a module (strict mode): keywords, future reserved words, the literals. */
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    "await break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if implements import in instanceof interface let new null package private protected public return static " +
    "super switch this throw true try typeof var void while with yield"
  ).split(" "),
);

/** Not declarable in strict-mode code. */
const STRICT_MODE_RESTRICTED: ReadonlySet<string> = new Set(["arguments", "eval"]);

/** TypeScript's predefined type names, which no type alias, interface or enum may take (`as` cannot name a type either). */
const PREDEFINED_TYPES: ReadonlySet<string> = new Set([
  "any",
  "as",
  "bigint",
  "boolean",
  "never",
  "number",
  "object",
  "string",
  "symbol",
  "undefined",
  "unknown",
]);

/**
 * Globals of the ECMAScript standard library (values and TypeScript's utility types). A generated export with one
 * of these names would hide the global in every module that imports it, generated ones included.
 */
const STANDARD_GLOBALS: ReadonlySet<string> = new Set(
  (
    "globalThis Infinity NaN Object Function Array String Number Boolean Symbol BigInt Math JSON Date RegExp Error " +
    "AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError Map Set WeakMap WeakSet WeakRef " +
    "FinalizationRegistry Promise Proxy Reflect ArrayBuffer SharedArrayBuffer DataView Atomics Int8Array Uint8Array " +
    "Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array BigInt64Array BigUint64Array " +
    "Intl isFinite isNaN parseFloat parseInt decodeURI decodeURIComponent encodeURI encodeURIComponent escape unescape " +
    "PropertyKey PropertyDescriptor Record Partial Required Readonly Pick Omit Exclude Extract NonNullable Parameters " +
    "ConstructorParameters ReturnType InstanceType ThisParameterType OmitThisParameter ThisType Awaited Uppercase Lowercase " +
    "Capitalize Uncapitalize NoInfer ReadonlyArray ReadonlyMap ReadonlySet ArrayLike PromiseLike Iterable Iterator " +
    "IterableIterator AsyncIterable AsyncIterator AsyncIterableIterator Generator AsyncGenerator TemplateStringsArray"
  ).split(" "),
);

/** Why `name` cannot name a generated declaration, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return "is empty";
  if (!IDENTIFIER.test(name)) return "is not an identifier (letters, digits, `_` and `$`, not starting with a digit)";
  if (RESERVED_WORDS.has(name)) return "is a reserved word of JavaScript";
  if (STRICT_MODE_RESTRICTED.has(name)) return "cannot be declared in a module (strict mode)";
  if (PREDEFINED_TYPES.has(name)) return "is a predefined TypeScript type";
  if (STANDARD_GLOBALS.has(name)) return "would hide the JavaScript global of that name";
  return undefined;
}
