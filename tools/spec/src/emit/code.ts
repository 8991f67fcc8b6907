/**
 * The code model: what a generated file declares, as plain data. Emitters build it in pure functions (no
 * printer, no TypeScript compiler); write/printer.ts prints it, as TypeScript or, with every type left out,
 * as JavaScript.
 *
 * Expressions and statements may be source text, which must then be plain JavaScript (no type syntax): the
 * nodes exist where the printer lays code out over lines (calls, literals, operators, blocks) and where
 * TypeScript and JavaScript differ (types, `as`, type arguments). Names of properties are given as they are;
 * the printer quotes those that are not identifiers. Doc text is given as it should read; the printer makes
 * it safe inside a block comment and wraps it.
 */

// ----- types -----

export type TypeNode = string | TypeLiteral | UnionType;

/** `{ a?: string; [key: string]: number }` */
export interface TypeLiteral {
  readonly kind: "type-literal";
  readonly members: readonly TypeMember[];
}

export interface UnionType {
  readonly kind: "union";
  readonly types: readonly TypeNode[];
}

export type TypeMember = PropertySignature | IndexSignature;

export interface PropertySignature {
  readonly kind: "property-signature";
  readonly name: string;
  readonly type: TypeNode;
  readonly optional?: boolean;
  readonly readonly?: boolean;
  readonly doc?: string;
}

export interface IndexSignature {
  readonly kind: "index-signature";
  readonly readonly?: boolean;
  readonly keyName: string;
  readonly keyType: TypeNode;
  readonly type: TypeNode;
  readonly doc?: string;
}

// ----- expressions -----

export type Expr = string | Call | ArrayLiteral | ObjectLiteral | AsExpr | Arrow | Binary | Conditional | Sequence;

/** `callee<T>(args)`, `new callee(args)`; `pure` adds the `/* @__PURE__ *\/` mark bundlers drop unused calls by. */
export interface Call {
  readonly kind: "call";
  readonly callee: Expr;
  readonly args: readonly Expr[];
  readonly typeArgs?: readonly TypeNode[];
  readonly isNew?: boolean;
  readonly pure?: boolean;
}

export interface ArrayLiteral {
  readonly kind: "array";
  readonly items: readonly Expr[];
}

export interface ObjectLiteral {
  readonly kind: "object";
  readonly entries: readonly ObjectEntry[];
}

export interface ObjectEntry {
  readonly name: string;
  readonly value: Expr;
  readonly doc?: string;
}

/** `expr as type` in TypeScript; `expr` in JavaScript. */
export interface AsExpr {
  readonly kind: "as";
  readonly expr: Expr;
  readonly type: TypeNode;
}

/** `(params): returnType => body` */
export interface Arrow {
  readonly kind: "arrow";
  readonly params: readonly Param[];
  readonly returnType?: TypeNode;
  readonly body: Expr;
}

/** Operands joined by one operator; broken after the operators when too long. */
export interface Binary {
  readonly kind: "binary";
  readonly operator: "||" | "&&" | "??" | "+";
  readonly operands: readonly Expr[];
}

/** `test ? then : otherwise`, broken before `?` and `:` when too long. */
export interface Conditional {
  readonly kind: "conditional";
  readonly test: Expr;
  readonly then: Expr;
  readonly otherwise: Expr;
}

/** Parts printed one after another: source text around nested nodes. */
export interface Sequence {
  readonly kind: "sequence";
  readonly parts: readonly Expr[];
}

// ----- statements -----

export type Stmt = string | VariableStatement | ExpressionStatement | Return | If | For | Switch | Try | Comment;

export interface VariableStatement {
  readonly kind: "variable";
  readonly keyword: "const" | "let";
  readonly name: string;
  readonly type?: TypeNode;
  readonly init?: Expr;
}

export interface ExpressionStatement {
  readonly kind: "expression";
  readonly expr: Expr;
}

export interface Return {
  readonly kind: "return";
  readonly expr?: Expr;
}

/** `then` as one statement prints on the `if` line (`if (x) y;`); as a list, in a block. */
export interface If {
  readonly kind: "if";
  readonly test: Expr;
  readonly then: Stmt | readonly Stmt[];
  readonly else?: readonly Stmt[];
}

/** `for (head) { body }`: `head` is JavaScript text (`let i = 0; i < n; i++`, `const k of Object.keys(x)`). */
export interface For {
  readonly kind: "for";
  readonly head: string;
  readonly body: readonly Stmt[];
}

export interface Switch {
  readonly kind: "switch";
  readonly on: Expr;
  readonly cases: readonly SwitchCase[];
}

/** `case a: case b: body`; no labels is `default:`. */
export interface SwitchCase {
  readonly labels: readonly Expr[];
  readonly body: readonly Stmt[];
}

/** `try { body } catch { handler }` */
export interface Try {
  readonly kind: "try";
  readonly body: readonly Stmt[];
  readonly handler: readonly Stmt[];
}

export interface Comment {
  readonly kind: "comment";
  readonly text: string;
}

// ----- declarations -----

export type Declaration =
  | Import
  | ExportFrom
  | VariableDeclaration
  | FunctionDeclaration
  | InterfaceDeclaration
  | TypeAlias
  | Namespace;

export interface ImportName {
  readonly name: string;
  readonly typeOnly?: boolean;
}

/** `import { a, type B } from "m";` (`typeOnly`: `import type { … }`). */
export interface Import {
  readonly kind: "import";
  readonly from: string;
  readonly names: readonly ImportName[];
  readonly typeOnly?: boolean;
}

/** `export * from "m";`, or `export { a } from "m";` when names are given. */
export interface ExportFrom {
  readonly kind: "export-from";
  readonly from: string;
  readonly names?: readonly string[];
  readonly typeOnly?: boolean;
  readonly doc?: string;
}

export interface VariableDeclaration {
  readonly kind: "variable-declaration";
  readonly keyword: "const" | "let";
  readonly name: string;
  readonly exported?: boolean;
  readonly type?: TypeNode;
  readonly init?: Expr;
  readonly doc?: string;
}

export interface Param {
  readonly name: string;
  /** `name?: type` (TypeScript only). */
  readonly optional?: boolean;
  readonly type?: TypeNode;
  readonly init?: Expr;
}

export interface FunctionDeclaration {
  readonly kind: "function";
  readonly name: string;
  readonly exported?: boolean;
  readonly typeParams?: readonly string[];
  readonly params: readonly Param[];
  readonly returnType?: TypeNode;
  readonly body: readonly Stmt[];
  readonly doc?: string;
}

export interface InterfaceDeclaration {
  readonly kind: "interface";
  readonly name: string;
  readonly exported?: boolean;
  readonly members: readonly TypeMember[];
  readonly doc?: string;
}

export interface TypeAlias {
  readonly kind: "type-alias";
  readonly name: string;
  readonly exported?: boolean;
  readonly typeParams?: readonly string[];
  readonly type: TypeNode;
  readonly doc?: string;
}

/** `export declare namespace X { … }`, holding type aliases (the member types of an enum object). */
export interface Namespace {
  readonly kind: "namespace";
  readonly name: string;
  readonly exported?: boolean;
  readonly members: readonly TypeAlias[];
  readonly doc?: string;
}

// ----- files -----

export interface CodeFile {
  readonly kind: "code";
  /** Path relative to the output directory, POSIX separators. */
  readonly path: string;
  /** The file's own doc comment (a `@module` comment at the top). */
  readonly doc?: string;
  readonly declarations: readonly Declaration[];
  /** Used by the other generated files only: not re-exported from index.ts. */
  readonly internal?: boolean;
}

/** A JSON document, printed with the DO-NOT-EDIT notice in a leading `"$comment"`; never re-exported. */
export interface JsonFile {
  readonly kind: "json";
  readonly path: string;
  readonly document: Readonly<Record<string, unknown>>;
}

export type GeneratedFile = CodeFile | JsonFile;

// ----- small constructors, so emitters read as the code they produce -----

export function call(
  callee: Expr,
  args: readonly Expr[],
  options: { typeArgs?: readonly TypeNode[]; isNew?: boolean; pure?: boolean } = {},
): Call {
  return { kind: "call", callee, args, ...options };
}

export function array(items: readonly Expr[]): ArrayLiteral {
  return { kind: "array", items };
}

export function object(entries: readonly ObjectEntry[]): ObjectLiteral {
  return { kind: "object", entries };
}

export function as(expr: Expr, type: TypeNode): AsExpr {
  return { kind: "as", expr, type };
}

export function binary(operator: Binary["operator"], operands: readonly Expr[]): Expr {
  return operands.length === 1 ? operands[0]! : { kind: "binary", operator, operands };
}

export function conditional(test: Expr, then: Expr, otherwise: Expr): Conditional {
  return { kind: "conditional", test, then, otherwise };
}

/** `(expr)` */
export function paren(expr: Expr): Sequence {
  return seq("(", expr, ")");
}

export function seq(...parts: Expr[]): Sequence {
  return { kind: "sequence", parts };
}

export function union(types: readonly TypeNode[]): TypeNode {
  return types.length === 1 ? types[0]! : { kind: "union", types };
}

export function constant(
  name: string,
  init: Expr,
  options: { exported?: boolean; type?: TypeNode; doc?: string | undefined } = {},
): VariableDeclaration {
  return { kind: "variable-declaration", keyword: "const", name, init, ...withoutUndefined(options) };
}

export function typeAlias(name: string, type: TypeNode, doc?: string, typeParams?: readonly string[]): TypeAlias {
  return {
    kind: "type-alias",
    name,
    exported: true,
    type,
    ...(doc ? { doc } : {}),
    ...(typeParams ? { typeParams } : {}),
  };
}

export function variable(keyword: "const" | "let", name: string, init?: Expr, type?: TypeNode): VariableStatement {
  return {
    kind: "variable",
    keyword,
    name,
    ...(init === undefined ? {} : { init }),
    ...(type === undefined ? {} : { type }),
  };
}

export function ret(expr?: Expr): Return {
  return expr === undefined ? { kind: "return" } : { kind: "return", expr };
}

export function ifThen(test: Expr, then: Stmt | readonly Stmt[], otherwise?: readonly Stmt[]): If {
  return { kind: "if", test, then, ...(otherwise ? { else: otherwise } : {}) };
}

export function exprStmt(expr: Expr): ExpressionStatement {
  return { kind: "expression", expr };
}

/** `/* @__PURE__ *\/ new Set<T>([items])` */
export function pureSet(items: readonly Expr[], typeArg?: TypeNode): Call {
  return call("Set", [array(items)], { isNew: true, pure: true, ...(typeArg ? { typeArgs: [typeArg] } : {}) });
}

/** Every piece of source text in statements or expressions (types left out), for {@link mentions}. */
function texts(node: Stmt | Expr | readonly Stmt[], out: string[]): void {
  if (typeof node === "string") {
    out.push(node);
    return;
  }
  if (Array.isArray(node)) {
    for (const n of node as readonly Stmt[]) texts(n, out);
    return;
  }
  const n = node as Exclude<Stmt | Expr, string>;
  switch (n.kind) {
    case "variable":
      if (n.init !== undefined) texts(n.init, out);
      return;
    case "expression":
      return texts(n.expr, out);
    case "return":
      if (n.expr !== undefined) texts(n.expr, out);
      return;
    case "if":
      texts(n.test, out);
      texts(n.then as Stmt | readonly Stmt[], out);
      if (n.else) texts(n.else, out);
      return;
    case "for":
      out.push(n.head);
      return texts(n.body, out);
    case "switch":
      texts(n.on, out);
      for (const c of n.cases) {
        for (const l of c.labels) texts(l, out);
        texts(c.body, out);
      }
      return;
    case "try":
      texts(n.body, out);
      return texts(n.handler, out);
    case "comment":
      return;
    case "call":
      texts(n.callee, out);
      for (const a of n.args) texts(a, out);
      return;
    case "array":
      for (const i of n.items) texts(i, out);
      return;
    case "object":
      for (const e of n.entries) texts(e.value, out);
      return;
    case "as":
      return texts(n.expr, out);
    case "arrow":
      return texts(n.body, out);
    case "binary":
      for (const o of n.operands) texts(o, out);
      return;
    case "conditional":
      texts(n.test, out);
      texts(n.then, out);
      return texts(n.otherwise, out);
    case "sequence":
      for (const p of n.parts) texts(p, out);
      return;
  }
}

/** True when `body` uses the identifier `name` (outside string literals). */
export function mentions(name: string, body: Stmt | Expr | readonly Stmt[]): boolean {
  const all: string[] = [];
  texts(body, all);
  const use = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
  return all.some((text) => use.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')));
}

/** `name`, or `_name` when `body` never uses it (generated code compiles under `noUnusedParameters`). */
export function paramName(name: string, body: Stmt | Expr | readonly Stmt[]): string {
  return mentions(name, body) ? name : `_${name}`;
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
