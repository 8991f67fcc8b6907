/**
 * What `semtrace migrate` rewrites, from resolved registries alone (pure): per generated package, the renamed
 * constants (a deprecated attribute or enum member with `renamed_to` → the constant of what it was renamed to)
 * and the builders' input shapes with their deprecated alias fields (@semtrace/spec's builder plan); and the
 * upstream modules whose imports move to semtrace's packages.
 */
import {
  planBuilders,
  type Attribute,
  type BuilderScope,
  type InputNode,
  type Registry,
} from "@semtrace/spec/internal";

/** An upstream module whose imports move to one of semtrace's packages. */
export interface ModuleMove {
  readonly from: string;
  readonly to: string;
  /** Which exported names move (the target must also export each with the same value). */
  readonly names: (name: string) => boolean;
  readonly what: string;
}

export const MODULE_MOVES: readonly ModuleMove[] = [
  {
    from: "@arizeai/openinference-semantic-conventions",
    to: "@semtrace/openinference",
    names: () => true,
    what: "every constant",
  },
  // Only the gen_ai constants: the rest of OpenTelemetry's conventions stay where they are.
  {
    from: "@opentelemetry/semantic-conventions/incubating",
    to: "@semtrace/genai",
    names: (name) => /(^|_)GEN_AI_/.test(name),
    what: "the gen_ai constants",
  },
];

/** A deprecated alias field of a builder input and where its value belongs now. */
export interface FieldRename {
  /** Field path of the deprecated alias, from the input's root (`usage.promptTokens`). */
  readonly from: readonly string[];
  /** Field path of the attribute it was renamed to (`usage.inputTokens`). */
  readonly to: readonly string[];
  readonly fromKey: string;
  readonly toKey: string;
}

/** A builder input shape as migrate walks it: nested fields, alias fields, structure-typed fields. */
export interface InputShape {
  readonly name: string;
  readonly fields: ReadonlyMap<string, InputShape>;
  /** Set on a deprecated alias field. */
  readonly rename?: FieldRename;
  /** The input type of the structure(s) this field holds (a `list`/`object` attribute). */
  readonly structure?: string;
}

export interface PackageFacts {
  /** The package the registry generates (manifest `codegen.package`). */
  readonly specifier: string;
  /** Deprecated constant → the constant of what it was renamed to. */
  readonly constantRenames: ReadonlyMap<string, string>;
  /** Builder input type name (`InferenceAttributesInput`) → its shape. */
  readonly inputs: ReadonlyMap<string, InputShape>;
}

/** Deprecated constants renamed to another emitted constant: attributes, and enum members within their enum. */
export function constantRenames(registry: Registry): Map<string, string> {
  const byKey = new Map(registry.attributes.map((a) => [a.key, a]));
  const out = new Map<string, string>();
  for (const attr of registry.attributes) {
    const target = finalTarget(attr, byKey);
    if (target && attr.emitted && target.emitted && attr.constName !== target.constName)
      out.set(attr.constName, target.constName);
    if (attr.type.kind !== "enum") continue;
    const members = new Map(attr.type.members.map((m) => [m.id, m]));
    for (const member of attr.type.members) {
      const to =
        member.deprecated?.reason === "renamed" && member.deprecated.renamedTo !== undefined
          ? members.get(member.deprecated.renamedTo)
          : undefined;
      if (to && member.emitted && to.emitted && to.deprecated === undefined && member.constName !== to.constName)
        out.set(member.constName, to.constName);
    }
  }
  return out;
}

/** Follows `renamed_to` through chains of renames to a current attribute (undefined when there is none). */
function finalTarget(attr: Attribute, byKey: ReadonlyMap<string, Attribute>): Attribute | undefined {
  let target = attr;
  for (
    let hops = 0;
    hops < 16 && target.deprecated?.reason === "renamed" && target.deprecated.renamedTo !== undefined;
    hops++
  ) {
    const next = byKey.get(target.deprecated.renamedTo);
    if (!next || next === attr) return undefined;
    target = next;
  }
  return target === attr || target.deprecated !== undefined ? undefined : target;
}

function leafPaths(node: InputNode, path: readonly string[], out: Map<string, readonly string[]>): void {
  if (node.leaf) out.set(node.leaf.key, path);
  for (const [name, child] of node.children) leafPaths(child, [...path, name], out);
}

function shapeOf(
  node: InputNode,
  path: readonly string[],
  leaves: ReadonlyMap<string, readonly string[]>,
  objectTypes: ReadonlyMap<string, string>,
): InputShape {
  const fields = new Map<string, InputShape>();
  for (const [name, child] of node.children) fields.set(name, shapeOf(child, [...path, name], leaves, objectTypes));
  const alias = node.alias;
  const to = alias ? leaves.get(alias.target.key) : undefined;
  const type = node.leaf?.type;
  const structure = type && (type.kind === "list" || type.kind === "object") ? objectTypes.get(type.object) : undefined;
  return {
    name: node.name,
    fields,
    ...(alias && to ? { rename: { from: path, to, fromKey: alias.deprecated.key, toKey: alias.target.key } } : {}),
    ...(structure ? { structure } : {}),
  };
}

function inputShape(scope: BuilderScope, objectTypes: ReadonlyMap<string, string>): InputShape {
  const leaves = new Map<string, readonly string[]>();
  leafPaths(scope.root, [], leaves);
  return shapeOf(scope.root, [], leaves, objectTypes);
}

export function packageFacts(registry: Registry, specifier: string): PackageFacts {
  const plan = planBuilders(registry);
  return {
    specifier,
    constantRenames: constantRenames(registry),
    inputs: new Map(plan.scopes.map((scope) => [scope.inputType, inputShape(scope, plan.objectTypes)])),
  };
}
