/**
 * A dependency's `registry_path`, read as Weaver reads it (a "virtual directory path"):
 *
 * - `https://host/…/x.zip[sub/folder]`, `….tar.gz[…]`: an archive to download; its single top-level folder is
 *   stripped and the optional `[sub folder]` taken;
 * - `https://host/repo.git`, `https://host/repo@<tag|branch|commit>[sub folder]`: a git repository (also
 *   `file://…`, which Weaver does not read but a local bare repository needs);
 * - `x.zip[…]`, `x.tar.gz[…]` without a scheme: a local archive;
 * - anything else: a local folder.
 *
 * semtrace adds `npm:<package>[/<path inside it>]`: a registry shipped inside an installed npm package.
 */

export type RegistryPath =
  | { readonly kind: "folder"; readonly path: string }
  | { readonly kind: "npm"; readonly packageName: string; readonly subPath: string }
  | {
      readonly kind: "archive";
      readonly source: string;
      readonly remote: boolean;
      readonly format: "zip" | "tar.gz";
      readonly subFolder?: string;
    }
  | { readonly kind: "git"; readonly url: string; readonly refspec?: string; readonly subFolder?: string }
  | { readonly kind: "remote-file"; readonly url: string };

// Weaver's pattern: source, then an optional `@refspec`, then an optional `[sub folder]`.
const VIRTUAL_PATH = /^(?<source>.+?)(?:@(?<refspec>.+?))?(?:\[(?<sub>.+?)\])?$/;

export function parseRegistryPath(text: string): RegistryPath {
  const trimmed = text.trim();
  if (trimmed.startsWith("npm:")) {
    const spec = trimmed.slice("npm:".length);
    const parts = spec.split("/");
    const nameParts = spec.startsWith("@") ? 2 : 1;
    return { kind: "npm", packageName: parts.slice(0, nameParts).join("/"), subPath: parts.slice(nameParts).join("/") };
  }
  const match = VIRTUAL_PATH.exec(trimmed);
  const source = match?.groups?.["source"] ?? trimmed;
  const refspec = match?.groups?.["refspec"];
  const subFolder = match?.groups?.["sub"];
  const archive = source.endsWith(".zip") ? "zip" : source.endsWith(".tar.gz") ? "tar.gz" : undefined;
  const remote = /^https?:\/\//.test(source);
  if (remote || source.startsWith("file://")) {
    if (archive && remote)
      return { kind: "archive", source, remote: true, format: archive, ...(subFolder ? { subFolder } : {}) };
    if (source.endsWith(".git") || refspec !== undefined || subFolder !== undefined || !remote) {
      return { kind: "git", url: source, ...(refspec ? { refspec } : {}), ...(subFolder ? { subFolder } : {}) };
    }
    return { kind: "remote-file", url: source };
  }
  if (archive) return { kind: "archive", source, remote: false, format: archive, ...(subFolder ? { subFolder } : {}) };
  // A local folder is the whole text: `@` and `[` are ordinary characters of a path.
  return { kind: "folder", path: trimmed };
}

/** The path as written back (for messages and cache keys). */
export function formatRegistryPath(p: RegistryPath): string {
  switch (p.kind) {
    case "folder":
      return p.path;
    case "npm":
      return `npm:${p.packageName}${p.subPath ? `/${p.subPath}` : ""}`;
    case "archive":
      return `${p.source}${p.subFolder ? `[${p.subFolder}]` : ""}`;
    case "git":
      return `${p.url}${p.refspec ? `@${p.refspec}` : ""}${p.subFolder ? `[${p.subFolder}]` : ""}`;
    case "remote-file":
      return p.url;
  }
}
