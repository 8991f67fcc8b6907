/**
 * The data a generated translation runs on: a mapping between two registries (spec/mappings/*.yaml), checked
 * and resolved by the generator. Every key here exists in its registry with the type given; the engine
 * (translate.ts) only follows it.
 */

/** The two conventions a mapping joins. */
export type Convention = "openinference" | "genai";

/**
 * What a value must be on the side that receives it: an attribute type, `json` for a string that holds JSON text
 * (a structured value is serialised), `text` for a string that takes JSON text of a structured value too, or
 * `any` for a field of a JSON object (any JSON value).
 */
export type TranslationValueType =
  | "string"
  | "text"
  | "int"
  | "double"
  | "boolean"
  | "string[]"
  | "int[]"
  | "double[]"
  | "boolean[]"
  | "json"
  | "any";

/** A key, or a field of the JSON object a key holds (`llm.invocation_parameters#model`). */
export interface Place {
  readonly key: string;
  readonly field?: string;
  readonly type: TranslationValueType;
}

export interface KindRow {
  readonly openinference: string;
  /** GenAI operations that mean this kind; the first is written. */
  readonly genai: readonly string[];
  /** The GenAI span name: literal text and `{key}` parts, parts of missing keys left out. */
  readonly spanName: string;
}

/** One value under one place on each side: read from the first present place, written to the first. */
export interface AttributeRule {
  readonly openinference: readonly Place[];
  readonly genai: readonly Place[];
  readonly kinds?: readonly string[];
  /** Applies only when translating to this convention. */
  readonly only?: Convention;
  /** Enum values renamed on the way (OpenInference value, GenAI value); others pass as they are. */
  readonly values?: readonly (readonly [openinference: string, genai: string])[];
  /** The OpenInference MIME-type key written beside the OpenInference value. */
  readonly mimeType?: string;
}

export interface ProviderRow {
  readonly genai: string;
  readonly provider?: string;
  readonly system?: string;
}

export interface ProviderRule {
  readonly genai: string;
  readonly provider: string;
  readonly system: string;
  readonly rows: readonly ProviderRow[];
}

/** A deprecated GenAI key read as its replacement when the replacement is absent. */
export interface DeprecatedKey {
  readonly key: string;
  readonly replacement: string;
  readonly values?: readonly (readonly [old: string, current: string])[];
}

export interface ParameterField {
  /** JSON field names, read in order, written as the first. */
  readonly fields: readonly string[];
  readonly genai: string;
  readonly type: TranslationValueType;
}

export interface ParameterRule {
  readonly openinference: string;
  readonly kinds: readonly string[];
  readonly fields: readonly ParameterField[];
}

export interface MessageRule {
  readonly openinference: string;
  readonly genai: string;
  readonly systemInstructions?: string;
  /** Output messages carry a finish reason each. */
  readonly finishReason: boolean;
}

/** The OpenInference message structure's field keys the engine reads and writes. */
export interface MessageFields {
  readonly role: string;
  readonly content: string;
  readonly contents: string;
  readonly name: string;
  readonly tool_call_id: string;
  readonly tool_calls: string;
  readonly content_type: string;
  readonly content_text: string;
  readonly content_image: string;
  readonly content_audio: string;
  readonly content_video: string;
  readonly image_url: string;
  readonly audio_url: string;
  readonly audio_mime_type: string;
  readonly video_url: string;
  readonly tool_call_id_field: string;
  readonly tool_call_name: string;
  readonly tool_call_arguments: string;
}

export interface PartRule {
  readonly openinference: string;
  readonly genai: string;
  readonly modality?: string;
}

export interface TranslationPlan {
  /** The span-kind keys: `openinference.span.kind`, `gen_ai.operation.name`. */
  readonly kindKeys: { readonly openinference: string; readonly genai: string };
  readonly kinds: readonly KindRow[];
  /** The OpenInference kind of a GenAI operation no row names (reported too). */
  readonly fallbackKind: string;
  /** OpenInference kinds with no GenAI operation, and why. */
  readonly unmappedKinds: Readonly<Record<string, string>>;
  readonly attributes: readonly AttributeRule[];
  readonly provider: ProviderRule;
  readonly deprecated: readonly DeprecatedKey[];
  readonly parameters: readonly ParameterRule[];
  readonly total: { readonly openinference: string; readonly sum: readonly string[] };
  readonly finishReasons: {
    readonly openinference: string;
    readonly genai: string;
    readonly messageValues: readonly (readonly [provider: string, genai: string])[];
  };
  readonly messages: readonly MessageRule[];
  readonly messageFields: MessageFields;
  readonly parts: readonly PartRule[];
  readonly tools: { readonly openinference: string; readonly field: string; readonly genai: string };
  readonly documents: {
    readonly openinference: string;
    readonly id: string;
    readonly score: string;
    readonly genai: string;
  };
  readonly promptVariables: { readonly openinference: string; readonly genai: string };
  /** Keys both conventions use as they are. */
  readonly shared: readonly string[];
  /** The namespaces each registry owns: its keys there that nothing translated are reported. */
  readonly owned: { readonly openinference: readonly string[]; readonly genai: readonly string[] };
  /** Why a key (or every key under a prefix) has no counterpart, by the convention it comes from. */
  readonly reasons: {
    readonly openinference: Readonly<Record<string, string>>;
    readonly genai: Readonly<Record<string, string>>;
  };
}
