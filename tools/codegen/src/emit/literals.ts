/** TypeScript source for literal values: strings always double-quoted JSON, so backticks and `${` stay inert. */
export function stringLiteral(value: string): string {
  // JSON escapes quotes, backslashes and control characters; U+2028/U+2029 are escaped for older parsers.
  // A trailing backslash is written `\u005c`: ts-morph's writer takes `\\"` for an escaped quote, believes
  // the string is still open, and then misreads later text (a `/*` inside the next string starts a
  // "comment" it closes with a stray `*\/`).
  return JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029").replace(/\\\\"$/, '\\u005c"');
}

export function literal(value: string | number | boolean): string {
  return typeof value === "string" ? stringLiteral(value) : String(value);
}

/** A property name in an object literal or interface: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** Escapes text for use inside a template literal type or expression (`, \ and ${). */
export function templateText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/**
 * A parameter's name as `body` needs it: `name`, or `_name` when the body never uses it, so generated code compiles
 * under `noUnusedParameters`. Uses inside string literals (a key such as `"app.pos"`) do not count.
 */
export function parameterName(name: string, body: readonly string[]): string {
  const use = new RegExp(`\\b${name}\\b`);
  return body.some((line) => use.test(line.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) ? name : `_${name}`;
}
