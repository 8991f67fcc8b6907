/**
 * Builder plan: which typed builders a registry gets and the shape of their inputs, derived from
 * the spec alone (pure; @semtrace/codegen's emit/builders.ts turns the plan into code, compare/ reads its input
 * fields). The names come from naming/exports.ts,
 * which validation checks before anything is emitted.
 *
 * Scopes that get a builder:
 * - every `type: span` group naming its kind (`semtrace.span_kind`): its OWN attributes (not the
 *   ones inherited through `extends`) → `build<Name>Attributes(input)`;
 * - every attribute group with `semtrace.builder: <Name>` → `build<Name>Attributes(input)`;
 * - every object group → `<type>Attributes(input, prefix)` plus the input type `<Type>` (lower-case
 *   first, so a structure never clashes with a span builder: `embeddingAttributes` vs `buildEmbeddingAttributes`).
 *
 * Input field names: the key minus the scope's input prefix (`semtrace.input_prefix`, by default
 * the first segment of the scope's first attribute), each segment camelCased, dots nesting objects:
 * `llm.token_count.prompt_details.cache_read` in the LLM scope → `tokenCount.promptDetails.cacheRead`.
 * `semtrace.input: <path>` on an attribute overrides its path in every scope (`sessionId`).
 *
 * Renames never lose data: an attribute deprecated as `renamed` to one a scope writes keeps its own input field
 * in that scope, as a `@deprecated` alias that writes the new key (the new field wins when both are given).
 */
import type { Attribute, Registry } from "../model/resolved.js";
import { camelCaseProperty } from "../naming/case.js";
import { builderNames, objectBuilderName, objectInputTypeName, spanBuilderName } from "../naming/exports.js";

export interface InputNode {
  readonly name: string;
  readonly children: Map<string, InputNode>;
  /** The attribute whose value this field carries. */
  leaf?: Attribute;
  /** A template attribute: unknown properties of this node become `<template key>.<property>`. */
  template?: Attribute;
  /** A renamed attribute's old field, kept as a deprecated alias: its value is written under the new key. */
  alias?: { readonly deprecated: Attribute; readonly target: Attribute };
}

export interface BuilderScope {
  readonly kind: "span" | "group" | "object";
  /** Builder function name. */
  readonly functionName: string;
  /** Input type name. */
  readonly inputType: string;
  readonly doc: string;
  readonly root: InputNode;
  /** The object group id, for object scopes. */
  readonly objectId?: string;
  /** The span-kind value, for span scopes. */
  readonly kindValue?: string;
}

export interface BuilderPlan {
  readonly scopes: readonly BuilderScope[];
  /** Object group id → its input type name. */
  readonly objectTypes: ReadonlyMap<string, string>;
}

/** Attributes a builder writes: emitted, not deprecated (builders write current conventions only). */
function usable(attr: Attribute | undefined): attr is Attribute {
  return attr?.emitted === true && attr.deprecated === undefined;
}

export function inputPath(attr: Attribute, prefix: string): string[] {
  const override = attr.semtrace.input;
  if (override !== undefined) return [...override];
  const rest =
    prefix && attr.key.startsWith(`${prefix}.`)
      ? attr.key.slice(prefix.length + 1)
      : prefix === attr.key
        ? attr.key.split(".").slice(-1).join(".")
        : attr.key;
  return rest.split(".").map(camelCaseProperty);
}

function buildTree(attrs: readonly Attribute[], prefix: string): InputNode {
  const root: InputNode = { name: "", children: new Map() };
  for (const attr of attrs) {
    const path = inputPath(attr, prefix);
    let node = root;
    for (const segment of path) {
      let child = node.children.get(segment);
      if (!child) {
        child = { name: segment, children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    if (attr.type.kind === "template") node.template = attr;
    else if (attr.type.kind !== "namespace") node.leaf ??= attr;
  }
  return root;
}

/** Current attribute key → the deprecated attributes renamed to it (directly or through a chain of renames). */
function renamedTo(registry: Registry): Map<string, Attribute[]> {
  const byKey = new Map(registry.attributes.map((a) => [a.key, a]));
  const out = new Map<string, Attribute[]>();
  for (const old of registry.attributes) {
    let target = old;
    for (
      let hops = 0;
      hops < 16 && target.deprecated?.reason === "renamed" && target.deprecated.renamedTo !== undefined;
      hops++
    ) {
      const next = byKey.get(target.deprecated.renamedTo);
      if (!next || next === old) break;
      target = next;
    }
    if (target === old || target.deprecated !== undefined) continue;
    const list = out.get(target.key) ?? [];
    list.push(old);
    out.set(target.key, list);
  }
  return out;
}

/** The old fields of renamed attributes, where no field of the scope already has their path. */
function addAliases(
  root: InputNode,
  attrs: readonly Attribute[],
  prefix: string,
  renamed: ReadonlyMap<string, readonly Attribute[]>,
): void {
  for (const target of attrs) {
    if (target.type.kind === "template" || target.type.kind === "namespace") continue;
    for (const old of renamed.get(target.key) ?? []) {
      const path = inputPath(old, prefix);
      let node: InputNode | undefined = root;
      for (const segment of path.slice(0, -1)) {
        let child: InputNode | undefined = node.children.get(segment);
        if (!child) {
          child = { name: segment, children: new Map() };
          node.children.set(segment, child);
        } else if (child.leaf || child.alias) {
          node = undefined;
          break;
        }
        node = child;
      }
      const last = path[path.length - 1]!;
      if (node && !node.children.has(last))
        node.children.set(last, { name: last, children: new Map(), alias: { deprecated: old, target } });
    }
  }
}

function defaultPrefix(attrs: readonly Attribute[]): string {
  return attrs[0]?.key.split(".")[0] ?? "";
}

function scopePrefix(inputPrefix: string | undefined, attrs: readonly Attribute[]): string {
  return inputPrefix ?? defaultPrefix(attrs);
}

function inputTree(
  attrs: readonly Attribute[],
  inputPrefix: string | undefined,
  renamed: ReadonlyMap<string, readonly Attribute[]>,
): InputNode {
  const prefix = scopePrefix(inputPrefix, attrs);
  const root = buildTree(attrs, prefix);
  addAliases(root, attrs, prefix, renamed);
  return root;
}

export function planBuilders(registry: Registry): BuilderPlan {
  const byKey = new Map(registry.attributes.map((a) => [a.key, a]));
  const resolve = (keys: readonly string[]) => keys.map((k) => byKey.get(k)).filter(usable);
  const objectTypes = new Map(
    registry.objects.map((o) => [o.id, objectInputTypeName(o.id, o.semtrace, registry.name)]),
  );
  const scopes: BuilderScope[] = [];
  const renamed = renamedTo(registry);

  // Several span definitions may describe one kind (e.g. refinements): one builder for their union.
  const byName = new Map<string, { span: (typeof registry.spans)[number]; keys: string[] }>();
  for (const span of registry.spans) {
    const name = spanBuilderName(span.semtrace);
    if (name === undefined) continue;
    const entry = byName.get(name);
    if (entry) entry.keys.push(...span.own.filter((k) => !entry.keys.includes(k)));
    else byName.set(name, { span, keys: [...span.own] });
  }
  for (const [name, { span, keys }] of byName) {
    const attrs = resolve(keys.filter((k) => k !== registry.spanKindAttribute));
    if (attrs.length === 0) continue;
    scopes.push({
      kind: "span",
      ...builderNames(name),
      doc: `Attributes of a ${span.semtrace.spanKind!} span${span.brief ? `: ${span.brief.trim()}` : "."}`,
      root: inputTree(attrs, span.semtrace.inputPrefix, renamed),
      kindValue: span.semtrace.spanKind!,
    });
  }
  for (const group of registry.attributeGroups) {
    const named = group.semtrace.builder;
    if (named === undefined) continue;
    const attrs = resolve(group.attributes.map((u) => u.key));
    scopes.push({
      kind: "group",
      ...builderNames(named),
      doc: group.brief.trim() || `Attributes of the \`${group.id}\` group.`,
      root: inputTree(attrs, group.semtrace.inputPrefix, renamed),
    });
  }
  for (const object of registry.objects) {
    const type = objectTypes.get(object.id)!;
    const attrs = resolve(object.fields.map((f) => f.key));
    scopes.push({
      kind: "object",
      functionName: objectBuilderName(type),
      inputType: type,
      doc: object.brief.trim() || `One \`${object.id}\` structure.`,
      root: inputTree(attrs, object.semtrace.inputPrefix, renamed),
      objectId: object.id,
    });
  }
  return { scopes, objectTypes };
}
