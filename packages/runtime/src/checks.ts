/**
 * Value checks that generated validators call. Small and monomorphic so V8 inlines them.
 * Ints from OTLP are JS numbers: `int` means an integral number; `double` accepts any number.
 */
import { describeValue, RULES, type Finding } from "./findings.js";
import type { ValidationContext } from "./validator.js";

export type ValueType = "string" | "int" | "double" | "boolean" | "string[]" | "int[]" | "double[]" | "boolean[]" | "any";

export function isType(value: unknown, type: ValueType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "int":
      return typeof value === "number" && Number.isInteger(value);
    case "double":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "any":
      return true;
    default:
      return Array.isArray(value);
  }
}

/** Element check of a homogeneous array; null/undefined elements are allowed, as in the OTel API. */
function elementsOk(value: readonly unknown[], element: "string" | "int" | "double" | "boolean"): boolean {
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === null || v === undefined) continue;
    if (!isType(v, element)) return false;
  }
  return true;
}

/** Reports `value.type` / `value.array-mixed`; returns true when the value has the right type. */
export function checkType(key: string, value: unknown, type: ValueType, ctx: ValidationContext): boolean {
  if (!isType(value, type)) {
    ctx.report(typeFinding(key, value, type));
    return false;
  }
  if (type.endsWith("[]")) {
    const element = type.slice(0, -2) as "string" | "int" | "double" | "boolean";
    if (!elementsOk(value as unknown[], element)) {
      const kinds = [...new Set((value as unknown[]).filter((v) => v !== null && v !== undefined).map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "int" : "double") : typeof v)))];
      ctx.report({
        key,
        rule: kinds.length > 1 ? RULES.ARRAY_MIXED : RULES.TYPE,
        severity: "error",
        message: kinds.length > 1 ? `\`${key}\` mixes ${kinds.join(" and ")} elements: expected ${type}` : `\`${key}\` must be ${type}, found ${kinds[0]}[]`,
        expected: type,
        actual: describeValue(value),
      });
      return false;
    }
  }
  return true;
}

function typeFinding(key: string, value: unknown, type: ValueType): Finding {
  return { key, rule: RULES.TYPE, severity: "error", message: `\`${key}\` must be ${article(type)}, found ${describeValue(value)}`, expected: type, actual: describeValue(value) };
}

function article(type: string): string {
  return type.endsWith("[]") ? `a ${type} array` : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function checkEnum(key: string, value: unknown, members: ReadonlySet<unknown>, closed: boolean, ctx: ValidationContext): void {
  if (members.has(value)) return;
  const list = [...members].map((m) => JSON.stringify(m)).join(", ");
  ctx.report({
    key,
    rule: RULES.ENUM,
    severity: closed ? "error" : "info",
    message: closed ? `\`${key}\` must be one of ${list}, found ${describeValue(value)}` : `\`${key}\` has ${describeValue(value)}, which is not one of the well-known values ${list}`,
    expected: `one of ${list}`,
    actual: describeValue(value),
  });
}

export function checkJson(key: string, value: unknown, ctx: ValidationContext): void {
  if (typeof value !== "string") return;
  try {
    JSON.parse(value);
  } catch (error) {
    ctx.report({ key, rule: RULES.JSON, severity: "error", message: `\`${key}\` must hold JSON text: ${(error as Error).message}`, expected: "JSON text", actual: describeValue(value) });
  }
}

export function reportDeprecated(key: string, replacement: string | undefined, note: string | undefined, ctx: ValidationContext): void {
  ctx.report({
    key,
    rule: RULES.DEPRECATED,
    severity: "warning",
    message: `\`${key}\` is deprecated${replacement ? `: use \`${replacement}\`` : note ? `: ${note}` : ""}`,
    ...(replacement ? { expected: replacement } : {}),
    actual: key,
  });
}

export function reportUnknownField(key: string, structure: string, ctx: ValidationContext, suggestions: readonly string[]): void {
  ctx.report({
    key,
    rule: RULES.UNKNOWN_FIELD,
    severity: "error",
    message: `\`${key}\` is not a field of ${structure}${suggestions.length ? `: expected one of ${suggestions.slice(0, 8).map((s) => `\`${s}\``).join(", ")}${suggestions.length > 8 ? ", …" : ""}` : ""}`,
    expected: `a field of ${structure}`,
    actual: key,
  });
}

export function reportMissing(key: string, level: "required" | "conditionally_required" | "recommended", kind: string, condition: string | undefined, ctx: ValidationContext): void {
  const rule = level === "required" ? RULES.REQUIRED : level === "conditionally_required" ? RULES.CONDITIONALLY_REQUIRED : RULES.RECOMMENDED;
  const severity = level === "required" ? "error" : level === "conditionally_required" ? "warning" : "info";
  ctx.report({
    key,
    rule,
    severity,
    message: `${kind} spans ${level === "required" ? "must have" : level === "conditionally_required" ? "must have, when it applies," : "should have"} \`${key}\`${condition ? ` (${condition})` : ""}`,
    expected: key,
  });
}
