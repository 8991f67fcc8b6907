/** What migrate could not do, or did differently than asked, each with its file, line and column. */
import type { Node } from "ts-morph";

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export class Problems {
  readonly list: Problem[] = [];
  constructor(private readonly file: string) {}

  at(line: number, col: number, severity: Problem["severity"], message: string): void {
    this.list.push({ file: this.file, line, col, severity, message });
  }

  private node(node: Node, severity: Problem["severity"], message: string): void {
    const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
    this.at(line, column, severity, message);
  }

  error(node: Node, message: string): void {
    this.node(node, "error", message);
  }

  warning(node: Node, message: string): void {
    this.node(node, "warning", message);
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
}
