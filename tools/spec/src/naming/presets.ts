/**
 * Naming presets: how keys and enum members become constant names.
 * - `otel`: `ATTR_HTTP_REQUEST_METHOD`, `HTTP_REQUEST_METHOD_VALUE_GET` (as @opentelemetry/semantic-conventions).
 * - `openinference`: `LLM_MODEL_NAME`, enums as objects `OpenInferenceSpanKind.LLM`
 *   (as @arizeai/openinference-semantic-conventions).
 */
import type { NamingPreset } from "../model/resolved.js";
import { screamingSnake } from "./case.js";

export const NAMING_PRESETS: readonly NamingPreset[] = ["otel", "openinference"];

export function isNamingPreset(value: string): value is NamingPreset {
  return (NAMING_PRESETS as readonly string[]).includes(value);
}

export function attributeConstName(preset: NamingPreset, key: string): string {
  return preset === "otel" ? `ATTR_${screamingSnake(key)}` : screamingSnake(key);
}

/** OpenTelemetry's JavaScript names for signals, in every preset: `METRIC_GEN_AI_CLIENT_TOKEN_USAGE`, `EVENT_…`. */
export function signalConstName(kind: "metric" | "event", name: string): string {
  return `${kind === "metric" ? "METRIC" : "EVENT"}_${screamingSnake(name)}`;
}

/** Stand-alone enum value constant (otel) or the member's key inside the enum object (openinference). */
export function enumMemberConstName(preset: NamingPreset, key: string, memberId: string): string {
  return preset === "otel" ? `${screamingSnake(key)}_VALUE_${screamingSnake(memberId)}` : screamingSnake(memberId);
}
