/**
 * A mapping file (spec/README.md §9) → its diagnostics and, when it has no errors, the translation plan the
 * runtime's engine runs: load the mapping and the two registries it names → check every rule against them →
 * compile the plan. What the generator runs before it emits `toGenAI` / `toOpenInference`; needs only yaml.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { YAMLMap } from "yaml";
import type { Convention, TranslationPlan } from "@semtrace/runtime/internal";
import { DEFAULT_YAML_LIMITS, yamlLimits, type YamlLimits } from "../load/limits.js";
import { parseYamlSource } from "../load/yaml-source.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import type { Registry } from "../model/resolved.js";
import { readSpec } from "../read-spec.js";
import { MappingCompiler, readHeader, type MappingHeader } from "./compile.js";
import { MappingReader } from "./yaml-reader.js";

export type { MappingHeader } from "./compile.js";

export interface MappingResult {
  /** Load and check diagnostics, sorted by place. */
  readonly diagnostics: readonly Diagnostic[];
  /** The mapping's name and the registries it joins, when its header reads. */
  readonly header?: MappingHeader;
  /** The compiled plan; absent when a diagnostic is an error. */
  readonly plan?: TranslationPlan;
}

export interface ReadMappingOptions {
  /** Directory a relative mapping path is read from (default: the process's working directory). */
  readonly cwd?: string;
  /** Caps on what the mapping file and each registry file may cost to load (default: `DEFAULT_YAML_LIMITS`). */
  readonly limits?: Partial<YamlLimits>;
}

/** Reads and checks a mapping file; registries resolve from its folder. */
export async function readMapping(file: string, options: ReadMappingOptions = {}): Promise<MappingResult> {
  const cwd = options.cwd ?? process.cwd();
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (error) {
    return {
      diagnostics: [
        {
          id: "spec.unreadable",
          severity: "error",
          message: `cannot read the mapping: ${(error as Error).message}`,
          location: { file, line: 1, col: 1 },
        },
      ],
    };
  }
  return readMappingText(file, text, options);
}

/** Checks a mapping from its file's text; `file` is the path shown in diagnostics, registries resolve from its folder. */
export async function readMappingText(
  file: string,
  text: string,
  options: ReadMappingOptions = {},
): Promise<MappingResult> {
  const limits = options.limits ? yamlLimits(options.limits) : DEFAULT_YAML_LIMITS;
  const diagnostics: Diagnostic[] = [];
  const parsed = parseYamlSource(file, text, limits);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.source) return { diagnostics: sortDiagnostics(diagnostics) };
  const r = new MappingReader(parsed.source, diagnostics);
  const root = r.map(parsed.source.doc.contents as YAMLMap | null, "a mapping file (a YAML mapping)");
  const header = root && readHeader(root, r);
  if (!root || !header) return { diagnostics: sortDiagnostics(diagnostics) };

  const cwd = options.cwd ?? process.cwd();
  const registries: Partial<Record<Convention, Registry>> = {};
  for (const side of ["openinference", "genai"] as const) {
    const dir = path.posix.join(path.posix.dirname(file.split(path.sep).join("/")), header.registries[side].value);
    const read = await readSpec(dir, { cwd, limits });
    const errors = read.diagnostics.filter((d) => d.severity === "error");
    if (!read.registry || errors.length > 0) {
      r.report(
        "mapping.registry",
        header.registries[side].at,
        `the ${side} registry at ${dir} does not load: ${errors.length} error${errors.length === 1 ? "" : "s"}, the first: ${errors[0]?.message ?? "no registry"}`,
      );
      continue;
    }
    registries[side] = read.registry;
  }
  const { openinference, genai } = registries;
  if (!openinference || !genai) return { diagnostics: sortDiagnostics(diagnostics), header };
  const both = { openinference, genai };
  const plan = compile(new MappingCompiler(r, both), r, root, both);
  if (hasErrors(diagnostics) || !plan) return { diagnostics: sortDiagnostics(diagnostics), header };
  return { diagnostics: sortDiagnostics(diagnostics), header, plan };
}

function compile(
  c: MappingCompiler,
  r: MappingReader,
  root: YAMLMap,
  registries: Record<Convention, Registry>,
): TranslationPlan | undefined {
  const kindAttrs = c.kindAttributes();
  const kinds = c.spanKinds(r.get(root, "span_kinds", true));
  const fallback = r.str(r.get(root, "span_kind_fallback", true));
  if (fallback) c.enumValue("openinference", kindAttrs.openinference, fallback);
  const unmappedKinds = c.reasons(r.get(root, "unmapped_span_kinds", true), (k) =>
    c.enumValue("openinference", kindAttrs.openinference, k),
  );
  const attributes = c.attributeRules(r.get(root, "attributes", true));
  const provider = c.provider(r.get(root, "provider", true));
  const deprecated = c.deprecated(r.get(root, "genai_deprecated"));
  const parameters = c.parameters(r.get(root, "invocation_parameters", true));
  const totalMap = r.map(r.get(root, "total", true));
  let total: TranslationPlan["total"] | undefined;
  if (totalMap) {
    r.only(totalMap, ["openinference", "sum"]);
    const key = r.str(r.get(totalMap, "openinference", true));
    const sum = r.strings(r.get(totalMap, "sum", true));
    const keyType = key && c.attribute("openinference", key);
    const sumTypes = (sum ?? []).map((s) => c.attribute("genai", s));
    for (const [i, attr] of [keyType, ...sumTypes].entries()) {
      if (attr && c.valueType(attr) !== "int")
        r.report("mapping.type", (i === 0 ? key! : sum![i - 1]!).at, `\`${attr.key}\` is not an int`);
    }
    if (key && sum) total = { openinference: key.value, sum: sum.map((s) => s.value) };
  }
  const fr = r.map(r.get(root, "finish_reasons", true));
  let finishReasons: TranslationPlan["finishReasons"] | undefined;
  if (fr) {
    const keys = c.keysOf(
      fr,
      { openinference: "openinference", genai: "genai" },
      { openinference: ["string"], genai: ["string[]"] },
      ["message_values"],
    );
    const values = r.pairs(r.get(fr, "message_values", true));
    if (keys) finishReasons = { ...keys, messageValues: values.map((v) => [v.key.value, v.value.value] as const) };
  }
  const messages = c.messages(r.get(root, "messages", true));
  const messageFields = c.messageFields(r.get(root, "message_fields", true));
  const contentType = messageFields
    ? registries.openinference.attributes.find((a) => a.key === messageFields.content_type)
    : undefined;
  const parts = c.parts(r.get(root, "parts", true), contentType);
  const tools = c.keysOf(
    r.get(root, "tools", true),
    { openinference: "openinference", field: "openinference", genai: "genai" },
    { openinference: ["list"], field: ["json", "string"], genai: ["json"] },
  );
  const toolsMap = r.map(r.get(root, "tools"));
  c.listField(c.at(toolsMap, "openinference"), c.at(toolsMap, "field"));
  const documents = c.keysOf(
    r.get(root, "documents", true),
    { openinference: "openinference", id: "openinference", score: "openinference", genai: "genai" },
    { openinference: ["list"], genai: ["json"] },
  );
  const docsMap = r.map(r.get(root, "documents"));
  c.listField(c.at(docsMap, "openinference"), c.at(docsMap, "id"));
  c.listField(c.at(docsMap, "openinference"), c.at(docsMap, "score"));
  const promptVariables = c.keysOf(
    r.get(root, "prompt_variables", true),
    { openinference: "openinference", genai: "genai" },
    { openinference: ["json"] },
  );
  const pvAttr = promptVariables && registries.genai.attributes.find((a) => a.key === promptVariables.genai);
  if (pvAttr && pvAttr.type.kind !== "template")
    r.report(
      "mapping.type",
      c.location(r.get(r.map(r.get(root, "prompt_variables"))!, "genai")),
      `\`${pvAttr.key}\` is not a template key`,
    );
  const shared = (r.strings(r.get(root, "shared", true)) ?? []).map((k) => {
    c.attribute("openinference", k);
    return k.value;
  });
  const unmappedMap = r.map(r.get(root, "unmapped", true));
  const reasons = {
    openinference: unmappedMap
      ? c.reasons(r.get(unmappedMap, "openinference", true), (k) => c.keyOrPrefix("openinference", k))
      : {},
    genai: unmappedMap ? c.reasons(r.get(unmappedMap, "genai", true), (k) => c.keyOrPrefix("genai", k)) : {},
  };
  if (unmappedMap) r.only(unmappedMap, ["openinference", "genai"]);
  const kindKeys = { openinference: kindAttrs.openinference?.key, genai: kindAttrs.genai?.key };
  if (
    !kindKeys.openinference ||
    !kindKeys.genai ||
    !provider ||
    !total ||
    !finishReasons ||
    !messageFields ||
    !tools ||
    !documents ||
    !promptVariables ||
    !fallback
  )
    return undefined;
  return {
    kindKeys: { openinference: kindKeys.openinference, genai: kindKeys.genai },
    kinds,
    fallbackKind: fallback.value,
    unmappedKinds,
    attributes,
    provider,
    deprecated,
    parameters,
    total,
    finishReasons,
    messages,
    messageFields,
    parts,
    tools,
    documents,
    promptVariables,
    shared,
    owned: { openinference: registries.openinference.owns, genai: registries.genai.owns },
    reasons,
  };
}
