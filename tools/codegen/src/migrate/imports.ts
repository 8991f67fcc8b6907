/**
 * Imports, re-exports, CommonJS requires and dynamic imports: upstream modules → semtrace's packages (MODULE_MOVES), and renamed
 * constants of semtrace's packages → their new names. Each form keeps working as written: aliases stay aliases,
 * `import type` stays type-only, a re-export keeps exporting the name it exported, a namespace keeps its uses.
 */
import {
  Node,
  SyntaxKind,
  type BindingElement,
  type CallExpression,
  type ExportDeclaration,
  type ExportSpecifier,
  type Identifier,
  type ImportDeclaration,
  type ImportSpecifier,
  type ObjectBindingPattern,
  type SourceFile,
  type StringLiteral,
  type VariableDeclaration,
} from "ts-morph";
import type { Exports, ModuleExports } from "./exports.js";
import { MODULE_MOVES, type ModuleMove, type PackageFacts } from "./facts.js";
import type { Problems } from "./problems.js";

/** A move as it applies to one file: which names really move (semtrace's package has them, with equal values). */
interface FileMove {
  readonly move: ModuleMove;
  readonly moving: (name: string) => boolean;
  /** Every value the upstream module exports moves: the module specifier alone can be swapped. */
  readonly complete: boolean;
}

export interface ImportContext {
  readonly sf: SourceFile;
  readonly dir: string;
  readonly facts: ReadonlyMap<string, PackageFacts>;
  readonly exports: ModuleExports;
  readonly problems: Problems;
}

function fileMove(ctx: ImportContext, move: ModuleMove, at: Node): FileMove | undefined {
  const target = ctx.exports.load(move.to, ctx.dir);
  if (target instanceof Error) {
    ctx.problems.error(
      at,
      `cannot move this import to ${move.to}: ${target.message}; install it (npm install ${move.to}) and run migrate again`,
    );
    return undefined;
  }
  const source = ctx.exports.load(move.from, ctx.dir);
  const same = (name: string) =>
    target.has(name) && (source instanceof Error || covers(target.get(name), source.get(name)));
  const moving = (name: string) => move.names(name) && same(name);
  const complete =
    !(source instanceof Error) &&
    [...source.keys()].every((name) => moving(name) || name === "default" || name === "__esModule");
  return { move, moving, complete };
}

/**
 * Whether `ours` can stand in for `theirs`: the same primitive, or (enums and namespaces such as
 * SemanticConventions) an object with every property of theirs, covered in turn; ours may have more.
 */
export function covers(ours: unknown, theirs: unknown, depth = 0): boolean {
  if (Object.is(ours, theirs)) return true;
  if (depth > 8 || typeof ours !== "object" || typeof theirs !== "object" || ours === null || theirs === null)
    return false;
  return Object.keys(theirs).every(
    (key) =>
      Object.hasOwn(ours, key) &&
      covers((ours as Record<string, unknown>)[key], (theirs as Record<string, unknown>)[key], depth + 1),
  );
}

function quoteOf(literal: StringLiteral): string {
  return literal.getText().startsWith("'") ? "'" : '"';
}

function setSpecifier(literal: StringLiteral, to: string): void {
  const q = quoteOf(literal);
  literal.replaceWithText(`${q}${to}${q}`);
}

/** A name not yet bound at the file's top level, from `base`. */
function freshName(sf: SourceFile, base: string): string {
  let name = base;
  for (
    let i = 2;
    sf.getLocal(name) !== undefined ||
    sf.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === name);
    i++
  )
    name = `${base}${i}`;
  return name;
}

/**
 * The Identifier nodes of `sf` that refer to the binding `id` (its own declaration excluded), shorthand properties
 * (`{ OLD }`) and local exports (`export { OLD }`) included, last first (so replacing them one by one keeps the
 * others' places).
 */
function usesOf(sf: SourceFile, id: Identifier): Identifier[] {
  const target = id.getSymbol()?.compilerSymbol;
  if (!target) return [];
  const checker = sf.getProject().getTypeChecker().compilerObject;
  return sf
    .getDescendantsOfKind(SyntaxKind.Identifier)
    .filter((other) => {
      if (other === id || other.getText() !== id.getText()) return false;
      const parent = other.getParent();
      if (Node.isShorthandPropertyAssignment(parent))
        return checker.getShorthandAssignmentValueSymbol(parent.compilerNode) === target;
      if (
        Node.isExportSpecifier(parent) &&
        parent.getNameNode() === other &&
        !parent.getExportDeclaration().getModuleSpecifier()
      ) {
        return checker.getExportSpecifierLocalTargetSymbol(parent.compilerNode) === target;
      }
      return other.getSymbol()?.compilerSymbol === target;
    })
    .reverse();
}

/** Replaces one use of a binding by `to`, keeping a shorthand property's key and a local export's name. */
function replaceUse(use: Identifier, to: string): void {
  const parent = use.getParent();
  if (Node.isShorthandPropertyAssignment(parent)) parent.replaceWithText(`${use.getText()}: ${to}`);
  else if (Node.isExportSpecifier(parent) && !parent.getAliasNode())
    parent.replaceWithText(`${to} as ${use.getText()}`);
  else use.replaceWithText(to);
}

export function migrateImports(ctx: ImportContext): void {
  const { sf } = ctx;
  const moves = new Map<string, FileMove | null>();
  const moveFor = (specifier: string, at: Node): FileMove | undefined => {
    const move = MODULE_MOVES.find((m) => m.from === specifier);
    if (!move) return undefined;
    if (!moves.has(specifier)) moves.set(specifier, fileMove(ctx, move, at) ?? null);
    return moves.get(specifier) ?? undefined;
  };

  for (const decl of sf.getImportDeclarations()) importDeclaration(ctx, decl, moveFor);
  for (const decl of sf.getExportDeclarations()) exportDeclaration(ctx, decl, moveFor);
  for (const call of moduleCalls(sf)) moduleCall(ctx, call, moveFor);
}

type MoveFor = (specifier: string, at: Node) => FileMove | undefined;

/**
 * Moves the specifiers of `decl` whose names move into a new declaration of the same kind after it (`import` or
 * `export`, type-only kept, aliases as written) from the target package; returns the new statement.
 */
function splitOff(
  ctx: ImportContext,
  decl: ImportDeclaration | ExportDeclaration,
  specifiers: readonly (ImportSpecifier | ExportSpecifier)[],
  fm: FileMove,
  literal: StringLiteral,
): Node | undefined {
  const moving = specifiers.filter((s) => fm.moving(s.getName()));
  const texts = moving.map((s) => s.getText());
  for (const s of moving) s.remove();
  const keyword = Node.isImportDeclaration(decl) ? "import" : "export";
  const typeOnly = decl.isTypeOnly() ? "type " : "";
  return ctx.sf.insertStatements(
    decl.getChildIndex() + 1,
    `${keyword} ${typeOnly}{ ${texts.join(", ")} } from ${quoted(literal, fm.move.to)};`,
  )[0];
}

// --- ES imports ---------------------------------------------------------------------------------------------------

function importDeclaration(ctx: ImportContext, decl: ImportDeclaration, moveFor: MoveFor): void {
  const specifier = decl.getModuleSpecifierValue();
  const fm = moveFor(specifier, decl);
  if (fm) {
    const named = decl.getNamedImports();
    const ns = decl.getNamespaceImport();
    if (decl.getDefaultImport()) {
      ctx.problems.warning(decl, `a default import of ${specifier} (which has no default export) is left as it is`);
      return;
    }
    if (fm.complete || (named.length > 0 && named.every((s) => fm.moving(s.getName())))) {
      setSpecifier(decl.getModuleSpecifier(), fm.move.to);
    } else if (ns) {
      namespaceUses(
        ctx,
        ns,
        fm,
        (name) => `import * as ${name} from ${quoted(decl.getModuleSpecifier(), fm.move.to)};`,
        decl,
      );
      return;
    } else if (named.some((s) => fm.moving(s.getName()))) {
      const moved = splitOff(ctx, decl, named, fm, decl.getModuleSpecifier());
      if (Node.isImportDeclaration(moved)) renameImported(ctx, moved, fm.move.to);
      return;
    } else return;
  }
  renameImported(ctx, decl, decl.getModuleSpecifierValue());
}

function quoted(literal: StringLiteral, to: string): string {
  const q = quoteOf(literal);
  return `${q}${to}${q}`;
}

/** Renamed constants among the names `decl` imports from one of semtrace's packages (named and namespace). */
function renameImported(ctx: ImportContext, decl: ImportDeclaration, specifier: string): void {
  const renames = ctx.facts.get(specifier)?.constantRenames;
  if (!renames) return;
  for (const s of decl.getNamedImports()) {
    const to = renames.get(s.getName());
    if (to !== undefined) renameImportSpecifier(ctx, s, to);
  }
  const ns = decl.getNamespaceImport();
  if (ns) renameMembers(ctx, ns, renames);
}

function renameImportSpecifier(ctx: ImportContext, s: ImportSpecifier, to: string): void {
  if (s.getAliasNode()) {
    s.setName(to);
    return;
  }
  const local = s.getName();
  const taken = ctx.sf.getLocal(to);
  if (taken !== undefined) {
    const alreadyImported = s
      .getImportDeclaration()
      .getNamedImports()
      .some((other) => other !== s && other.getName() === to && !other.getAliasNode());
    if (alreadyImported) {
      // Uses of the old name become uses of the new one the file already imports.
      for (const use of usesOf(ctx.sf, s.getNameNode() as Identifier)) replaceUse(use, to);
      s.remove();
    } else {
      s.setName(to).setAlias(local);
      ctx.problems.warning(
        s,
        `${local} is now ${to}; imported as \`${to} as ${local}\` because ${to} is already a name in this file`,
      );
    }
    return;
  }
  for (const use of usesOf(ctx.sf, s.getNameNode() as Identifier)) replaceUse(use, to);
  s.replaceWithText(`${s.isTypeOnly() ? "type " : ""}${to}`);
}

/** `ns.OLD` → `ns.NEW` for every renamed constant read through a namespace binding. */
function renameMembers(ctx: ImportContext, ns: Identifier, renames: ReadonlyMap<string, string>): void {
  for (const use of usesOf(ctx.sf, ns)) {
    const access = use.getParent();
    if (!Node.isPropertyAccessExpression(access) || access.getExpression() !== use) continue;
    const to = renames.get(access.getName());
    if (to !== undefined) access.getNameNode().replaceWithText(to);
  }
}

/**
 * A namespace binding of an upstream module only part of which moves: `ns.NAME` of a moving name reads it from a
 * new namespace binding of semtrace's package; the old binding stays while anything else uses it.
 */
function namespaceUses(
  ctx: ImportContext,
  ns: Identifier,
  fm: FileMove,
  statement: (name: string) => string,
  anchor: Node,
): void {
  const uses = usesOf(ctx.sf, ns);
  const moving = uses.filter((u) => {
    const access = u.getParent();
    return Node.isPropertyAccessExpression(access) && access.getExpression() === u && fm.moving(access.getName());
  });
  if (moving.length === 0) return;
  const name = freshName(ctx.sf, `${ns.getText()}${fm.move.to === "@semtrace/genai" ? "GenAI" : "Semtrace"}`);
  const renames = ctx.facts.get(fm.move.to)?.constantRenames ?? new Map<string, string>();
  for (const u of moving) {
    const access = u.getParentOrThrow();
    if (!Node.isPropertyAccessExpression(access)) continue;
    const member = access.getName();
    access.replaceWithText(`${name}.${renames.get(member) ?? member}`);
  }
  const statementNode = Node.isVariableDeclaration(anchor) ? anchor.getVariableStatementOrThrow() : anchor;
  const container = statementNode.getParentOrThrow();
  if (!Node.isStatemented(container)) return;
  container.insertStatements(statementNode.getChildIndex() + 1, statement(name));
  if (moving.length !== uses.length) return;
  if (Node.isVariableDeclaration(anchor) || Node.isImportDeclaration(anchor)) anchor.remove();
}

// --- re-exports ---------------------------------------------------------------------------------------------------

function exportDeclaration(ctx: ImportContext, decl: ExportDeclaration, moveFor: MoveFor): void {
  const literal = decl.getModuleSpecifier();
  if (!literal) return;
  const specifier = literal.getLiteralValue();
  const fm = moveFor(specifier, decl);
  if (fm) {
    const named = decl.getNamedExports();
    if (fm.complete || (decl.hasNamedExports() && named.every((s) => fm.moving(s.getName()))))
      setSpecifier(literal, fm.move.to);
    else if (!decl.hasNamedExports()) {
      ctx.problems.warning(
        decl,
        `\`${decl.getText()}\` re-exports names ${fm.move.to} does not have; left as it is (to move ${fm.move.what}, re-export them by name from ${fm.move.to})`,
      );
      return;
    } else if (named.some((s) => fm.moving(s.getName()))) {
      const added = splitOff(ctx, decl, named, fm, literal);
      if (Node.isExportDeclaration(added)) renameReexported(ctx, added.getNamedExports(), fm.move.to);
      return;
    } else return;
  }
  renameReexported(ctx, decl.getNamedExports(), decl.getModuleSpecifierValue() ?? "");
}

/** `export { OLD } from` keeps exporting OLD, now bound to the new constant: `export { NEW as OLD } from`. */
function renameReexported(ctx: ImportContext, specifiers: readonly ExportSpecifier[], specifier: string): void {
  const renames = ctx.facts.get(specifier)?.constantRenames;
  if (!renames) return;
  for (const s of specifiers) {
    const to = renames.get(s.getName());
    if (to === undefined) continue;
    const exported = s.getAliasNode()?.getText() ?? s.getName();
    s.replaceWithText(`${s.isTypeOnly() ? "type " : ""}${to} as ${exported}`);
  }
}

// --- CommonJS and dynamic imports ----------------------------------------------------------------------------------

/**
 * `require("x")`, or `import("x")`: the call, its specifier, the expression that holds the module (the call, or the
 * `await` of a dynamic import) and how to write the same load of another specifier.
 */
interface ModuleCall {
  readonly call: CallExpression;
  readonly literal: StringLiteral;
  readonly value: Node;
  readonly describe: string;
  readonly load: (specifier: string) => string;
  /** `value` is the module itself (a require, an awaited import), not a promise of it. */
  readonly settled: boolean;
}

function moduleCalls(sf: SourceFile): ModuleCall[] {
  const calls: ModuleCall[] = [];
  for (const call of sf.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const args = call.getArguments();
    const [arg] = args;
    if (args.length !== 1 || !Node.isStringLiteral(arg)) continue;
    const specifier = JSON.stringify(arg.getLiteralValue());
    if (Node.isIdentifier(callee) && callee.getText() === "require")
      calls.push({
        call,
        literal: arg,
        value: call,
        describe: `require(${specifier})`,
        load: (s) => `require(${s})`,
        settled: true,
      });
    else if (callee.getKind() === SyntaxKind.ImportKeyword) {
      const parent = call.getParent();
      const awaited = Node.isAwaitExpression(parent) ? parent : undefined;
      calls.push({
        call,
        literal: arg,
        value: awaited ?? call,
        describe: `import(${specifier})`,
        load: (s) => (awaited ? `await import(${s})` : `import(${s})`),
        settled: awaited !== undefined,
      });
    }
  }
  return calls;
}

function moduleCall(ctx: ImportContext, found: ModuleCall, moveFor: MoveFor): void {
  const { call, literal, value, describe, load, settled: followed } = found;
  const specifier = literal.getLiteralValue();
  const fm = moveFor(specifier, call);
  const parent = value.getParent();
  const declaration = Node.isVariableDeclaration(parent) && parent.getInitializer() === value ? parent : undefined;
  // A dynamic import that is not awaited is a promise: only a move of the whole module can follow it.
  if (fm) {
    if (fm.complete) setSpecifier(literal, fm.move.to);
    else if (followed && declaration && Node.isObjectBindingPattern(declaration.getNameNode())) {
      splitDestructuring(ctx, declaration, declaration.getNameNode() as ObjectBindingPattern, fm, literal, load);
      return;
    } else if (followed && declaration && Node.isIdentifier(declaration.getNameNode())) {
      const kind = declaration.getVariableStatement()?.getDeclarationKind() ?? "const";
      namespaceUses(
        ctx,
        declaration.getNameNode() as Identifier,
        fm,
        (name) => `${kind} ${name} = ${load(quoted(literal, fm.move.to))};`,
        declaration,
      );
      return;
    } else if (
      followed &&
      Node.isPropertyAccessExpression(parent) &&
      parent.getExpression() === value &&
      fm.moving(parent.getName())
    ) {
      setSpecifier(literal, fm.move.to);
      const to = ctx.facts.get(fm.move.to)?.constantRenames.get(parent.getName());
      if (to !== undefined) parent.getNameNode().replaceWithText(to);
      return;
    } else {
      ctx.problems.warning(
        call,
        `${describe} is used in a way migrate does not follow; left as it is (only part of it moves to ${fm.move.to})`,
      );
      return;
    }
  }
  const renames = ctx.facts.get(literal.getLiteralValue())?.constantRenames;
  if (!renames || !followed) return;
  if (declaration && Node.isObjectBindingPattern(declaration.getNameNode())) {
    for (const element of (declaration.getNameNode() as ObjectBindingPattern).getElements())
      renameBindingElement(ctx, element, renames);
  } else if (declaration && Node.isIdentifier(declaration.getNameNode()))
    renameMembers(ctx, declaration.getNameNode() as Identifier, renames);
  else if (Node.isPropertyAccessExpression(parent) && parent.getExpression() === value) {
    const to = renames.get(parent.getName());
    if (to !== undefined) parent.getNameNode().replaceWithText(to);
  }
}

function importedName(element: BindingElement): string | undefined {
  const property = element.getPropertyNameNode();
  if (property)
    return Node.isIdentifier(property) || Node.isStringLiteral(property)
      ? Node.isStringLiteral(property)
        ? property.getLiteralValue()
        : property.getText()
      : undefined;
  const name = element.getNameNode();
  return Node.isIdentifier(name) ? name.getText() : undefined;
}

function splitDestructuring(
  ctx: ImportContext,
  declaration: VariableDeclaration,
  pattern: ObjectBindingPattern,
  fm: FileMove,
  literal: StringLiteral,
  load: (specifier: string) => string,
): void {
  const elements = pattern.getElements();
  if (elements.some((e) => e.compilerNode.dotDotDotToken !== undefined)) {
    ctx.problems.warning(pattern, `a rest element takes every other name of ${fm.move.from}; left as it is`);
    return;
  }
  const moving = elements.filter((e) => {
    const name = importedName(e);
    return name !== undefined && fm.moving(name);
  });
  if (moving.length === 0) return;
  const statement = declaration.getVariableStatement();
  if (!statement) return;
  if (moving.length === elements.length) {
    setSpecifier(literal, fm.move.to);
    for (const element of pattern.getElements())
      renameBindingElement(ctx, element, ctx.facts.get(fm.move.to)?.constantRenames ?? new Map());
    return;
  }
  const texts = moving.map((e) => e.getText());
  pattern.replaceWithText(
    `{ ${elements
      .filter((e) => !moving.includes(e))
      .map((e) => e.getText())
      .join(", ")} }`,
  );
  const container = statement.getParentOrThrow();
  if (!Node.isStatemented(container)) return;
  const [added] = container.insertStatements(
    statement.getChildIndex() + 1,
    `${statement.getDeclarationKind()} { ${texts.join(", ")} } = ${load(quoted(literal, fm.move.to))};`,
  );
  const renames = ctx.facts.get(fm.move.to)?.constantRenames;
  if (!renames || !Node.isVariableStatement(added)) return;
  const pat = added.getDeclarations()[0]?.getNameNode();
  if (pat && Node.isObjectBindingPattern(pat))
    for (const element of pat.getElements()) renameBindingElement(ctx, element, renames);
}

function renameBindingElement(ctx: ImportContext, element: BindingElement, renames: ReadonlyMap<string, string>): void {
  const name = importedName(element);
  const to = name === undefined ? undefined : renames.get(name);
  if (to === undefined) return;
  const property = element.getPropertyNameNode();
  if (property) {
    property.replaceWithText(to);
    return;
  }
  const local = element.getNameNode() as Identifier;
  if (ctx.sf.getLocal(to) !== undefined) {
    element.replaceWithText(`${to}: ${local.getText()}`);
    ctx.problems.warning(
      element,
      `${name} is now ${to}; bound as \`${to}: ${name}\` because ${to} is already a name in this file`,
    );
    return;
  }
  for (const use of usesOf(ctx.sf, local)) replaceUse(use, to);
  element.replaceWithText(to);
}

export type { Exports };
