/**
 * The content checks of JSON attributes (spec/README.md §2.8), part of validators.ts: one named function per JSON
 * shape, `check<Shape>(value, ctx)`, so a finding in a value can be followed from the shape in the spec to
 * typed code. An object shape's check reads each property once, reports a missing required one, checks its type,
 * enum or nested shape, and, when a required property is missing, first asks whether the object was written in one
 * of the shape's older formats (`legacy`). A union's check switches on its discriminator. Common type tests are
 * inline (`typeof x !== "string"`); the runtime helpers (@semtrace/runtime/internal, content.ts) do the rest, keep
 * the JSON path of the value being checked as a stack in the context, and build it as text only for a finding.
 */
import type { ShapeRef } from "../model/annotations.js";
import type { ObjectShape, PropertyType, Registry, Shape, ShapeProperty, UnionShape } from "../model/resolved.js";
import { camelCase, pascalCase, safeIdentifier } from "../naming/case.js";
import {
  array,
  binary,
  call,
  exprStmt,
  ifThen,
  paren,
  ret,
  variable,
  type FunctionDeclaration,
  type Stmt,
  type SwitchCase,
} from "./code.js";
import { literal, stringLiteral } from "./literals.js";
import { Names } from "./names.js";

/** What the shape checks need from the file's checks (validators.ts). */
export interface CheckScope {
  readonly names: Names;
  /** Imports a runtime helper; returns its name. */
  use(helper: string): string;
  /** A module-level `Set` of enum member values, named after `label`. */
  memberSet(label: string, values: readonly (string | number | boolean)[]): string;
}

export interface ContentChecks {
  readonly functions: readonly FunctionDeclaration[];
  /**
   * The body of a JSON attribute's check that holds `shape` (identifiers `key`, `value`, `ctx` in scope); `plainText`
   * names the plain-text form text that is not JSON is taken for (`semtrace.plain_text`).
   */
  attributeCheck(shape: ShapeRef, structured: boolean, plainText?: string): Stmt[];
}

const PARAMS = [
  { name: "value", type: "unknown" },
  { name: "ctx", type: "ValidationContext" },
] as const;

/** Names generated code gives a property's local variable must not shadow the parameters. */
const TAKEN = new Set(["value", "ctx"]);

export function emitContentChecks(registry: Registry, scope: CheckScope): ContentChecks {
  const shapes = new Map(registry.shapes.map((s) => [s.id, s]));
  const names = new Map<string, string>();
  const functions = new Map<string, FunctionDeclaration>();
  const nameOf = (id: string): string => {
    let name = names.get(id);
    if (name === undefined) names.set(id, (name = scope.names.unique(`check${pascalCase(id.split(".").at(-1)!)}`)));
    return name;
  };
  /** The check of shape `id`, emitted once with every shape it reaches. */
  const require = (id: string): string => {
    const name = nameOf(id);
    if (functions.has(id)) return name;
    const shape = shapes.get(id)!;
    // Registered before its body is built: nested shapes name it back only through legacy, which is not a call.
    functions.set(id, undefined as unknown as FunctionDeclaration);
    functions.set(
      id,
      shape.kind === "union"
        ? unionCheck(shape, name, require, scope)
        : objectCheck(shape, name, shapes, require, scope),
    );
    return name;
  };
  return {
    get functions() {
      return [...functions.values()];
    },
    attributeCheck(shape, structured, plainText) {
      const check = require(shape.shape);
      const args = [
        "key",
        "value",
        "ctx",
        check,
        String(shape.kind === "list"),
        String(structured),
        ...(plainText === undefined ? [] : [stringLiteral(oneLine(plainText))]),
      ];
      return [exprStmt(call(scope.use("checkJsonContent"), args))];
    },
  };
}

function shapeLabel(id: string): string {
  return `\`${id}\``;
}

function notAnObject(label: string, scope: CheckScope): Stmt {
  return ifThen(`!${scope.use("isJsonObject")}(value)`, [
    exprStmt(call(scope.use("reportContentType"), [stringLiteral(`an object (${label})`), "value", "ctx"])),
    ret(),
  ]);
}

/** A readable local for a property, never a parameter's name or a word strict mode forbids (`arguments`). */
function localName(property: string, locals: Names): string {
  const base = safeIdentifier(camelCase(property) || "property");
  return locals.unique(TAKEN.has(base) ? `${base}Value` : base);
}

/** `value["name"]`, read as an own property when Object.prototype has one of that name. */
function read(name: string): string {
  const lit = stringLiteral(name);
  return name in Object.prototype
    ? `(Object.prototype.hasOwnProperty.call(value, ${lit}) ? value[${lit}] : undefined)`
    : `value[${lit}]`;
}

function objectCheck(
  shape: ObjectShape,
  name: string,
  shapes: ReadonlyMap<string, Shape>,
  require: (id: string) => string,
  scope: CheckScope,
): FunctionDeclaration {
  const label = shapeLabel(shape.id);
  const body: Stmt[] = [notAnObject(label, scope)];
  const locals = new Names(TAKEN);
  // Properties that any value will do for, and that are not required, are never read.
  const props = shape.properties
    .filter((p) => p.required || !isAny(p.type))
    .map((p) => ({ p, local: localName(p.name, locals) }));
  for (const { p, local } of props) body.push(variable("const", local, read(p.name)));
  const required = props.filter(({ p }) => p.required);
  const legacy = shape.legacy.map((id) => shapes.get(id)).filter((s): s is ObjectShape => s?.kind === "object");
  if (required.length > 0 && legacy.length > 0) {
    const missing = binary(
      "||",
      required.map(({ local }) => `${local} === undefined`),
    );
    const older = legacy.map((old) => {
      const needs = array(old.properties.filter((p) => p.required).map((p) => stringLiteral(p.name)));
      return call(scope.use("checkLegacyFormat"), [
        "value",
        needs,
        stringLiteral(formatName(old)),
        stringLiteral(label),
        "ctx",
      ]);
    });
    body.push(ifThen(binary("&&", [paren(missing), older.length > 1 ? paren(binary("||", older)) : older[0]!]), ret()));
  }
  const short = shape.id.split(".").at(-1)!;
  for (const { p, local } of props) body.push(...propertyCheck(p, local, label, short, require, scope));
  if (!shape.open) {
    const known = scope.memberSet(
      `${short} properties`,
      shape.properties.map((p) => p.name),
    );
    body.push(exprStmt(call(scope.use("checkContentProperties"), ["value", known, stringLiteral(label), "ctx"])));
  }
  const rules = [
    shape.open ? "Other properties are allowed" : "No other properties are allowed",
    ...(legacy.length ? [`older formats: ${legacy.map((s) => shapeLabel(s.id)).join(", ")}`] : []),
  ];
  return {
    kind: "function",
    name,
    doc: `Checks one ${label}: ${oneLine(shape.brief)} ${rules.join("; ")}.`,
    params: [...PARAMS],
    returnType: "void",
    body,
  };
}

function isAny(type: PropertyType): boolean {
  return type.kind === "primitive" && type.name === "any";
}

/** A legacy shape's brief names the older format in findings. */
function formatName(shape: ObjectShape): string {
  return oneLine(shape.brief).replace(/\.$/, "") || shape.id;
}

function oneLine(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function propertyCheck(
  p: ShapeProperty,
  local: string,
  label: string,
  short: string,
  require: (id: string) => string,
  scope: CheckScope,
): Stmt[] {
  const check = typeCheck(p, local, short, require, scope);
  const present = check?.test === undefined ? `${local} !== undefined` : `${local} !== undefined && ${check.test}`;
  if (p.required) {
    const missing = exprStmt(
      call(scope.use("reportContentMissing"), [stringLiteral(p.name), stringLiteral(label), "ctx"]),
    );
    if (!check) return [ifThen(`${local} === undefined`, missing)];
    const otherwise: Stmt = check.test === undefined ? check.stmt : ifThen(check.test, check.stmt);
    return [{ kind: "if", test: `${local} === undefined`, then: missing, else: [otherwise] }];
  }
  return check ? [ifThen(present, check.stmt)] : [];
}

/** Inline tests of the common case: the helper runs only for a value they do not pass. */
const INLINE_TEST: Readonly<Record<string, (local: string) => string>> = {
  string: (v) => `typeof ${v} !== "string"`,
  int: (v) => `!Number.isInteger(${v})`,
  double: (v) => `typeof ${v} !== "number"`,
  boolean: (v) => `typeof ${v} !== "boolean"`,
};

/**
 * The check of a present property's value, and the inline test that must fail for it to run (when there is one);
 * undefined when any value will do (`any`).
 */
function typeCheck(
  p: ShapeProperty,
  local: string,
  short: string,
  require: (id: string) => string,
  scope: CheckScope,
): { readonly stmt: Stmt; readonly test?: string } | undefined {
  const type: PropertyType = p.type;
  const nullable = String(p.nullable);
  const name = stringLiteral(p.name);
  switch (type.kind) {
    case "primitive": {
      if (type.name === "any") return undefined;
      const stmt = exprStmt(
        call(scope.use("checkContentValue"), [
          local,
          name,
          stringLiteral(type.name),
          nullable,
          String(p.binary),
          "ctx",
        ]),
      );
      const test = INLINE_TEST[type.name];
      return test ? { stmt, test: test(local) } : { stmt };
    }
    case "enum": {
      const set = scope.memberSet(
        `${short} ${p.name}`,
        type.members.map((m) => m.value),
      );
      return {
        stmt: exprStmt(
          call(scope.use("checkContentEnum"), [
            local,
            name,
            set,
            stringLiteral(type.valueType),
            String(type.closed),
            nullable,
            "ctx",
          ]),
        ),
      };
    }
    case "list":
      return {
        stmt: exprStmt(
          call(scope.use("checkContentListProperty"), [local, name, require(type.shape), nullable, "ctx"]),
        ),
      };
    case "object":
      return {
        stmt: exprStmt(
          call(scope.use("checkContentObjectProperty"), [local, name, require(type.shape), nullable, "ctx"]),
        ),
      };
  }
}

function unionCheck(
  shape: UnionShape,
  name: string,
  require: (id: string) => string,
  scope: CheckScope,
): FunctionDeclaration {
  const label = shapeLabel(shape.id);
  const cases: SwitchCase[] = shape.alternatives.map((alt) => ({
    labels: alt.values.map((v) => literal(v)),
    body: [exprStmt(call(require(alt.shape), ["value", "ctx"])), ret()],
  }));
  let otherwise: Stmt;
  if (shape.fallback !== undefined) otherwise = exprStmt(call(require(shape.fallback), ["value", "ctx"]));
  else {
    const set = scope.memberSet(
      `${shape.id.split(".").at(-1)!} ${shape.discriminator}`,
      shape.alternatives.flatMap((a) => a.values),
    );
    otherwise = exprStmt(
      call(scope.use("reportContentDiscriminator"), [
        "value",
        stringLiteral(shape.discriminator),
        set,
        stringLiteral(label),
        "ctx",
      ]),
    );
  }
  cases.push({ labels: [], body: [otherwise] });
  const picked = shape.alternatives
    .map((a) => `${a.values.map((v) => JSON.stringify(v)).join(" / ")} → ${shapeLabel(a.shape)}`)
    .join(", ");
  return {
    kind: "function",
    name,
    doc: `Checks one ${label}: ${oneLine(shape.brief)} Picked by \`${shape.discriminator}\`: ${picked}${shape.fallback ? `; any other → ${shapeLabel(shape.fallback)}` : ""}.`,
    params: [...PARAMS],
    returnType: "void",
    body: [notAnObject(label, scope), { kind: "switch", on: read(shape.discriminator), cases }],
  };
}
