/**
 * Reference docs of a registry (pure): an index page, one Markdown page per namespace and per span definition,
 * one page of structures, and the search page over every attribute. Each page ends with the decisions semtrace
 * recorded for what it shows (the spec's `rationale`), in a section of their own.
 */
import {
  builderNames,
  spanBuilderName,
  type Attribute,
  type Registry,
  type SpanDefinition,
} from "@semtrace/spec/internal";
import {
  code,
  link,
  prose,
  strong,
  type Block,
  type DocPage,
  type Inline,
  type ReferenceFile,
  type SearchEntry,
} from "./doc.js";
import {
  constantOf,
  deprecationLine,
  exampleText,
  gatherFacts,
  namespacePage,
  requirementText,
  spanPage,
  typeText,
  type ReferenceFacts,
} from "./facts.js";

export const SEARCH_PAGE = "search.html";
export const STRUCTURES_PAGE = "structures.md";

/** A decision to list at the end of a page: what it is about and why semtrace chose it. */
interface Decision {
  readonly about: readonly Inline[];
  readonly rationale: string;
}

export function emitReference(registry: Registry): ReferenceFile[] {
  const facts = gatherFacts(registry);
  const pages: ReferenceFile[] = [indexPage(registry, facts)];
  for (const [ns, attrs] of facts.namespaces) pages.push(namespaceDoc(registry, facts, ns, attrs));
  for (const span of registry.spans) pages.push(spanDoc(registry, facts, span));
  if (registry.objects.length > 0) pages.push(structuresDoc(registry, facts));
  pages.push({
    kind: "search",
    path: SEARCH_PAGE,
    title: `${registry.name} attributes`,
    intro: `Every attribute of the ${registry.name} registry (version ${registry.version}${registry.packageName ? `, package ${registry.packageName}` : ""}).`,
    entries: registry.attributes.map((attr) => searchEntry(facts, attr)),
  });
  return pages;
}

/** A link from a page in `from` (a path relative to the docs root) to `target#anchor`. */
function relative(from: string, target: string): string {
  const depth = from.split("/").length - 1;
  return `${"../".repeat(depth)}${target}`;
}

function attributeLink(facts: ReferenceFacts, from: string, key: string): Inline {
  const ns = facts.namespaceOf(key);
  if (ns === undefined) return code(key);
  const page = namespacePage(ns);
  return link(key, `${page === from ? "" : relative(from, page)}#${anchor(key)}`, true);
}

/** Anchor of an attribute on its namespace page: the key itself, which is a valid id. */
export function anchor(key: string): string {
  return key;
}

function decisionsSection(decisions: readonly Decision[]): Block[] {
  if (decisions.length === 0) return [];
  return [
    { kind: "heading", level: 2, text: ["semtrace decisions"], id: "semtrace-decisions" },
    {
      kind: "paragraph",
      text: [
        "Why semtrace's registry says what it does where its sources disagree or are silent (the spec's ",
        code("rationale"),
        ").",
      ],
    },
    { kind: "list", items: decisions.map((d) => [...d.about, ": ", prose(d.rationale.trim())]) },
  ];
}

function indexPage(registry: Registry, facts: ReferenceFacts): DocPage {
  const from = "index.md";
  const identity: [string, Inline[]][] = [
    ["Version", [registry.version]],
    ["Stability", [registry.stability ?? "per item"]],
    ["Naming", [registry.naming]],
  ];
  if (registry.packageName) identity.push(["Package", [code(registry.packageName)]]);
  if (registry.schemaUrl) identity.push(["Schema URL", [registry.schemaUrl]]);
  if (registry.spanKindAttribute)
    identity.push(["Span kind attribute", [attributeLink(facts, from, registry.spanKindAttribute)]]);
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: [`The ${registry.name} registry`] },
    { kind: "paragraph", text: [prose(registry.description.trim())] },
    { kind: "facts", rows: identity },
    {
      kind: "paragraph",
      text: [
        link("Search every attribute", SEARCH_PAGE),
        ` (one page, works offline: ${registry.attributes.length} attributes).`,
      ],
    },
    { kind: "heading", level: 2, text: ["Namespaces"] },
    {
      kind: "table",
      head: ["Namespace", "Attributes", "Deprecated"],
      rows: [...facts.namespaces].map(([ns, attrs]) => [
        [link(ns, namespacePage(ns), true)],
        [String(attrs.length)],
        [String(attrs.filter((a) => a.deprecated).length)],
      ]),
    },
  ];
  if (registry.spans.length > 0) {
    blocks.push({ kind: "heading", level: 2, text: [registry.spanKindAttribute ? "Span kinds" : "Spans"] });
    blocks.push({
      kind: "table",
      head: [
        "Span definition",
        registry.spanKindAttribute ? `\`${registry.spanKindAttribute}\`` : "Kind",
        "Attributes",
        "Brief",
      ],
      rows: registry.spans.map((s) => [
        [link(s.id, spanPage(s.id), true)],
        s.semtrace.spanKind ? [code(s.semtrace.spanKind)] : ["—"],
        [String(s.attributes.length)],
        [prose(firstLine(s.brief))],
      ]),
    });
  }
  if (registry.objects.length > 0)
    blocks.push({
      kind: "paragraph",
      text: [
        link("Structures", STRUCTURES_PAGE),
        `: the fields of the registry's ${registry.objects.length} list and object attributes.`,
      ],
    });
  return { kind: "page", path: from, blocks };
}

function namespaceDoc(registry: Registry, facts: ReferenceFacts, ns: string, attrs: readonly Attribute[]): DocPage {
  const from = namespacePage(ns);
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: [code(ns), ` attributes`] },
    {
      kind: "paragraph",
      text: [
        link(`The ${registry.name} registry`, relative(from, "index.md")),
        ` · ${attrs.length} attribute${attrs.length === 1 ? "" : "s"} · `,
        link("search", relative(from, SEARCH_PAGE)),
      ],
    },
    {
      kind: "table",
      head: ["Attribute", "Type", "Stability", "Brief"],
      rows: attrs.map((a) => [
        [link(a.key, `#${anchor(a.key)}`, true)],
        [code(typeText(a.type))],
        [a.deprecated ? "deprecated" : a.stability],
        [prose(firstLine(a.brief))],
      ]),
    },
  ];
  const decisions: Decision[] = [];
  for (const attr of attrs) {
    blocks.push(...attributeSection(registry, facts, from, attr));
    if (attr.rationale.trim())
      decisions.push({ about: [attributeLink(facts, from, attr.key)], rationale: attr.rationale });
    if (attr.type.kind === "enum")
      for (const m of attr.type.members)
        if (m.rationale.trim())
          decisions.push({
            about: [attributeLink(facts, from, attr.key), " = ", code(String(m.value))],
            rationale: m.rationale,
          });
  }
  return { kind: "page", path: from, blocks: [...blocks, ...decisionsSection(decisions)] };
}

function attributeSection(registry: Registry, facts: ReferenceFacts, from: string, attr: Attribute): Block[] {
  const constant = constantOf(attr);
  const rows: [string, Inline[]][] = [
    [
      "Type",
      [
        code(typeText(attr.type)),
        ...(attr.type.kind === "list" || attr.type.kind === "object"
          ? [" — ", link("fields", `${relative(from, STRUCTURES_PAGE)}#${attr.type.object}`)]
          : []),
      ],
    ],
    ["Stability", [attr.stability]],
    [
      "Constant",
      constant
        ? [code(constant), ...(registry.packageName ? [" from ", code(registry.packageName)] : [])]
        : ["none (left out of code generation)"],
    ],
  ];
  if (attr.enumName) rows.push(["Values object", [code(attr.enumName)]]);
  const builders = facts.buildersOf(attr.key);
  if (builders.length > 0) rows.push(["Builder fields", joinInlines(builders.map((b) => [code(b)]))]);
  const requirements = facts.requirementsOf(attr.key);
  if (requirements.length > 0)
    rows.push([
      "Requirement level",
      joinInlines(
        requirements.map((r) => [
          link(r.span, relative(from, spanPage(r.span)), true),
          ": ",
          prose(requirementText(r.level)),
        ]),
      ),
    ]);
  if (attr.examples.length > 0) rows.push(["Examples", joinInlines(attr.examples.map((e) => [code(exampleText(e))]))]);
  if (attr.fieldOf.length > 0)
    rows.push([
      "Field of",
      joinInlines(attr.fieldOf.map((o) => [link(o, `${relative(from, STRUCTURES_PAGE)}#${o}`, true)])),
    ]);
  const deprecated = deprecationLine(attr);
  if (attr.deprecated?.renamedTo !== undefined) {
    const note = attr.deprecated.note?.trim();
    rows.push([
      "Deprecated",
      [
        strong("Deprecated."),
        " Replaced by ",
        attributeLink(facts, from, attr.deprecated.renamedTo),
        ".",
        ...(note ? [" ", prose(note)] : []),
      ],
    ]);
  } else if (deprecated) rows.push(["Deprecated", [strong("Deprecated."), " ", prose(deprecated)]]);
  const blocks: Block[] = [
    { kind: "heading", level: 3, text: [code(attr.key)], id: anchor(attr.key) },
    { kind: "paragraph", text: [prose(attr.brief.trim() || `The ${attr.key} attribute.`)] },
    { kind: "facts", rows },
  ];
  if (attr.note.trim()) blocks.push({ kind: "paragraph", text: [strong("Note."), " ", prose(attr.note.trim())] });
  if (attr.type.kind === "enum") {
    const valueName = (c: string) => (attr.enumName ? `${attr.enumName}.${c}` : c);
    blocks.push({
      kind: "table",
      head: ["Value", "Constant", "Stability", "Brief"],
      rows: attr.type.members.map((m) => [
        [code(String(m.value))],
        m.emitted ? [code(valueName(m.constName))] : ["—"],
        [
          m.deprecated
            ? `deprecated: ${m.deprecated.renamedTo ? `use ${m.deprecated.renamedTo}` : (m.deprecated.note ?? "").trim()}`
            : m.stability,
        ],
        [prose(firstLine(m.brief))],
      ]),
    });
  }
  return blocks;
}

function spanDoc(registry: Registry, facts: ReferenceFacts, span: SpanDefinition): DocPage {
  const from = spanPage(span.id);
  const rows: [string, Inline[]][] = [["Stability", [span.stability]]];
  if (span.semtrace.spanKind && registry.spanKindAttribute)
    rows.push([registry.spanKindAttribute, [code(span.semtrace.spanKind)]]);
  if (span.spanKind) rows.push(["OpenTelemetry span kind", [code(span.spanKind)]]);
  if (span.extends) rows.push(["Extends", [code(span.extends)]]);
  const builder = spanBuilderName(span.semtrace);
  const builderCall = builder === undefined ? undefined : `${builderNames(builder).functionName}(input)`;
  if (
    builderCall !== undefined &&
    span.own.some((k) => facts.buildersOf(k).some((b) => b.startsWith(`${builderCall} → `)))
  )
    rows.push(["Builder", [code(builderCall)]]);
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: ["Span ", code(span.id)] },
    { kind: "paragraph", text: [link(`The ${registry.name} registry`, relative(from, "index.md"))] },
    { kind: "paragraph", text: [prose(span.brief.trim() || span.id)] },
    { kind: "facts", rows },
  ];
  if (span.note.trim()) blocks.push({ kind: "paragraph", text: [strong("Note."), " ", prose(span.note.trim())] });
  blocks.push({ kind: "heading", level: 2, text: ["Attributes"] });
  blocks.push({
    kind: "table",
    head: ["Attribute", "Requirement level", "Type", "Brief"],
    rows: span.attributes.map((use) => {
      const attr = registry.attributes.find((a) => a.key === use.key);
      return [
        [attributeLink(facts, from, use.key)],
        [prose(requirementText(use.requirementLevel))],
        attr ? [code(typeText(attr.type))] : ["—"],
        [prose(firstLine(use.brief || attr?.brief || ""))],
      ];
    }),
  });
  const decisions: Decision[] = [];
  if (span.rationale.trim()) decisions.push({ about: [code(span.id)], rationale: span.rationale });
  for (const use of span.attributes)
    if (use.rationale.trim())
      decisions.push({ about: [attributeLink(facts, from, use.key), " here"], rationale: use.rationale });
  return { kind: "page", path: from, blocks: [...blocks, ...decisionsSection(decisions)] };
}

function structuresDoc(registry: Registry, facts: ReferenceFacts): DocPage {
  const from = STRUCTURES_PAGE;
  const blocks: Block[] = [
    { kind: "heading", level: 1, text: [`Structures of the ${registry.name} registry`] },
    {
      kind: "paragraph",
      text: [
        "The fields of list and object attributes: each is written under the attribute's key and the item's index (",
        code("llm.input_messages.0.message.role"),
        " for a list).",
      ],
    },
  ];
  const decisions: Decision[] = [];
  for (const object of registry.objects) {
    blocks.push({ kind: "heading", level: 2, text: [code(object.id)], id: object.id });
    if (object.brief.trim()) blocks.push({ kind: "paragraph", text: [prose(object.brief.trim())] });
    blocks.push({
      kind: "table",
      head: ["Field", "Requirement level", "Brief"],
      rows: object.fields.map((f) => [
        [attributeLink(facts, from, f.key)],
        [prose(requirementText(f.requirementLevel))],
        [prose(firstLine(f.brief))],
      ]),
    });
    if (object.rationale.trim()) decisions.push({ about: [code(object.id)], rationale: object.rationale });
  }
  return { kind: "page", path: from, blocks: [...blocks, ...decisionsSection(decisions)] };
}

function searchEntry(facts: ReferenceFacts, attr: Attribute): SearchEntry {
  const ns = facts.namespaceOf(attr.key)!;
  const constant = constantOf(attr);
  const deprecated = deprecationLine(attr);
  return {
    key: attr.key,
    namespace: ns,
    page: `${namespacePage(ns)}#${anchor(attr.key)}`,
    type: typeText(attr.type),
    stability: attr.stability,
    brief: attr.brief.trim(),
    note: attr.note.trim(),
    examples: attr.examples.map(exampleText),
    ...(constant ? { constant } : {}),
    builders: facts.buildersOf(attr.key),
    requirements: facts.requirementsOf(attr.key).map((r) => `${r.span}: ${requirementText(r.level)}`),
    ...(deprecated ? { deprecated } : {}),
    ...(attr.rationale.trim() ? { decision: attr.rationale.trim() } : {}),
  };
}

function firstLine(text: string): string {
  const trimmed = text.trim();
  const paragraph = trimmed.split(/\n\s*\n/)[0]!;
  return paragraph.replace(/\s+/g, " ");
}

function joinInlines(parts: readonly (readonly Inline[])[]): Inline[] {
  return parts.flatMap((p, i) => (i === 0 ? [...p] : ["\n\n", ...p]));
}
