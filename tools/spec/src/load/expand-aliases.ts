/**
 * Replaces every alias (`*name`) of a document by a copy of its anchored node, so the readers see plain nodes
 * whose positions point at the anchor, and counts what that costs before it is spent.
 *
 * The yaml package guards alias expansion (`maxAliasCount`) only when it converts a document to plain values,
 * which loses the positions every diagnostic needs. So the expansion is done here, in document order: an
 * alias's anchor comes before it, so the anchored node is complete, and measured (its nodes and height once
 * expanded), when the alias is reached. A first pass only measures, so a few hundred bytes of nested aliases
 * that would expand to billions of nodes stop at the alias that crosses the cap with nothing copied; a second
 * pass, for documents within the caps that have aliases, makes the copies. Iterative: nesting costs no stack.
 */
import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node, type Pair } from "yaml";
import type { YamlLimits } from "./limits.js";
import type { ParseProblem } from "./bounded-parse.js";

/** A place that holds a node: an item of a sequence, or the key or value of a pair. */
type Slot =
  | { readonly items: unknown[]; readonly index: number }
  | { readonly pair: Pair; readonly side: "key" | "value" }
  | { readonly doc: Document.Parsed };

interface Frame {
  /** null for the document itself. */
  readonly node: Node | null;
  /** Sequences and mappings from the root down to this node, itself included. */
  readonly depth: number;
  /** Children not yet visited, last first. */
  readonly pending: Slot[];
  size: number;
  height: number;
}

function slotNode(slot: Slot): unknown {
  if ("doc" in slot) return slot.doc.contents;
  if ("pair" in slot) return slot.pair[slot.side];
  return slot.items[slot.index];
}

function setSlot(slot: Slot, node: Node): void {
  if ("doc" in slot) slot.doc.contents = node as typeof slot.doc.contents;
  else if ("pair" in slot) slot.pair[slot.side] = node;
  else slot.items[slot.index] = node;
}

/** The slots of a collection's children, in document order (a pair's key before its value). */
function childSlots(node: Node): Slot[] {
  const slots: Slot[] = [];
  if (!isCollection(node)) return slots;
  const items = node.items as unknown[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isPair(item)) slots.push({ pair: item as Pair, side: "key" }, { pair: item as Pair, side: "value" });
    else slots.push({ items, index: i });
  }
  return slots;
}

/** Expands every alias of `doc` in place, or returns the first problem (and leaves `doc` as it was). */
export function expandAliases(doc: Document.Parsed, limits: YamlLimits): ParseProblem | undefined {
  const measured = walk(doc, limits, false);
  if (measured.problem || !measured.aliases) return measured.problem;
  return walk(doc, limits, true).problem;
}

/** One pass over `doc` in document order, measuring; with `copy`, also replacing each alias by a copy. */
function walk(doc: Document.Parsed, limits: YamlLimits, copy: boolean): { problem?: ParseProblem; aliases: boolean } {
  /** Anchor name → the last node given it so far in document order, as an alias resolves. */
  const anchors = new Map<string, Node>();
  /** Nodes and height of each anchored node once it is complete (expanded and measured). */
  const measured = new Map<Node, { size: number; height: number }>();
  let total = 0;
  let aliases = false;
  const stack: Frame[] = [];
  stack.push({ node: null, depth: 0, pending: [{ doc }], size: 0, height: 0 });

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const slot = frame.pending.pop();
    if (slot === undefined) {
      stack.pop();
      const parent = stack[stack.length - 1];
      const size = frame.size + 1;
      const height = frame.height + 1;
      if (frame.node?.anchor) measured.set(frame.node, { size, height });
      if (parent) add(parent, size, height);
      continue;
    }
    const node = slotNode(slot);
    if (node === null || node === undefined || !(isScalar(node) || isAlias(node) || isCollection(node))) continue;
    if (isAlias(node)) {
      aliases = true;
      const problem = expandOne(node, slot, frame);
      if (problem) return { problem, aliases };
      continue;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    total++;
    if (total > limits.maxNodes) return { problem: tooMany(node), aliases };
    if (isScalar(node)) {
      if (node.anchor) measured.set(node, { size: 1, height: 0 });
      add(frame, 1, 0);
      continue;
    }
    stack.push({ node, depth: frame.depth + 1, pending: childSlots(node).reverse(), size: 0, height: 0 });
  }
  return { aliases };

  function add(frame: Frame, size: number, height: number): void {
    frame.size += size;
    frame.height = Math.max(frame.height, height);
  }

  function expandOne(alias: Alias, slot: Slot, frame: Frame): ParseProblem | undefined {
    const offset = alias.range?.[0] ?? 0;
    const target = anchors.get(alias.source);
    if (!target)
      return {
        id: "yaml.alias",
        message: `alias \`*${alias.source}\` names no anchor \`&${alias.source}\` defined before it`,
        offset,
      };
    const cost = measured.get(target);
    // Anchored but not complete: the alias is inside the node it names.
    if (!cost)
      return {
        id: "yaml.alias",
        message: `alias \`*${alias.source}\` is inside the node it names (a recursive structure)`,
        offset,
      };
    total += cost.size;
    if (total > limits.maxNodes) return tooMany(alias, alias.source);
    if (frame.depth + cost.height > limits.maxDepth) {
      return {
        id: "yaml.too-deep",
        message: `alias \`*${alias.source}\` nests sequences and mappings more than ${limits.maxDepth} deep once expanded (--max-yaml-depth)`,
        offset,
      };
    }
    // `clone` recurses as deep as the anchored node: at most the depth cap.
    if (copy) setSlot(slot, target.clone() as Node);
    add(frame, cost.size, cost.height);
    return undefined;
  }

  function tooMany(node: Node, alias?: string): ParseProblem {
    const where = alias === undefined ? "" : `: alias \`*${alias}\` brings it to ${total} once expanded`;
    return {
      id: "yaml.too-many-nodes",
      message: `more than ${limits.maxNodes} YAML nodes in one file${where} (--max-yaml-nodes)`,
      offset: node.range?.[0] ?? 0,
    };
  }
}
