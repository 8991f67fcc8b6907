/**
 * All ts-morph structure helpers in one place: emitters describe declarations as plain
 * structures (no printing, no Project), so they stay pure and cheap to unit-test.
 */
import {
  StructureKind,
  VariableDeclarationKind,
  type JSDocStructure,
  type OptionalKind,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from "ts-morph";

export type Statement = StatementStructures | string;

export interface GeneratedFile {
  /** Path relative to the output directory, POSIX separators. */
  readonly path: string;
  readonly statements: readonly Statement[];
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
