/**
 * Conformance of spec/genai's JSON shapes with the upstream GenAI JSON schemas (../shared/conformance/
 * otel-genai-json-schemas-1.41.0, read as they are): for every content attribute, the shape the spec names is
 * compared with the schema, definition by definition — which properties exist, which are required, their types
 * (nullable, binary, `any`), enum and `const` values, whether other properties are allowed, and the alternatives
 * of each `anyOf` of parts or tools. Drift on either side fails with a list of differences. The comparison itself
 * is checked on altered copies of the schemas, so it cannot pass by not looking.
 *
 * The schemas' folder holds no example documents; when one appears (`examples/*.json` or `*.example.json`), each is
 * validated with the generated validators and must have no errors.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRegistry } from "../src/index.js";
import type { ObjectShape, PropertyType, Registry, Shape, ShapeProperty } from "@semtrace/spec";

const here = path.dirname(fileURLToPath(import.meta.url));
const SCHEMAS = path.resolve(here, "../../../../shared/conformance/otel-genai-json-schemas-1.41.0");
const SPEC = path.resolve(here, "../../../spec/genai");
const present = existsSync(SCHEMAS);
if (!present) console.warn(`[genai-schemas] SKIPPED: the GenAI JSON schemas are not at ${SCHEMAS}`);

/** Each content attribute and the schema of its value. */
const FILES: Readonly<Record<string, string>> = {
  "gen_ai.input.messages": "gen-ai-input-messages.json",
  "gen_ai.output.messages": "gen-ai-output-messages.json",
  "gen_ai.system_instructions": "gen-ai-system-instructions.json",
  "gen_ai.tool.definitions": "gen-ai-tool-definitions.json",
  "gen_ai.retrieval.documents": "gen-ai-retrieval-documents.json",
};

type Node = Readonly<Record<string, unknown>>;
interface Schema extends Node {
  readonly $defs?: Readonly<Record<string, Node>>;
}

/** `#/$defs/TextPart` → `TextPart`. */
function refName(node: Node): string | undefined {
  const ref = node["$ref"];
  return typeof ref === "string" && ref.startsWith("#/$defs/") ? ref.slice("#/$defs/".length) : undefined;
}

/** A definition's name as a shape id's last segment spells it: `ToolCallRequestPart` → `tool_call_request_part`. */
function snake(name: string): string {
  return name.replace(/(?<!^)([A-Z])/g, "_$1").toLowerCase();
}

/** What a schema property says, in the terms of a shape property. */
interface Expected {
  readonly type: string;
  readonly nullable: boolean;
  readonly binary: boolean;
  readonly enumValues?: readonly unknown[];
  readonly closed?: boolean;
  readonly shape?: string;
}

/** Compares one spec content attribute's shape with its schema; returns the differences (empty when they agree). */
function compareWithSchema(registry: Registry, key: string, schema: Schema): string[] {
  const diffs: string[] = [];
  const shapes = new Map(registry.shapes.map((s) => [s.id, s]));
  const defs = schema.$defs ?? {};
  const attribute = registry.attributes.find((a) => a.key === key);
  const ref = attribute?.semtrace.shape;
  if (!ref) return [`${key}: the spec names no shape`];
  if (schema["type"] !== "array" || (ref.kind === "list") !== true)
    diffs.push(`${key}: the schema is ${String(schema["type"])}, the spec a ${ref.kind}`);
  const compared = new Set<string>();

  /** `node` (a `$ref`, or an `anyOf` of `$ref`s) against shape `id`. */
  const item = (node: Node, id: string, where: string): void => {
    const shape = shapes.get(id);
    if (!shape) return void diffs.push(`${where}: the spec has no shape \`${id}\``);
    const name = refName(node);
    const alternatives = Array.isArray(node["anyOf"])
      ? (node["anyOf"] as Node[]).map(refName)
      : Array.isArray(node["oneOf"])
        ? (node["oneOf"] as Node[]).map(refName)
        : undefined;
    if (name !== undefined) {
      if (shape.kind !== "object")
        return void diffs.push(`${where}: the schema has the object ${name}, the spec the union \`${id}\``);
      return object(defs[name], name, shape, where);
    }
    if (alternatives === undefined || alternatives.some((a) => a === undefined))
      return void diffs.push(
        `${where}: a schema node the comparison does not know: ${JSON.stringify(node).slice(0, 120)}`,
      );
    if (alternatives.length === 1) return item({ $ref: `#/$defs/${alternatives[0]!}` }, id, where);
    union(alternatives as string[], shape, where);
  };

  const union = (names: readonly string[], shape: Shape, where: string): void => {
    if (shape.kind !== "union")
      return void diffs.push(
        `${where}: the schema has ${names.length} alternatives, the spec the object \`${shape.id}\``,
      );
    const ours = [...shape.alternatives.map((a) => a.shape), ...(shape.fallback ? [shape.fallback] : [])];
    const theirs = names.map((n) => ours.find((id) => id.endsWith(`.${snake(n)}`)) ?? `<${n}>`);
    const extra = ours.filter((id) => !theirs.includes(id));
    const lacking = theirs.filter((id) => id.startsWith("<"));
    if (extra.length || lacking.length)
      diffs.push(
        `${where}: alternatives differ: the spec also has ${extra.join(", ") || "nothing"}, lacks ${lacking.join(", ") || "nothing"}`,
      );
    for (const n of names) {
      const id = theirs[names.indexOf(n)]!;
      if (id.startsWith("<")) continue;
      const def = defs[n];
      const tag = (def?.["properties"] as Readonly<Record<string, Node>> | undefined)?.[shape.discriminator];
      const constant = tag?.["const"];
      const alt = shape.alternatives.find((a) => a.shape === id);
      if (constant === undefined && shape.fallback !== id)
        diffs.push(`${where}: ${n} takes any \`${shape.discriminator}\` but \`${id}\` is not the union's fallback`);
      if (constant !== undefined && JSON.stringify(alt?.values) !== JSON.stringify([constant]))
        diffs.push(
          `${where}: ${n} is picked by ${JSON.stringify(constant)}, \`${id}\` by ${JSON.stringify(alt?.values ?? "any value")}`,
        );
      item({ $ref: `#/$defs/${n}` }, id, `${where} | ${n}`);
    }
  };

  const object = (def: Node | undefined, name: string, shape: ObjectShape, where: string): void => {
    if (!def) return void diffs.push(`${where}: the schema has no definition ${name}`);
    if (compared.has(`${name} ${shape.id}`)) return;
    compared.add(`${name} ${shape.id}`);
    if (!shape.id.endsWith(`.${snake(name)}`)) diffs.push(`${where}: ${name} is recorded as \`${shape.id}\``);
    const properties = (def["properties"] ?? {}) as Readonly<Record<string, Node>>;
    const required = new Set((def["required"] ?? []) as string[]);
    const open = def["additionalProperties"] !== false;
    if (open !== shape.open)
      diffs.push(
        `${where} (${name}): other properties are ${open ? "allowed" : "not allowed"} upstream, ${shape.open ? "allowed" : "not allowed"} in the spec`,
      );
    const ours = new Map(shape.properties.map((p) => [p.name, p]));
    for (const p of Object.keys(properties))
      if (!ours.has(p)) diffs.push(`${where} (${name}): the spec lacks property \`${p}\``);
    for (const p of ours.keys())
      if (!(p in properties)) diffs.push(`${where} (${name}): the spec has property \`${p}\`, the schema does not`);
    for (const p of required)
      if (!(p in properties)) diffs.push(`${where} (${name}): the schema requires \`${p}\` without describing it`);
    for (const [p, node] of Object.entries(properties)) {
      const mine = ours.get(p);
      if (!mine) continue;
      const at = `${where} (${name}).${p}`;
      if (required.has(p) !== mine.required)
        diffs.push(
          `${at}: ${required.has(p) ? "required" : "optional"} upstream, ${mine.required ? "required" : "optional"} in the spec`,
        );
      property(expected(node), mine, at);
    }
  };

  const expected = (node: Node): Expected => {
    const anyOf = (node["anyOf"] ?? node["oneOf"]) as Node[] | undefined;
    if (anyOf) {
      const nullable = anyOf.some((n) => n["type"] === "null");
      const rest = anyOf.filter((n) => n["type"] !== "null");
      const enumRef = rest.map(refName).find((n) => n !== undefined && Array.isArray(defs[n]?.["enum"]));
      if (enumRef !== undefined && rest.some((n) => n["type"] === "string"))
        return {
          type: "string",
          nullable,
          binary: false,
          enumValues: defs[enumRef]!["enum"] as unknown[],
          closed: false,
        };
      if (rest.some((n) => n["$ref"] === "http://json-schema.org/draft-07/schema#"))
        return { type: "any", nullable: true, binary: false };
      if (rest.length === 1 && refName(rest[0]!) !== undefined)
        return { type: "object", nullable, binary: false, shape: refName(rest[0]!)! };
      if (rest.length === 1) return { ...expected(rest[0]!), nullable };
      return { type: `anyOf(${rest.length})`, nullable, binary: false };
    }
    if (node["const"] !== undefined)
      return { type: String(node["type"]), nullable: false, binary: false, enumValues: [node["const"]], closed: true };
    if (node["type"] === "array")
      return { type: "array", nullable: false, binary: false, shape: JSON.stringify(node["items"]) };
    if (node["type"] === undefined) return { type: "any", nullable: true, binary: false };
    const type = node["type"] === "number" ? "double" : node["type"] === "integer" ? "int" : String(node["type"]);
    return { type, nullable: false, binary: node["format"] === "binary" };
  };

  const property = (want: Expected, mine: ShapeProperty, at: string): void => {
    const type: PropertyType = mine.type;
    const got = type.kind === "primitive" ? type.name : type.kind === "enum" ? type.valueType : type.kind;
    const nullable = mine.nullable || (type.kind === "primitive" && type.name === "any");
    if (want.type === "array") {
      if (type.kind !== "list") return void diffs.push(`${at}: an array upstream, ${got} in the spec`);
      return item(JSON.parse(want.shape!) as Node, type.shape, at);
    }
    if (want.type === "object") {
      if (type.kind !== "object") return void diffs.push(`${at}: an object upstream, ${got} in the spec`);
      return item({ $ref: `#/$defs/${want.shape!}` }, type.shape, at);
    }
    if (want.type !== got) diffs.push(`${at}: ${want.type} upstream, ${got} in the spec`);
    if (want.nullable !== nullable)
      diffs.push(
        `${at}: ${want.nullable ? "nullable" : "not nullable"} upstream, ${nullable ? "nullable" : "not nullable"} in the spec`,
      );
    if (want.binary !== mine.binary)
      diffs.push(
        `${at}: ${want.binary ? "binary" : "not binary"} upstream, ${mine.binary ? "binary" : "not binary"} in the spec`,
      );
    const values = type.kind === "enum" ? type.members.map((m) => m.value) : undefined;
    if (JSON.stringify(want.enumValues) !== JSON.stringify(values))
      diffs.push(
        `${at}: values ${JSON.stringify(want.enumValues ?? "any")} upstream, ${JSON.stringify(values ?? "any")} in the spec`,
      );
    if (type.kind === "enum" && want.closed !== undefined && want.closed !== type.closed)
      diffs.push(`${at}: ${want.closed ? "closed" : "open"} upstream, ${type.closed ? "closed" : "open"} in the spec`);
  };

  item(schema["items"] as Node, ref.shape, key);
  return diffs;
}

describe.skipIf(!present)("spec/genai's JSON shapes and the upstream GenAI JSON schemas 1.41.0", () => {
  let registry: Registry;
  const schemas = new Map<string, Schema>();

  beforeAll(async () => {
    const built = await buildRegistry(SPEC, { command: "c" });
    expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    registry = built.registry!;
    for (const [key, file] of Object.entries(FILES))
      schemas.set(key, JSON.parse(readFileSync(path.join(SCHEMAS, file), "utf8")) as Schema);
  });

  it("every schema in the folder is compared", () => {
    const files = readdirSync(SCHEMAS).filter((f) => f.endsWith(".json") && !f.endsWith(".example.json"));
    expect(files.sort()).toEqual(Object.values(FILES).sort());
  });

  it.each(Object.keys(FILES))(
    "%s: the recorded shapes match the schema (properties, required, types, enums, alternatives)",
    (key) => {
      expect(compareWithSchema(registry, key, schemas.get(key)!)).toEqual([]);
    },
  );

  /** Altered copies of the schemas: each alteration must be found. */
  const alterations: readonly [string, string, (schema: Record<string, any>) => void, RegExp][] = [
    [
      "a required property more",
      "gen_ai.input.messages",
      (s) => s.$defs.FilePart.required.push("mime_type"),
      /\(FilePart\)\.mime_type: required upstream, optional in the spec/,
    ],
    [
      "a required property less",
      "gen_ai.output.messages",
      (s) => (s.$defs.OutputMessage.required = ["role", "parts"]),
      /\(OutputMessage\)\.finish_reason: optional upstream, required/,
    ],
    [
      "a new role",
      "gen_ai.input.messages",
      (s) => s.$defs.Role.enum.push("developer"),
      /\(ChatMessage\)\.role: values \["system","user","assistant","tool","developer"\] upstream/,
    ],
    [
      "a new finish reason",
      "gen_ai.output.messages",
      (s) => s.$defs.FinishReason.enum.push("pause_turn"),
      /finish_reason: values/,
    ],
    [
      "a new property",
      "gen_ai.tool.definitions",
      (s) => (s.$defs.FunctionToolDefinition.properties.strict = { type: "boolean" }),
      /the spec lacks property `strict`/,
    ],
    [
      "a new part type",
      "gen_ai.system_instructions",
      (s) => s.items.anyOf.splice(1, 0, { $ref: "#/$defs/VideoPart" }),
      /alternatives differ: .* lacks <VideoPart>/,
    ],
    [
      "a part type removed",
      "gen_ai.input.messages",
      (s) => s.$defs.ChatMessage.properties.parts.items.anyOf.splice(0, 1),
      /alternatives differ: the spec also has gen_ai\.text_part/,
    ],
    [
      "a const changed",
      "gen_ai.input.messages",
      (s) => (s.$defs.UriPart.properties.type.const = "url"),
      /UriPart is picked by "url"/,
    ],
    [
      "a closed object",
      "gen_ai.retrieval.documents",
      (s) => (s.$defs.RetrievalDocument.additionalProperties = false),
      /other properties are not allowed upstream, allowed in the spec/,
    ],
    [
      "a type changed",
      "gen_ai.retrieval.documents",
      (s) => (s.$defs.RetrievalDocument.properties.score.type = "integer"),
      /score: int upstream, double in the spec/,
    ],
    [
      "nullable no more",
      "gen_ai.input.messages",
      (s) => (s.$defs.ChatMessage.properties.name = { type: "string" }),
      /\(ChatMessage\)\.name: not nullable upstream, nullable in the spec/,
    ],
    [
      "binary no more",
      "gen_ai.input.messages",
      (s) => delete s.$defs.BlobPart.properties.content.format,
      /content: not binary upstream, binary in the spec/,
    ],
  ];
  it.each(alterations)("finds %s", (_, key, alter, message) => {
    const copy = structuredClone(schemas.get(key)!) as Record<string, any>;
    alter(copy);
    const diffs = compareWithSchema(registry, key, copy);
    expect(
      diffs.some((d) => message.test(d)),
      diffs.join("\n"),
    ).toBe(true);
  });
});

describe.skipIf(!present)("examples in the GenAI JSON schemas' folder", () => {
  const examples = present
    ? [
        ...(existsSync(path.join(SCHEMAS, "examples"))
          ? readdirSync(path.join(SCHEMAS, "examples")).map((f) => path.join("examples", f))
          : []),
        ...readdirSync(SCHEMAS).filter((f) => f.endsWith(".example.json")),
      ].filter((f) => f.endsWith(".json"))
    : [];
  if (present && examples.length === 0)
    console.info(
      `[genai-schemas] ${SCHEMAS} holds no example documents: none to validate (the spec's own examples are validated by @semtrace/genai's tests)`,
    );

  it.skipIf(examples.length === 0)("every example validates with no errors", async () => {
    const { validateAttributes } = await import("../../../packages/genai/src/index.js");
    for (const file of examples) {
      const attribute = Object.entries(FILES).find(([, schema]) =>
        path.basename(file).startsWith(schema.replace(/\.json$/, "")),
      )?.[0];
      expect(attribute, `${file}: no content attribute's schema name starts it`).toBeDefined();
      const findings = validateAttributes({ [attribute!]: readFileSync(path.join(SCHEMAS, file), "utf8") });
      expect({ file, errors: findings.filter((f) => f.severity === "error" && f.key.startsWith(attribute!)) }).toEqual({
        file,
        errors: [],
      });
    }
  });
});
