/**
 * The document model of the reference docs: what a page says, as plain data. Emitters plan it in pure functions
 * (emit/reference/*.ts); write/markdown.ts prints it as Markdown and write/html.ts as one self-contained HTML page,
 * as write/printer.ts prints the code model. Text is given as it should read; escaping is the printers' job.
 */

/** A run of text. `prose` is spec text (briefs, notes): Markdown-like, with `code` spans kept as code. */
export type Inline =
  | string
  | { readonly kind: "code"; readonly text: string }
  | { readonly kind: "link"; readonly text: string; readonly href: string; readonly code?: boolean }
  | { readonly kind: "strong"; readonly text: string }
  | { readonly kind: "prose"; readonly text: string };

export type Block =
  | { readonly kind: "heading"; readonly level: 1 | 2 | 3 | 4; readonly text: readonly Inline[]; readonly id?: string }
  | { readonly kind: "paragraph"; readonly text: readonly Inline[] }
  | { readonly kind: "list"; readonly items: readonly (readonly Inline[])[] }
  /** A two-column table of facts (field, value). */
  | { readonly kind: "facts"; readonly rows: readonly (readonly [field: string, value: readonly Inline[]])[] }
  | {
      readonly kind: "table";
      readonly head: readonly string[];
      readonly rows: readonly (readonly (readonly Inline[])[])[];
    };

/** One Markdown page. */
export interface DocPage {
  readonly kind: "page";
  /** Path relative to the docs directory, POSIX separators. */
  readonly path: string;
  readonly blocks: readonly Block[];
}

/** One attribute as the search page lists it: every fact, already as text. */
export interface SearchEntry {
  readonly key: string;
  readonly namespace: string;
  /** The namespace page, relative to the docs directory, with the attribute's anchor. */
  readonly page: string;
  readonly type: string;
  readonly stability: string;
  readonly brief: string;
  readonly note: string;
  readonly examples: readonly string[];
  readonly constant?: string;
  readonly builders: readonly string[];
  /** `span id: level` for every span definition that lists it. */
  readonly requirements: readonly string[];
  readonly deprecated?: string;
  readonly decision?: string;
}

/** The one HTML page: search over every attribute, data and code inline. */
export interface SearchPage {
  readonly kind: "search";
  readonly path: string;
  readonly title: string;
  readonly intro: string;
  readonly entries: readonly SearchEntry[];
}

export type ReferenceFile = DocPage | SearchPage;

export const code = (text: string): Inline => ({ kind: "code", text });
export const link = (text: string, href: string, asCode = false): Inline => ({
  kind: "link",
  text,
  href,
  ...(asCode ? { code: true } : {}),
});
export const prose = (text: string): Inline => ({ kind: "prose", text });
export const strong = (text: string): Inline => ({ kind: "strong", text });
