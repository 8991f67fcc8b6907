/** TypeScript source for literal values: strings always double-quoted JSON, so backticks and `${` stay inert. */
export function stringLiteral(value: string): string {
  // JSON escapes quotes, backslashes and control characters; U+2028/U+2029 are escaped for older parsers.
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function literal(value: string | number | boolean): string {
  return typeof value === "string" ? stringLiteral(value) : String(value);
}

/** Escapes text for use inside a template literal type or expression (`, \ and ${). */
export function templateText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}
