/**
 * The statements of a builder or structure writer: read each input field once, skip what has the wrong shape,
 * store each value under its key. Where the key strings come from is the caller's {@link KeySource}: span and
 * group builders write constant keys, structure writers read them from their key table (see writers.ts).
 */
import {
  as,
  camelCaseProperty,
  conditional,
  ifThen,
  Names,
  safeIdentifier,
  seq,
  stringLiteral,
  variable,
  type Attribute,
  type Expr,
  type Stmt,
  type InputNode,
} from "@semtrace/spec/internal";

const TEXT_MIME = "text/plain";
const JSON_MIME = "application/json";

/** Where a body gets its key strings and the helpers it calls. */
/**
 * Written with `toJsonAttribute`: `format: json` attributes, and `any` ones (`gen_ai.tool.call.result`: a string
 * as it is, anything else as JSON text, the form the JavaScript API can record).
 */
export function writtenAsJson(attr: Attribute): boolean {
  return attr.semtrace.format === "json" || (attr.type.kind === "primitive" && attr.type.name === "any");
}

export interface KeySource {
  /** The key of a leaf attribute; `name` is the input field's name (for naming a table slot). */
  leaf(key: string, name: string): string;
  /** `<key>.`, the start of the keys under a template. */
  prefix(key: string): string;
  /** The key table of the element at `index` of the list `key`. */
  element(key: string, objectType: string, index: string, name: string): Expr;
  /** The key table of the structure under `key`. */
  nested(key: string, objectType: string, name: string): Expr;
  /** A module-level helper (a runtime function, a key-table factory, a set of names). */
  helper(name: string): string;
  /** What structure writers receive as their last argument. */
  readonly helpers: string;
}

/** Module-level sets the bodies test names against, shared by every body of a file. */
export interface SetRegistry {
  /** A `ReadonlySet<string>` of `items`, named after what it holds; returns its name. */
  set(name: string, items: readonly string[], doc: string): string;
}

export interface BodyOptions {
  readonly keys: KeySource;
  readonly sets: SetRegistry;
  readonly objectTypes: ReadonlyMap<string, string>;
  /** Structure writers record whether they wrote anything (`wrote`), so empty list elements take no index. */
  readonly track: boolean;
  /** Names the body may not use (parameters). */
  readonly reserved: readonly string[];
}

function member(expr: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${expr}.${name}` : `${expr}[${stringLiteral(name)}]`;
}

function optionalMember(expr: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${expr}?.${name}` : `${expr}?.[${stringLiteral(name)}]`;
}

/** `["function", "name"]` → `functionName`: an input field's path as one name. */
function pathName(path: readonly string[]): string {
  return camelCaseProperty(path.join("_").replace(/([a-z0-9])([A-Z])/g, "$1_$2"));
}

/** `llm.input_messages` → `LLM_INPUT_MESSAGES`: module-level names derived from a key. */
export function screamingKey(key: string): string {
  return key.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase();
}

/** Runtime helpers builders and writers may call (imported from @semtrace/runtime/internal). */
export const RUNTIME_HELPERS: ReadonlySet<string> = new Set([
  "elementKeys",
  "inputChecker",
  "safeJsonStringify",
  "toJsonAttribute",
]);

export class BodyWriter {
  /** The names of the current block (a nested block forks them: sibling blocks reuse names). */
  private names: Names;
  /** key → the input expression of its field (optional-chained), for `default_from` and `mime_type`. */
  private readonly access = new Map<string, { readonly expr: string; readonly name: string }>();

  constructor(private readonly options: BodyOptions) {
    this.names = new Names([...options.reserved, "wrote"]);
  }

  /** Statements that write every field of `root`, read from `input`. */
  body(root: InputNode, input: string): Stmt[] {
    this.index(root, input, []);
    return this.node(root, input, []);
  }

  private local(base: string): string {
    return this.names.unique(safeIdentifier(base));
  }

  /** Statements of a nested block, whose locals do not outlive it. */
  private block<T>(build: () => T): T {
    const outer = this.names;
    this.names = outer.fork();
    try {
      return build();
    } finally {
      this.names = outer;
    }
  }

  private index(node: InputNode, expr: string, path: readonly string[]): void {
    for (const child of node.children.values()) {
      const e = optionalMember(expr, child.name);
      if (child.leaf) this.access.set(child.leaf.key, { expr: e, name: pathName([...path, child.name]) });
      this.index(child, e, [...path, child.name]);
    }
  }

  /** `out[key] = value;`, and `wrote = true;` when tracking writes. */
  private store(key: string, value: Expr): Stmt | Stmt[] {
    const assign: Stmt = { kind: "expression", expr: seq(`out[${key}] = `, value) };
    return this.options.track ? [assign, "wrote = true;"] : assign;
  }

  private node(node: InputNode, expr: string, path: readonly string[]): Stmt[] {
    const out: Stmt[] = [];
    for (const child of node.children.values()) {
      const v = this.local(child.name);
      out.push(variable("const", v, member(expr, child.name)));
      if (child.leaf) out.push(...this.leaf(child.leaf, v, pathName([...path, child.name])));
      else if (child.alias) out.push(...this.alias(child.alias.target, v, pathName([...path, child.name])));
      else
        out.push(
          ifThen(
            `${v} != null && typeof ${v} === "object"`,
            this.block(() => this.node(child, v, [...path, child.name])),
          ),
        );
    }
    if (node.template) out.push(this.template(node, expr));
    return out;
  }

  /** Properties of `expr` that are no known field become `<template key>.<property>`. */
  private template(node: InputNode, expr: string): Stmt {
    return this.block(() => this.templateLoop(node, expr));
  }

  private templateLoop(node: InputNode, expr: string): Stmt {
    const attr = node.template!;
    const known = [...node.children.keys()];
    const k = this.local("name");
    const skip =
      known.length === 0
        ? undefined
        : known.length <= 4
          ? known.map((name) => `${k} === ${stringLiteral(name)}`).join(" || ")
          : `${this.options.keys.helper(this.options.sets.set(`${screamingKey(attr.key)}_INPUTS`, known, `Input fields of \`${attr.key}\` that have attributes of their own; other fields become \`${attr.key}.<field>\`.`))}.has(${k})`;
    const value = this.local("value");
    return {
      kind: "for",
      head: `const ${k} of Object.keys(${expr})`,
      body: [
        ...(skip === undefined ? [] : [ifThen(skip, "continue;")]),
        variable("const", value, seq(as(expr, "Record<string, unknown>"), `[${k}]`)),
        ifThen(`${value} != null`, this.store(`${this.options.keys.prefix(attr.key)} + ${k}`, value)),
      ],
    };
  }

  /** A renamed attribute's old field: written under the new key, unless the new field already wrote it. */
  private alias(target: Attribute, v: string, name: string): Stmt[] {
    const statements = this.leaf(target, v, name);
    if (target.type.kind === "list" || target.type.kind === "object" || target.semtrace.mimeType !== undefined)
      return statements;
    return [ifThen(`out[${this.options.keys.leaf(target.key, name)}] === undefined`, statements)];
  }

  private leaf(attr: Attribute, v: string, name: string): Stmt[] {
    const t = attr.type;
    if (t.kind === "list") return this.block(() => this.list(attr, v, name));
    if (t.kind === "object") return this.block(() => this.object(attr, v, name));
    return this.value(attr, v, name);
  }

  private list(attr: Attribute, v: string, name: string): Stmt[] {
    const { keys } = this.options;
    const type = this.options.objectTypes.get((attr.type as { object: string }).object)!;
    // Elements that write nothing (null, {}) take no index, so indices stay 0..n-1 without gaps.
    const count = this.local("written");
    const i = this.local("i");
    const element = this.local("element");
    return [
      ifThen(`Array.isArray(${v})`, [
        variable("let", count, "0"),
        {
          kind: "for",
          head: `let ${i} = 0; ${i} < ${v}.length; ${i}++`,
          body: [
            variable("const", element, keys.element(attr.key, type, count, name)),
            ifThen(`${element}.write(out, ${element}, ${v}[${i}], ${keys.helpers})`, `${count}++;`),
          ],
        },
        ...(this.options.track ? [ifThen(`${count} > 0`, "wrote = true;")] : []),
      ]),
    ];
  }

  private object(attr: Attribute, v: string, name: string): Stmt[] {
    const { keys } = this.options;
    const type = this.options.objectTypes.get((attr.type as { object: string }).object)!;
    const table = this.local("table");
    const write = `${table}.write(out, ${table}, ${v}, ${keys.helpers})`;
    return [
      ifThen(`${v} != null`, [
        variable("const", table, keys.nested(attr.key, type, name)),
        this.options.track ? ifThen(write, "wrote = true;") : `${write};`,
      ]),
    ];
  }

  /** A leaf that carries a value. */
  private value(attr: Attribute, v: string, name: string): Stmt[] {
    const { keys } = this.options;
    const t = attr.type;
    const key = keys.leaf(attr.key, name);
    const out: Stmt[] = [];
    let source = v;
    const fallbacks = attr.semtrace.defaultFrom
      .map((k) => this.access.get(k)?.expr)
      .filter((e): e is string => e !== undefined);
    if (fallbacks.length > 0) {
      source = this.local(`${name}OrDefault`);
      out.push(variable("const", source, [v, ...fallbacks].join(" ?? ")));
    }
    const mime = attr.semtrace.mimeType;
    if (mime !== undefined) {
      const given = this.access.get(mime);
      const mimeKey = keys.leaf(mime, given?.name ?? "mimeType");
      const mimeValue = (fallback: string) =>
        given ? `${given.expr} ?? ${stringLiteral(fallback)}` : stringLiteral(fallback);
      const asText = [this.store(key, source), this.store(mimeKey, mimeValue(TEXT_MIME))].flat();
      const asJson = [
        this.store(key, `${keys.helper("safeJsonStringify")}(${source})`),
        this.store(mimeKey, mimeValue(JSON_MIME)),
      ].flat();
      out.push(ifThen(`${source} != null`, [ifThen(`typeof ${source} === "string"`, asText, asJson)]));
      return out;
    }
    let value: Expr = source;
    if (writtenAsJson(attr)) value = `${keys.helper("toJsonAttribute")}(${source})`;
    else if (attr.semtrace.lowercase) {
      // Well-known values are already lower case: a set lookup spares the allocation of toLowerCase().
      const members =
        t.kind === "enum"
          ? t.members.map((m) => m.value).filter((m): m is string => typeof m === "string" && m === m.toLowerCase())
          : [];
      const set =
        members.length > 0
          ? keys.helper(
              this.options.sets.set(
                `${screamingKey(attr.key)}_VALUES`,
                members,
                `The well-known values of \`${attr.key}\`, lower case already: builders lower-case other strings only.`,
              ),
            )
          : undefined;
      const lower = set ? `typeof ${source} === "string" && !${set}.has(${source})` : `typeof ${source} === "string"`;
      value = conditional(lower, `${source}.toLowerCase()`, source);
    } else if (t.kind === "template") {
      // A template without known children, given as a record: one key per property.
      const k = this.local("name");
      const x = this.local("value");
      out.push(
        ifThen(`${source} != null && typeof ${source} === "object"`, [
          {
            kind: "for",
            head: `const ${k} of Object.keys(${source})`,
            body: [
              variable("const", x, seq(as(source, "Record<string, unknown>"), `[${k}]`)),
              ifThen(`${x} != null`, this.store(`${keys.prefix(attr.key)} + ${k}`, x)),
            ],
          },
        ]),
      );
      return out;
    }
    out.push(ifThen(`${source} != null`, this.store(key, value)));
    return out;
  }
}
