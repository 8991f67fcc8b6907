/**
 * Drop-in check: every export of the upstream `@arizeai/openinference-semantic-conventions`
 * package must exist in `@semtrace/openinference` with the same value. String constants must be
 * equal; objects (prefix/postfix objects, `SemanticConventions`, the enums) must have every
 * upstream property with the same value. Extra exports and extra properties on our side are
 * allowed (the registry is a superset). All mismatches are collected and reported in one failure.
 */
import { describe, expect, it } from "vitest";

import * as upstream from "@arizeai/openinference-semantic-conventions";

import * as ours from "../src/index.js";

/** Module-interop artefacts that are not exports of the package itself. */
const NOT_EXPORTS = new Set(["default", "__esModule", "module.exports"]);

interface Row {
  readonly name: string;
  readonly expected: unknown;
}

/** The table: one row per upstream export, in a stable order. */
const rows: readonly Row[] = Object.entries(upstream as Record<string, unknown>)
  .filter(([name]) => !NOT_EXPORTS.has(name))
  .map(([name, expected]) => ({ name, expected }))
  .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const actualExports = ours as unknown as Record<string, unknown>;

const show = (value: unknown): string =>
  value === undefined
    ? "undefined"
    : typeof value === "string"
      ? JSON.stringify(value)
      : String(JSON.stringify(value) ?? value);

const hasOwn = (object: object, property: string): boolean => Object.hasOwn(object, property);

/** Every difference between one upstream export and ours, as readable lines. */
function compareExport({ name, expected }: Row): string[] {
  if (!hasOwn(actualExports, name)) {
    return [`${name}: not exported (upstream: ${show(expected)})`];
  }
  const actual = actualExports[name];

  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object") {
      return [`${name}: expected an object, got ${typeof actual} ${show(actual)}`];
    }
    const problems: string[] = [];
    for (const [property, value] of Object.entries(expected)) {
      if (!hasOwn(actual, property)) {
        problems.push(`${name}.${property}: missing (upstream: ${show(value)})`);
        continue;
      }
      const got = (actual as Record<string, unknown>)[property];
      if (!Object.is(got, value)) {
        problems.push(`${name}.${property}: expected ${show(value)}, got ${show(got)}`);
      }
    }
    return problems;
  }

  if (typeof expected !== typeof actual) {
    return [`${name}: expected a ${typeof expected} ${show(expected)}, got ${typeof actual} ${show(actual)}`];
  }
  if (!Object.is(actual, expected)) {
    return [`${name}: expected ${show(expected)}, got ${show(actual)}`];
  }
  return [];
}

describe("@semtrace/openinference is a drop-in replacement for @arizeai/openinference-semantic-conventions", () => {
  it("reads the upstream package's exports", () => {
    // Guards against a broken import making the comparison below vacuous.
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.map((row) => row.name)).toEqual(
      expect.arrayContaining(["SemanticConventions", "OpenInferenceSpanKind", "MimeType", "LLM_MODEL_NAME"]),
    );
  });

  it("exports every upstream name with the same value", () => {
    const problems = rows.flatMap(compareExport);
    expect(problems, `${problems.length} mismatch(es):\n${problems.join("\n")}`).toEqual([]);
  });
});
