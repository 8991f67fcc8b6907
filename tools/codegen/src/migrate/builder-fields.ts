/**
 * Builder input fields of renamed attributes → the fields of what they were renamed to, in object literals the
 * type checker types as a builder's input (a builder's argument, a variable or `satisfies` of its input type, a
 * structure in a list). A field whose new place is elsewhere in the input (`openai.request.seed` →
 * `request.seed`) is moved there, creating the objects on the way; empty objects left behind are removed.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  Node,
  SyntaxKind,
  type ObjectLiteralElementLike,
  type ObjectLiteralExpression,
  type PropertyAssignment,
  type ShorthandPropertyAssignment,
  type SourceFile,
  type Type,
} from "ts-morph";
import type { InputShape, PackageFacts } from "./facts.js";
import type { Problems } from "./problems.js";

type Field = PropertyAssignment | ShorthandPropertyAssignment;

/** The name of the package a declaration file belongs to (nearest package.json with a name). */
export class PackageOf {
  private readonly cache = new Map<string, string | undefined>();

  of(file: string): string | undefined {
    const dir = path.dirname(file);
    if (this.cache.has(dir)) return this.cache.get(dir);
    let name: string | undefined;
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        name = (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name;
      } catch {
        // Not reported: a package.json that is not JSON names no package; look further up.
        name = undefined;
      }
    }
    if (name === undefined && path.dirname(dir) !== dir) name = this.of(dir);
    this.cache.set(dir, name);
    return name;
  }
}

export interface FieldContext {
  readonly sf: SourceFile;
  /** Generated package name → its facts. */
  readonly facts: ReadonlyMap<string, PackageFacts>;
  readonly packages: PackageOf;
  readonly problems: Problems;
}

/** The builder input shape `type` is (or one member of a union is), when it is declared by one of the packages. */
function inputShapeOf(ctx: FieldContext, type: Type | undefined): InputShape | undefined {
  if (!type) return undefined;
  for (const candidate of type.isUnion() ? type.getUnionTypes() : [type]) {
    const symbol = candidate.getAliasSymbol() ?? candidate.getSymbol();
    if (!symbol) continue;
    for (const decl of symbol.getDeclarations()) {
      const pkg = ctx.packages.of(decl.getSourceFile().getFilePath());
      const shape = pkg === undefined ? undefined : ctx.facts.get(pkg)?.inputs.get(symbol.getName());
      if (shape) return shape;
    }
  }
  return undefined;
}

function fieldName(element: ObjectLiteralElementLike): string | undefined {
  if (Node.isShorthandPropertyAssignment(element)) return element.getName();
  if (!Node.isPropertyAssignment(element)) return undefined;
  const name = element.getNameNode();
  if (Node.isIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  return undefined;
}

function findField(literal: ObjectLiteralExpression, name: string): Field | undefined {
  for (const element of literal.getProperties()) {
    if (
      (Node.isPropertyAssignment(element) || Node.isShorthandPropertyAssignment(element)) &&
      fieldName(element) === name
    )
      return element;
  }
  return undefined;
}

interface Found {
  readonly field: Field;
  readonly literal: ObjectLiteralExpression;
  readonly shape: InputShape;
}

/** The first alias field under `literal` not yet handled. */
function nextAlias(literal: ObjectLiteralExpression, shape: InputShape, handled: ReadonlySet<Node>): Found | undefined {
  for (const element of literal.getProperties()) {
    const name = fieldName(element);
    const child = name === undefined ? undefined : shape.fields.get(name);
    if (!child || !(Node.isPropertyAssignment(element) || Node.isShorthandPropertyAssignment(element))) continue;
    if (child.rename && !handled.has(element)) return { field: element, literal, shape: child };
    const value = Node.isPropertyAssignment(element) ? element.getInitializer() : undefined;
    if (child.fields.size > 0 && value && Node.isObjectLiteralExpression(value)) {
      const found = nextAlias(value, child, handled);
      if (found) return found;
    }
  }
  return undefined;
}

function valueText(field: Field): string {
  return Node.isShorthandPropertyAssignment(field) ? field.getName() : field.getInitializerOrThrow().getText();
}

/** `name` as a property name, quoted as the field it replaces was. */
function propertyName(name: string, like: Field): string {
  if (Node.isPropertyAssignment(like)) {
    const node = like.getNameNode();
    if (Node.isStringLiteral(node)) return node.getText().startsWith("'") ? `'${name}'` : JSON.stringify(name);
  }
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * Adds `property` at the end of `literal`, on its own line when the literal spans lines, else inline; returns the
 * literal (a new node when it was rewritten inline).
 */
function addProperty(literal: ObjectLiteralExpression, name: string, initializer: string): ObjectLiteralExpression {
  const text = literal.getText();
  if (text.includes("\n")) {
    literal.addPropertyAssignment({ name, initializer });
    return literal;
  }
  const inner = text.slice(1, -1).trim().replace(/,$/, "");
  const property = `${name}: ${initializer}`;
  return literal.replaceWithText(
    inner === "" ? `{ ${property} }` : `{ ${inner}, ${property} }`,
  ) as ObjectLiteralExpression;
}

/** Removes `field`, then every object literal left empty on the way up to `root`, except those in `keep`. */
function removeAndPrune(field: Field, root: ObjectLiteralExpression, keep: ReadonlySet<ObjectLiteralExpression>): void {
  let literal = field.getParentIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
  field.remove();
  while (literal !== root && !keep.has(literal) && literal.getProperties().length === 0) {
    const holder = literal.getParent();
    if (!Node.isPropertyAssignment(holder)) break;
    const outer = holder.getParentIfKindOrThrow(SyntaxKind.ObjectLiteralExpression);
    holder.remove();
    literal = outer;
  }
}

/** Rewrites one alias field (or says why not); returns the root literal, a new node when it was rewritten. */
function rewrite(ctx: FieldContext, root: ObjectLiteralExpression, found: Found): ObjectLiteralExpression {
  const rename = found.shape.rename!;
  const { field } = found;
  const to = rename.to;
  const last = to[to.length - 1]!;
  const sameParent = rename.from.length === to.length && rename.from.slice(0, -1).every((seg, i) => seg === to[i]);
  const where = `\`${rename.from.join(".")}\` (${rename.fromKey}, renamed to ${rename.toKey})`;
  if (sameParent) {
    if (findField(found.literal, last)) {
      ctx.problems.warning(
        field,
        `${where} is given next to \`${to.join(".")}\`, whose value wins: left as it is (remove it)`,
      );
      return root;
    }
    if (Node.isShorthandPropertyAssignment(field))
      field.replaceWithText(`${propertyName(last, field)}: ${field.getName()}`);
    else field.getNameNode().replaceWithText(propertyName(last, field));
    return root;
  }
  // Moved elsewhere in the input: find (or plan to create) the object that holds the new field.
  let literal = root;
  const path = new Set<ObjectLiteralExpression>([root]);
  let depth = 0;
  for (; depth < to.length - 1; depth++) {
    const holder = findField(literal, to[depth]!);
    if (!holder) break;
    const value = Node.isPropertyAssignment(holder) ? holder.getInitializer() : undefined;
    if (!value || !Node.isObjectLiteralExpression(value)) {
      ctx.problems.warning(
        field,
        `${where} belongs in \`${to.join(".")}\`, but \`${to.slice(0, depth + 1).join(".")}\` is not an object literal here: left as it is`,
      );
      return root;
    }
    literal = value;
    path.add(value);
  }
  if (depth === to.length - 1 && findField(literal, last)) {
    ctx.problems.warning(
      field,
      `${where} is given next to \`${to.join(".")}\`, whose value wins: left as it is (remove it)`,
    );
    return root;
  }
  let initializer = valueText(field);
  for (let i = to.length - 1; i > depth; i--) initializer = `{ ${propertyName(to[i]!, field)}: ${initializer} }`;
  const name = propertyName(to[depth]!, field);
  // Removed first (the objects on the new field's path are kept even when emptied), then added.
  removeAndPrune(field, root, path);
  const added = addProperty(literal, name, initializer);
  return literal === root ? added : root;
}

export function migrateBuilderFields(ctx: FieldContext): void {
  const roots: { literal: ObjectLiteralExpression; shape: InputShape }[] = [];
  for (const literal of ctx.sf.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
    const shape = inputShapeOf(ctx, literal.getContextualType());
    if (shape) roots.push({ literal, shape });
  }
  for (const { literal: first, shape } of roots) {
    let literal = first;
    if (literal.wasForgotten()) continue;
    const handled = new Set<Node>();
    for (let guard = 0; guard < 10_000; guard++) {
      const found = nextAlias(literal, shape, handled);
      if (!found) break;
      handled.add(found.field);
      literal = rewrite(ctx, literal, found);
    }
  }
}
