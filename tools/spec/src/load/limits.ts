/**
 * Caps on what one spec file may cost to load. A spec directory can come from anywhere (`semtrace validate
 * --registry <dir>` loads one too), and YAML can grow far beyond its bytes: aliases copy whole subtrees (a
 * few hundred bytes of nested aliases expand to billions of nodes), and nesting drives the parser's recursion.
 * Each cap has a default far above any real registry and a command-line flag; the largest file of the
 * OpenTelemetry semantic conventions 1.44.0 has 85 KB, 3,363 nodes and a depth of 11.
 */
export interface YamlLimits {
  /** Bytes of one file, checked before it is read (`--max-yaml-bytes`). */
  readonly maxBytes: number;
  /** Nodes (scalars, aliases, sequences, mappings) of one file, each alias counted as the nodes it copies (`--max-yaml-nodes`). */
  readonly maxNodes: number;
  /** Nesting of sequences and mappings, aliases expanded (`--max-yaml-depth`). */
  readonly maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  // The node cap bounds what parsing builds; this one the text itself (long scalars, comments): a 16 MiB file of
  // dense YAML stops at the node cap at 211 MiB of RSS. 190 times the largest real file.
  maxBytes: 16 * 1024 * 1024,
  // Parsing holds ~1 KB per node at its peak (syntax tree and document): `semtrace generate` on a file at the cap
  // peaks at 277 MiB of RSS (112 MiB without it). The whole OpenTelemetry registry in one file would be 105,000.
  maxNodes: 150_000,
  // The yaml package composes documents recursively and runs out of stack near 800 levels.
  maxDepth: 256,
};

/** The largest `maxDepth` a flag may ask for: deeper, parsing would run out of stack before the cap applies. */
export const MAX_YAML_DEPTH = 512;

/** The defaults, with any given cap in place of its default. */
export function yamlLimits(given: Partial<YamlLimits> = {}): YamlLimits {
  return {
    maxBytes: given.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes,
    maxNodes: given.maxNodes ?? DEFAULT_YAML_LIMITS.maxNodes,
    maxDepth: Math.min(given.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth, MAX_YAML_DEPTH),
  };
}

/** The command-line flags of the caps, their option names and ranges, for every command that loads a spec. */
export const YAML_LIMIT_FLAGS: readonly {
  readonly flag: string;
  readonly limit: keyof YamlLimits;
  readonly max: number;
}[] = [
  { flag: "max-yaml-bytes", limit: "maxBytes", max: Number.MAX_SAFE_INTEGER },
  { flag: "max-yaml-nodes", limit: "maxNodes", max: Number.MAX_SAFE_INTEGER },
  { flag: "max-yaml-depth", limit: "maxDepth", max: MAX_YAML_DEPTH },
];

/**
 * The caps given as flags (`values` as `parseArgs` returns them, each a string when given); a usage message
 * for a value that is not a whole number from 1 to the flag's maximum.
 */
export function parseYamlLimitFlags(values: Readonly<Record<string, unknown>>): Partial<YamlLimits> | string {
  const out: { -readonly [K in keyof YamlLimits]?: number } = {};
  for (const { flag, limit, max } of YAML_LIMIT_FLAGS) {
    const text = values[flag];
    if (text === undefined) continue;
    const n = typeof text === "string" && /^[1-9]\d*$/.test(text) ? Number(text) : Number.NaN;
    if (!(n <= max))
      return `--${flag} expects a whole number from 1 to ${max === Number.MAX_SAFE_INTEGER ? "2^53 - 1" : max}, found '${String(text)}'`;
    out[limit] = n;
  }
  return out;
}

/** `parseArgs` options for the flags. */
export const YAML_LIMIT_OPTIONS = {
  "max-yaml-bytes": { type: "string" },
  "max-yaml-nodes": { type: "string" },
  "max-yaml-depth": { type: "string" },
} as const;

/** The flags' lines for a command's `--help`, descriptions starting at `column` (0-based). */
export function yamlLimitsHelp(column: number): string {
  const d = DEFAULT_YAML_LIMITS;
  const flags: [flag: string, lines: string[]][] = [
    ["--max-yaml-bytes <n>", [`Largest spec file, in bytes (default ${d.maxBytes}).`]],
    [
      "--max-yaml-nodes <n>",
      ["Most YAML nodes in one spec file, an alias counted", `as the nodes it copies (default ${d.maxNodes}).`],
    ],
    [
      "--max-yaml-depth <n>",
      [
        "Deepest nesting of sequences and mappings in a spec",
        `file, aliases expanded (default ${d.maxDepth}, at most ${MAX_YAML_DEPTH}).`,
      ],
    ],
  ];
  return flagHelp(flags, column);
}

/** Help lines of flags: each flag, then its description at `column` (on a line of its own when the flag is too long). */
export function flagHelp(
  flags: readonly (readonly [flag: string, lines: readonly string[]])[],
  column: number,
): string {
  const indent = " ".repeat(column);
  return flags
    .flatMap(([flag, lines]) => {
      const head = `  ${flag}`;
      // A flag too long for its column gets a line of its own.
      return head.length + 2 <= column
        ? [head.padEnd(column) + lines[0], ...lines.slice(1).map((l) => indent + l)]
        : [head, ...lines.map((l) => indent + l)];
    })
    .join("\n");
}

/**
 * `text` broken at spaces into lines that fit a help line whose descriptions start at `column` (80 columns wide).
 * A no-break space (U+00A0) keeps words together, `(default 120)` for one, and is printed as a space.
 */
export function wrapWords(text: string, column: number): string[] {
  const width = Math.max(30, 80 - column);
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line].map((l) => l.replaceAll("\u00a0", " "));
}
