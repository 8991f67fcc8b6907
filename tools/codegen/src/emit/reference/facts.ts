/**
 * The facts the reference states about each attribute, gathered once from the resolved model (pure): its
 * namespace, type as text, constant, builder fields and requirement level in each span definition.
 */
import {
  planBuilders,
  type Attribute,
  type InputNode,
  type Registry,
  type RequirementLevel,
  type ResolvedType,
} from "@semtrace/spec/internal";
import { deprecationText } from "../docs.js";

/** A namespace holding more attributes than this is split by its second segment. */
export const NAMESPACE_SPLIT_AT = 40;

export interface Requirement {
  readonly span: string;
  readonly level: RequirementLevel;
}

export interface ReferenceFacts {
  /** Namespace → its attributes, namespaces sorted. */
  readonly namespaces: ReadonlyMap<string, readonly Attribute[]>;
  readonly namespaceOf: (key: string) => string | undefined;
  /** `builderFunction` → field path, per attribute key. */
  readonly buildersOf: (key: string) => readonly string[];
  readonly requirementsOf: (key: string) => readonly Requirement[];
}

export function namespacePage(namespace: string): string {
  return `namespaces/${namespace}.md`;
}

export function spanPage(id: string): string {
  return `spans/${id}.md`;
}

export function gatherFacts(registry: Registry): ReferenceFacts {
  const byFirst = new Map<string, Attribute[]>();
  for (const attr of registry.attributes) push(byFirst, attr.key.split(".")[0]!, attr);
  const namespaces = new Map<string, Attribute[]>();
  const namespaceByKey = new Map<string, string>();
  for (const [first, attrs] of byFirst) {
    const split = attrs.length > NAMESPACE_SPLIT_AT;
    for (const attr of attrs) {
      const segments = attr.key.split(".");
      const ns = split && segments.length > 2 ? `${first}.${segments[1]}` : first;
      push(namespaces, ns, attr);
      namespaceByKey.set(attr.key, ns);
    }
  }

  const builders = new Map<string, string[]>();
  for (const scope of planBuilders(registry).scopes) {
    const call = scope.kind === "object" ? `${scope.functionName}(input, prefix)` : `${scope.functionName}(input)`;
    walk(scope.root, [], (attr, path) => push(builders, attr.key, `${call} → ${path}`));
  }

  const requirements = new Map<string, Requirement[]>();
  for (const span of registry.spans)
    for (const use of span.attributes) push(requirements, use.key, { span: span.id, level: use.requirementLevel });

  return {
    namespaces: new Map([...namespaces].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    namespaceOf: (key) => namespaceByKey.get(key),
    buildersOf: (key) => builders.get(key) ?? [],
    requirementsOf: (key) => requirements.get(key) ?? [],
  };
}

function walk(node: InputNode, path: readonly string[], visit: (attr: Attribute, path: string) => void): void {
  if (node.leaf) visit(node.leaf, path.join("."));
  if (node.template) visit(node.template, `${path.join(".")}.<name>`);
  for (const [name, child] of node.children) walk(child, [...path, name], visit);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function typeText(type: ResolvedType): string {
  switch (type.kind) {
    case "primitive":
      return type.name;
    case "template":
      return `template[${type.inner}]`;
    case "enum":
      return `enum (${type.valueType})`;
    case "list":
      return `list[${type.object}]`;
    case "object":
      return `object[${type.object}]`;
    case "namespace":
      return "namespace (a prefix, carries no value)";
  }
}

export function requirementText(level: RequirementLevel): string {
  switch (level.level) {
    case "required":
    case "opt_in":
      return level.level;
    case "conditionally_required":
      return `conditionally_required: ${level.condition.trim()}`;
    case "recommended":
      return level.condition ? `recommended: ${level.condition.trim()}` : "recommended";
  }
}

/** The exported constant an attribute is used by, as `NAME` (none when code generation leaves it out). */
export function constantOf(attr: Attribute): string | undefined {
  return attr.emitted ? attr.constName : undefined;
}

export function exampleText(example: unknown): string {
  return typeof example === "string" ? example : JSON.stringify(example);
}

export function deprecationLine(attr: Attribute): string | undefined {
  return attr.deprecated ? deprecationText(attr.deprecated).replace(/\{@link (\w+)\}/g, "$1") : undefined;
}
