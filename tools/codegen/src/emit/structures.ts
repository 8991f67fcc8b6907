/**
 * All ts-morph structure helpers in one place: emitters describe declarations as plain
 * structures (no printing, no Project), so they stay pure and cheap to unit-test.
 */
import type { JSDocStructure, OptionalKind, StatementStructures, TypeAliasDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { StructureKind, VariableDeclarationKind } from "../util/ts-morph.js";

export type Statement = StatementStructures | string;

export interface GeneratedFile {
  /** Path relative to the output directory, POSIX separators. */
  readonly path: string;
  readonly statements: readonly Statement[];
  /**
   * A JSON document instead of TypeScript (`statements` is then empty): printed as JSON with the
   * DO-NOT-EDIT notice in a leading `"$comment"`, and not re-exported from index.ts.
   */
  readonly json?: Readonly<Record<string, unknown>>;
}

export function docs(text: string | undefined): OptionalKind<JSDocStructure>[] {
  return text ? [{ description: text }] : [];
}

export function exportConst(name: string, initializer: string, doc?: string, type?: string): VariableStatementStructure {
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: docs(doc),
    declarations: [{ kind: StructureKind.VariableDeclaration, name, initializer, ...(type ? { type } : {}) }],
  };
}

export function exportType(name: string, type: string, doc?: string, typeParameters?: string[]): TypeAliasDeclarationStructure {
  return {
    kind: StructureKind.TypeAlias,
    isExported: true,
    name,
    type,
    docs: docs(doc),
    ...(typeParameters ? { typeParameters } : {}),
  };
}

export function exportStar(moduleSpecifier: string): StatementStructures {
  return { kind: StructureKind.ExportDeclaration, moduleSpecifier };
}

export interface ObjectEntry {
  readonly name: string;
  /** Source text of the value. */
  readonly value: string;
  readonly doc?: string;
}

/**
 * `export const name = { … } as const;` as finished text. The printer's hanging indentation
 * mangles multi-line initializers, so object literals are laid out here, two spaces per level.
 */
export function exportObjectConst(name: string, entries: readonly ObjectEntry[], doc?: string): string {
  const lines: string[] = [];
  if (doc) lines.push(...jsDocLines(doc, ""));
  lines.push(`export const ${name} = {`);
  for (const entry of entries) {
    if (entry.doc) lines.push(...jsDocLines(entry.doc, "  "));
    lines.push(`  ${entry.name}: ${entry.value},`);
  }
  lines.push("} as const;");
  return lines.join("\n");
}

function jsDocLines(doc: string, indent: string): string[] {
  const lines = doc.split("\n");
  if (lines.length === 1) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}
