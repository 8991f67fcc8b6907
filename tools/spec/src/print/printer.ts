/**
 * The one printer: the code model (emit/code.ts) → source text, as TypeScript or as JavaScript (every type,
 * type-only import and `as` left out). Layout is decided here, once, for every emitter: two-space indents,
 * double quotes, a blank line between declarations, lines of at most 120 columns where the code can break
 * (a list too long for one line gets one item per line), doc comments wrapped to the same width.
 */
import type {
  CodeFile,
  Declaration,
  Expr,
  FunctionDeclaration,
  ImportName,
  ObjectEntry,
  Param,
  Stmt,
  SwitchCase,
  TypeMember,
  TypeNode,
} from "../emit/code.js";
import { stringLiteral } from "../emit/literals.js";
import { concat, group, hardline, ifBreak, indent, join, line, render, softline, type Layout } from "./layout.js";

export type Language = "ts" | "js";

export const LINE_WIDTH = 120;

const INDENT = 2;

/** A property name as written in an object literal or a type: bare when it is an identifier, quoted otherwise. */
export function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : stringLiteral(name);
}

/** Text safe inside a block comment: `*\/` cannot end it early. */
export function escapeDocText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n");
}

/**
 * The lines of a doc comment's text, long lines wrapped at spaces to `width`. Not wrapped: fenced code,
 * Markdown table rows and `@example` paragraphs (examples are values, shown as written).
 */
export function wrapDocText(text: string, width: number): string[] {
  const out: string[] = [];
  let fence = false;
  let example = false;
  for (const raw of escapeDocText(text).split("\n")) {
    const trimmed = raw.trimStart();
    if (trimmed.startsWith("```")) fence = !fence;
    if (trimmed.startsWith("@")) example = trimmed.startsWith("@example");
    else if (trimmed === "") example = false;
    if (fence || example || raw.length <= width || trimmed.startsWith("|")) {
      out.push(raw);
      continue;
    }
    // Continuation lines line up under the text of a list item.
    const lead = /^\s*(?:[-*+] |\d+\. )?/.exec(raw)![0];
    const hang = " ".repeat(lead.length);
    let current = lead;
    let fresh = true;
    for (const word of words(raw.slice(lead.length))) {
      if (!fresh && current.length + 1 + word.length > width) {
        out.push(current);
        current = hang + word;
      } else current = fresh ? current + word : `${current} ${word}`;
      fresh = false;
    }
    out.push(current);
  }
  return out;
}

/** The words of a line, a `{@link …}` kept as one (a link broken over lines may not resolve). */
function words(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(" ")) {
    const last = out[out.length - 1];
    if (last?.includes("{@link") && !last.slice(last.lastIndexOf("{@link")).includes("}"))
      out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

class Printer {
  constructor(private readonly language: Language) {}

  private get ts(): boolean {
    return this.language === "ts";
  }

  // ----- docs -----

  /** A doc comment at `depth` levels of indentation, followed by a line break; nothing when there is no text. */
  doc(text: string | undefined, depth: number): Layout {
    const comment = this.comment(text, depth);
    return comment === undefined ? "" : concat(comment, hardline);
  }

  private comment(text: string | undefined, depth: number): Layout | undefined {
    if (text === undefined || text.trim() === "") return undefined;
    const width = LINE_WIDTH - depth * INDENT;
    const lines = wrapDocText(text.trim(), width - 3);
    if (lines.length === 1 && lines[0]!.length + 7 <= width) return `/** ${lines[0]} */`;
    return concat("/**", ...lines.flatMap((l) => [hardline, l ? ` * ${l}` : " *"]), hardline, " */");
  }

  // ----- types -----

  type(node: TypeNode, depth: number): Layout {
    if (typeof node === "string") return node;
    if (node.kind === "union") {
      const literals = node.types.filter((t) => typeof t !== "string");
      // `{ … } | null`: the object type breaks, the union stays on its line.
      if (literals.length > 0)
        return join(
          " | ",
          node.types.map((t) => this.type(t, depth)),
        );
      return group(
        indent(
          ifBreak(concat(softline, "| ")),
          join(
            concat(line, "| "),
            node.types.map((t) => this.type(t, depth + 1)),
          ),
        ),
      );
    }
    if (node.members.length === 0) return "{}";
    const hasDocs = node.members.some((m) => m.doc);
    const members = node.members.map((m) => this.member(m, depth + 1));
    if (hasDocs)
      return concat(
        "{",
        indent(
          hardline,
          join(
            hardline,
            members.map((m) => concat(m, ";")),
          ),
        ),
        hardline,
        "}",
      );
    return group("{", indent(line, join(concat(";", line), members)), ifBreak(";"), line, "}");
  }

  /** A member of an interface or object type, without its `;`. */
  member(member: TypeMember, depth: number): Layout {
    if (member.kind === "index-signature") {
      const head = `${member.readonly ? "readonly " : ""}[${member.keyName}: `;
      return concat(
        this.doc(member.doc, depth),
        head,
        this.type(member.keyType, depth),
        "]: ",
        this.type(member.type, depth),
      );
    }
    const head = `${member.readonly ? "readonly " : ""}${propertyName(member.name)}${member.optional ? "?" : ""}: `;
    return concat(this.doc(member.doc, depth), head, this.type(member.type, depth));
  }

  private typeAnnotation(type: TypeNode | undefined, depth: number): Layout {
    return this.ts && type !== undefined ? concat(": ", this.type(type, depth)) : "";
  }

  private typeParams(params: readonly string[] | undefined): string {
    return this.ts && params && params.length > 0 ? `<${params.join(", ")}>` : "";
  }

  // ----- expressions -----

  /** `top`: the whole expression of a statement or an item of a list, where an `as` needs no parentheses. */
  expr(node: Expr, depth: number, top = true): Layout {
    if (typeof node === "string") return node;
    switch (node.kind) {
      case "sequence":
        return concat(...node.parts.map((p) => this.expr(p, depth, false)));
      case "as": {
        if (!this.ts) return this.expr(node.expr, depth, top);
        // `x as unknown as T` needs no parentheses around the inner cast.
        const inner =
          typeof node.expr !== "string" && node.expr.kind === "as"
            ? this.expr(node.expr, depth, true)
            : this.expr(node.expr, depth, false);
        const printed = concat(inner, " as ", this.type(node.type, depth));
        return top ? printed : concat("(", printed, ")");
      }
      case "call": {
        const typeArgs =
          this.ts && node.typeArgs
            ? concat(
                "<",
                join(
                  ", ",
                  node.typeArgs.map((t) => this.type(t, depth)),
                ),
                ">",
              )
            : "";
        const head = concat(
          node.pure ? "/* @__PURE__ */ " : "",
          node.isNew ? "new " : "",
          this.expr(node.callee, depth, false),
          typeArgs,
        );
        return concat(head, this.list("(", ")", node.args, depth));
      }
      case "array":
        return this.list("[", "]", node.items, depth);
      case "object":
        return this.objectLiteral(node.entries, depth);
      case "arrow": {
        const returnType =
          this.ts && node.returnType !== undefined ? concat(": ", this.type(node.returnType, depth)) : "";
        return concat(this.params(node.params, depth), returnType, " => ", this.expr(node.body, depth, false));
      }
      case "binary": {
        const [first, ...rest] = node.operands.map((o) => this.expr(o, depth + 1, false));
        return group(first!, indent(...rest.flatMap((o) => [` ${node.operator}`, line, o])));
      }
      case "conditional":
        return group(
          this.expr(node.test, depth + 1, false),
          indent(
            line,
            "? ",
            this.expr(node.then, depth + 1, false),
            line,
            ": ",
            this.expr(node.otherwise, depth + 1, false),
          ),
        );
    }
  }

  /** `(a, b)` on one line, or one item per line with a trailing comma; a lone array or object argument hugs the brackets. */
  private list(open: string, close: string, items: readonly Expr[], depth: number): Layout {
    if (items.length === 0) return open + close;
    const only = items.length === 1 ? items[0]! : undefined;
    if (open === "(" && typeof only === "object" && (only.kind === "array" || only.kind === "object"))
      return concat(open, this.expr(only, depth), close);
    const printed = items.map((item) => this.expr(item, depth + 1));
    return group(open, indent(softline, join(concat(",", line), printed)), ifBreak(","), softline, close);
  }

  private objectLiteral(entries: readonly ObjectEntry[], depth: number): Layout {
    if (entries.length === 0) return "{}";
    // `{ owns }` for `{ owns: owns }` (not for `__proto__`, whose shorthand is an ordinary property).
    const shorthand = (e: ObjectEntry) =>
      e.value === e.name && e.name !== "__proto__" && /^[A-Za-z_$][\w$]*$/.test(e.name);
    const printed = entries.map((e) =>
      concat(
        this.doc(e.doc, depth + 1),
        shorthand(e) ? e.name : concat(`${propertyName(e.name)}: `, this.expr(e.value, depth + 1)),
      ),
    );
    const separator = entries.some((e) => e.doc) ? concat(",", hardline) : concat(",", line);
    return group("{", indent(line, join(separator, printed)), ifBreak(","), line, "}");
  }

  private params(params: readonly Param[], depth: number): Layout {
    const printed = params.map((p) =>
      concat(
        p.name,
        this.ts && p.optional ? "?" : "",
        this.typeAnnotation(p.type, depth + 1),
        p.init === undefined ? "" : concat(" = ", this.expr(p.init, depth + 1)),
      ),
    );
    if (printed.length === 0) return "()";
    return group("(", indent(softline, join(concat(",", line), printed)), ifBreak(","), softline, ")");
  }

  // ----- statements -----

  block(body: readonly Stmt[], depth: number): Layout {
    if (body.length === 0) return "{}";
    return concat(
      "{",
      indent(
        hardline,
        join(
          hardline,
          body.map((s) => this.stmt(s, depth + 1)),
        ),
      ),
      hardline,
      "}",
    );
  }

  stmt(node: Stmt, depth: number): Layout {
    if (typeof node === "string") return node;
    switch (node.kind) {
      case "variable": {
        const head = concat(`${node.keyword} ${node.name}`, this.typeAnnotation(node.type, depth));
        return node.init === undefined ? concat(head, ";") : concat(head, " = ", this.expr(node.init, depth), ";");
      }
      case "expression":
        return concat(this.expr(node.expr, depth), ";");
      case "return":
        return node.expr === undefined ? "return;" : concat("return ", this.expr(node.expr, depth), ";");
      case "if": {
        const head = concat("if (", group(indent(softline, this.expr(node.test, depth + 1)), softline), ")");
        if (Array.isArray(node.then) || node.else !== undefined) {
          const then = concat(
            " ",
            this.block(Array.isArray(node.then) ? (node.then as readonly Stmt[]) : [node.then as Stmt], depth),
          );
          return node.else === undefined
            ? concat(head, then)
            : concat(head, then, " else ", this.block(node.else, depth));
        }
        // One statement: on the `if` line when it fits, else in a block.
        return group(
          head,
          ifBreak(" {"),
          indent(line, this.stmt(node.then as Stmt, depth + 1)),
          ifBreak(concat(line, "}")),
        );
      }
      case "for":
        return concat(`for (${node.head}) `, this.block(node.body, depth));
      case "switch":
        return concat(
          "switch (",
          this.expr(node.on, depth),
          ") {",
          indent(...node.cases.map((c) => concat(hardline, this.switchCase(c, depth + 1)))),
          hardline,
          "}",
        );
      case "try":
        return concat("try ", this.block(node.body, depth), " catch ", this.block(node.handler, depth));
      case "comment":
        return `// ${node.text}`;
    }
  }

  private switchCase(node: SwitchCase, depth: number): Layout {
    const labels =
      node.labels.length === 0 ? ["default:"] : node.labels.map((l) => concat("case ", this.expr(l, depth), ":"));
    return concat(join(hardline, labels), indent(...node.body.map((s) => concat(hardline, this.stmt(s, depth + 1)))));
  }

  // ----- declarations -----

  declaration(node: Declaration): Layout | undefined {
    const exported = (is: boolean | undefined) => (is ? "export " : "");
    switch (node.kind) {
      case "import": {
        const names = this.ts ? node.names : node.typeOnly ? [] : node.names.filter((n) => !n.typeOnly);
        if (names.length === 0) return undefined;
        const printed = names.map((n: ImportName) =>
          n.typeOnly && this.ts && !node.typeOnly ? `type ${n.name}` : n.name,
        );
        return concat(
          `import ${node.typeOnly && this.ts ? "type " : ""}`,
          this.namedList(printed),
          ` from ${stringLiteral(node.from)};`,
        );
      }
      case "export-from": {
        if (node.typeOnly && !this.ts) return undefined;
        const what = node.names === undefined ? "*" : this.namedList(node.names);
        return concat(
          this.doc(node.doc, 0),
          `export ${node.typeOnly ? "type " : ""}`,
          what,
          ` from ${stringLiteral(node.from)};`,
        );
      }
      case "variable-declaration": {
        const init = node.init === undefined ? "" : concat(" = ", this.expr(node.init, 0));
        return concat(
          this.doc(node.doc, 0),
          `${exported(node.exported)}${node.keyword} ${node.name}`,
          this.typeAnnotation(node.type, 0),
          init,
          ";",
        );
      }
      case "function":
        return this.functionDeclaration(node);
      case "interface":
        if (!this.ts) return undefined;
        return concat(
          this.doc(node.doc, 0),
          `${exported(node.exported)}interface ${node.name} `,
          node.members.length === 0
            ? "{}"
            : concat("{", indent(...node.members.map((m) => concat(hardline, this.member(m, 1), ";"))), hardline, "}"),
        );
      case "type-alias":
        if (!this.ts) return undefined;
        if (typeof node.type === "string") {
          // A long type moves to the next line: `type X =\n  (typeof X)[keyof typeof X];`
          const head = `${exported(node.exported)}type ${node.name}${this.typeParams(node.typeParams)} =`;
          return concat(this.doc(node.doc, 0), group(head, indent(line, node.type), ";"));
        }
        return concat(
          this.doc(node.doc, 0),
          `${exported(node.exported)}type ${node.name}${this.typeParams(node.typeParams)} = `,
          this.type(node.type, 0),
          ";",
        );
      case "namespace":
        if (!this.ts) return undefined;
        return concat(
          this.doc(node.doc, 0),
          `${exported(node.exported)}declare namespace ${node.name} {`,
          indent(...node.members.map((m) => concat(hardline, `type ${m.name} = `, this.type(m.type, 1), ";"))),
          hardline,
          "}",
        );
    }
  }

  private namedList(names: readonly string[]): Layout {
    return group("{", indent(line, join(concat(",", line), names)), ifBreak(","), line, "}");
  }

  private functionDeclaration(node: FunctionDeclaration): Layout {
    const returnType = this.typeAnnotation(node.returnType, 0);
    const head = `${node.exported ? "export " : ""}function ${node.name}${this.typeParams(node.typeParams)}`;
    return concat(this.doc(node.doc, 0), head, this.params(node.params, 0), returnType, " ", this.block(node.body, 0));
  }

  file(file: CodeFile): string {
    const blocks: Layout[] = [];
    let previousWasImport = false;
    const moduleDoc = this.comment(file.doc && `${file.doc.trim()}\n\n@module`, 0);
    if (moduleDoc !== undefined) blocks.push(moduleDoc);
    for (const declaration of file.declarations) {
      const printed = this.declaration(declaration);
      if (printed === undefined) continue;
      const isImport =
        declaration.kind === "import" || (declaration.kind === "export-from" && declaration.doc === undefined);
      // Imports and re-exports stay together; every other declaration is set off by a blank line.
      blocks.push(
        blocks.length === 0 ? printed : concat(hardline, isImport && previousWasImport ? "" : hardline, printed),
      );
      previousWasImport = isImport;
    }
    return `${render(concat(...blocks), LINE_WIDTH)}\n`;
  }
}

/** One file of the code model as source text (without the banner). */
export function printCode(file: CodeFile, language: Language = "ts"): string {
  return new Printer(language).file(file);
}

/** One expression, statement or type as source text (for tests and small snippets). */
export function printFragment(
  fragment: { expr: Expr } | { stmt: Stmt } | { type: TypeNode },
  language: Language = "ts",
): string {
  const printer = new Printer(language);
  const layout =
    "expr" in fragment
      ? printer.expr(fragment.expr, 0)
      : "stmt" in fragment
        ? printer.stmt(fragment.stmt, 0)
        : printer.type(fragment.type, 0);
  return render(layout, LINE_WIDTH);
}
