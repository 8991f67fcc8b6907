/** `<key>=<dir>` overrides of where dependencies are read from, as `--dependency` and `SEMTRACE_DEPENDENCIES` give them. */

/** `SEMTRACE_DEPENDENCIES="otel=../semconv/model;acme=/srv/acme"`: `;`-separated `<key>=<dir>` entries. */
export function overridesFromEnv(text: string | undefined): Map<string, string> {
  return parseOverrides((text ?? "").split(";"));
}

/** `<key>=<dir>` entries (the first `=` splits); malformed entries are left out (the CLI checks them first). */
export function parseOverrides(entries: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of entries) {
    const at = entry.indexOf("=");
    if (at <= 0 || at === entry.length - 1) continue;
    out.set(entry.slice(0, at).trim(), entry.slice(at + 1).trim());
  }
  return out;
}
