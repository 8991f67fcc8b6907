/**
 * The structural part of a translation: OpenInference's flattened messages
 * (`llm.input_messages.<i>.message.contents.<j>.message_content.text`) ↔ GenAI's JSON messages
 * (`[{ role, parts: [{ type: "text", content }] }]`, upstream schemas gen-ai-input-messages.json and
 * gen-ai-output-messages.json). The key names come from the plan (the mapping's `message_fields`, checked
 * against the OpenInference registry), the part types from its `parts`.
 */
import { safeJsonStringify } from "../json.js";
import { elementKeys, internalize } from "../keys.js";
import type { MessageFields, PartRule } from "./plan.js";
import {
  builtJson,
  isPlainObject,
  jsonValue,
  parseJson,
  TRANSLATION_RULES,
  type JsonObject,
  type TranslatedValue,
  type UnmappedAttribute,
} from "./values.js";

/** One OpenInference message read from its flattened keys. */
export interface FlatMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  toolCallId?: unknown;
  contents: FlatContent[];
  toolCalls: FlatToolCall[];
}

export interface FlatContent {
  type?: unknown;
  text?: unknown;
  imageUrl?: unknown;
  audioUrl?: unknown;
  audioMimeType?: unknown;
  videoUrl?: unknown;
  toolCall: FlatToolCall;
}

export interface FlatToolCall {
  id?: unknown;
  name?: unknown;
  arguments?: unknown;
}

/** Key suffixes (after `<list>.<i>.`) → where they go; built once per plan. */
export interface MessageKeyTable {
  readonly message: ReadonlyMap<string, keyof FlatMessage>;
  /** `message.contents.` and `message.tool_calls.`: the prefixes of a message's lists. */
  readonly contents: string;
  readonly toolCalls: string;
  readonly content: ReadonlyMap<string, keyof FlatContent | `toolCall.${keyof FlatToolCall}`>;
  readonly toolCall: ReadonlyMap<string, keyof FlatToolCall>;
}

const tables = new WeakMap<MessageFields, MessageKeyTable>();

export function messageKeyTable(f: MessageFields): MessageKeyTable {
  let table = tables.get(f);
  if (table) return table;
  const toolCall = new Map<string, keyof FlatToolCall>([
    [f.tool_call_id_field, "id"],
    [f.tool_call_name, "name"],
    [f.tool_call_arguments, "arguments"],
  ]);
  table = {
    message: new Map<string, keyof FlatMessage>([
      [f.role, "role"],
      [f.content, "content"],
      [f.name, "name"],
      [f.tool_call_id, "toolCallId"],
    ]),
    contents: `${f.contents}.`,
    toolCalls: `${f.tool_calls}.`,
    content: new Map<string, keyof FlatContent | `toolCall.${keyof FlatToolCall}`>([
      [f.content_type, "type"],
      [f.content_text, "text"],
      [`${f.content_image}.${f.image_url}`, "imageUrl"],
      [`${f.content_audio}.${f.audio_url}`, "audioUrl"],
      [`${f.content_audio}.${f.audio_mime_type}`, "audioMimeType"],
      [`${f.content_video}.${f.video_url}`, "videoUrl"],
      ...[...toolCall].map(([key, field]) => [key, `toolCall.${field}`] as const),
    ]),
    toolCall,
  };
  tables.set(f, table);
  return table;
}

/** `12.rest` → [12, "rest"]; undefined unless it starts with a decimal index and a dot. */
export function splitIndex(rest: string): [number, string] | undefined {
  let i = 0;
  while (i < rest.length && i < 10) {
    const c = rest.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === 0 || rest.charCodeAt(i) !== 46) return undefined;
  return [Number(rest.slice(0, i)), rest.slice(i + 1)];
}

function at<T>(list: T[], index: number, make: () => T): T {
  return (list[index] ??= make());
}

const newContent = (): FlatContent => ({ toolCall: {} });
const newMessage = (): FlatMessage => ({ contents: [], toolCalls: [] });

/** Where a flattened message key (after `<list>.`) goes. */
type KeyPlace =
  | { readonly at: "message"; readonly index: number; readonly slot: string }
  | { readonly at: "content" | "toolCall"; readonly index: number; readonly inner: number; readonly slot: string };

/**
 * Parsed keys, per key table: the same flattened keys recur on every span, so each is parsed once. Bounded: the
 * cache starts over when full, so keys with huge indices cannot grow it.
 */
const MAX_CACHED_KEYS = 8192;
const keyCaches = new WeakMap<MessageKeyTable, Map<string, KeyPlace | null>>();

function parseMessageKey(rest: string, t: MessageKeyTable): KeyPlace | null {
  const split = splitIndex(rest);
  if (!split) return null;
  const [index, path] = split;
  const field = t.message.get(path);
  if (field !== undefined) return { at: "message", index, slot: field };
  for (const [prefix, at, slots] of [
    [t.contents, "content", t.content],
    [t.toolCalls, "toolCall", t.toolCall],
  ] as const) {
    if (!path.startsWith(prefix)) continue;
    const inner = splitIndex(path.slice(prefix.length));
    const slot = inner && (slots as ReadonlyMap<string, string>).get(inner[1]);
    return inner && slot !== undefined ? { at, index, inner: inner[0], slot } : null;
  }
  return null;
}

/**
 * Puts one flattened key (`key`, whose first `from` characters are `<list>.`) into `messages`; false when it is no
 * key of a message. Cached by the whole key: a span's keys are property names, already hashed.
 */
export function readMessageKey(
  messages: FlatMessage[],
  key: string,
  from: number,
  value: unknown,
  t: MessageKeyTable,
): boolean {
  let cache = keyCaches.get(t);
  if (!cache) keyCaches.set(t, (cache = new Map()));
  let place = cache.get(key);
  if (place === undefined) {
    place = parseMessageKey(key.slice(from), t);
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    cache.set(key, place);
  }
  if (place === null) return false;
  const message = at(messages, place.index, newMessage);
  if (place.at === "message") (message as unknown as Record<string, unknown>)[place.slot] = value;
  else if (place.at === "toolCall")
    (at(message.toolCalls, place.inner, () => ({})) as Record<string, unknown>)[place.slot] = value;
  else {
    const content = at(message.contents, place.inner, newContent);
    if (place.slot.startsWith("toolCall.")) (content.toolCall as Record<string, unknown>)[place.slot.slice(9)] = value;
    else (content as unknown as Record<string, unknown>)[place.slot] = value;
  }
  return true;
}

/** Arguments as GenAI records them: the parsed JSON object when the text is JSON, else the text. */
function argumentsValue(text: unknown): unknown {
  // Not a string (a caller's own value): as JSON data, so the messages stay plain data (see builtJson).
  if (typeof text !== "string") return parseJson(safeJsonStringify(text));
  const parsed = parseJson(text);
  return parsed === undefined ? text : parsed;
}

const DATA_URI = /^data:([^;,]+)?(?:;[^;,]*)*;base64,/;

/** A media URL as a GenAI part: a base64 data URI becomes a `blob`, anything else a `uri`. */
function mediaPart(url: string, modality: string, uriType: string, mimeType?: unknown): Record<string, unknown> {
  const data = DATA_URI.exec(url);
  if (data) {
    return { type: "blob", modality, ...(data[1] ? { mime_type: data[1] } : {}), content: url.slice(data[0].length) };
  }
  return { type: uriType, modality, ...(typeof mimeType === "string" ? { mime_type: mimeType } : {}), uri: url };
}

function toolCallPart(call: FlatToolCall, type: string): Record<string, unknown> | undefined {
  if (typeof call.name !== "string") return undefined;
  return {
    type,
    ...(typeof call.id === "string" ? { id: call.id } : {}),
    name: call.name,
    ...(call.arguments !== undefined ? { arguments: argumentsValue(call.arguments) } : {}),
  };
}

export interface ToGenAIMessageContext {
  readonly parts: readonly PartRule[];
  /** Where the messages came from (`llm.input_messages`), for the unmapped list. */
  readonly prefix: string;
  readonly fields: MessageFields;
  readonly unmapped: UnmappedAttribute[];
  /** For output messages: the finish reason every message gets (GenAI's vocabulary), else undefined. */
  readonly finishReason?: (message: JsonObject) => string;
}

/** OpenInference messages → GenAI's message objects (gaps in the indices are skipped). */
export function toGenAIMessages(
  messages: readonly (FlatMessage | undefined)[],
  c: ToGenAIMessageContext,
): JsonObject[] {
  const out: JsonObject[] = [];
  const partOf = (type: string) => c.parts.find((p) => p.openinference === type);
  const toolPart = c.parts.find((p) => p.openinference === "tool_use")?.genai ?? "tool_call";
  messages.forEach((m, i) => {
    if (m === undefined) return;
    const where = `${c.prefix}.${i}`;
    if (typeof m.role !== "string") {
      c.unmapped.push({
        key: `${where}.${c.fields.role}`,
        rule: TRANSLATION_RULES.VALUE,
        reason: "a GenAI message needs a role; this message has none",
      });
      return;
    }
    const parts: JsonObject[] = [];
    if (typeof m.content === "string") {
      parts.push(
        m.role === "tool"
          ? {
              type: "tool_call_response",
              ...(typeof m.toolCallId === "string" ? { id: m.toolCallId } : {}),
              response: m.content,
            }
          : { type: "text", content: m.content },
      );
    }
    m.contents.forEach((content, j) => {
      if (content === undefined) return;
      const type = typeof content.type === "string" ? content.type : undefined;
      const rule = type === undefined ? undefined : partOf(type);
      const key = `${where}.${c.fields.contents}.${j}`;
      let part: Record<string, unknown> | undefined;
      if (rule?.modality !== undefined) {
        const url =
          rule.modality === "image"
            ? content.imageUrl
            : rule.modality === "audio"
              ? content.audioUrl
              : content.videoUrl;
        if (typeof url === "string")
          part = mediaPart(
            url,
            rule.modality,
            rule.genai,
            rule.modality === "audio" ? content.audioMimeType : undefined,
          );
      } else if (rule?.genai === toolPart) {
        part = toolCallPart(content.toolCall, toolPart);
      } else if (rule !== undefined && typeof content.text === "string") {
        part = { type: rule.genai, content: content.text };
      }
      if (part) parts.push(part);
      else
        c.unmapped.push({
          key,
          rule: rule ? TRANSLATION_RULES.VALUE : TRANSLATION_RULES.NO_COUNTERPART,
          reason: rule
            ? `a ${type} part without its ${rule.modality ?? "text"}`
            : `GenAI has no part for message_content.type ${JSON.stringify(content.type)}`,
        });
    });
    m.toolCalls.forEach((call, j) => {
      if (call === undefined) return;
      const part = toolCallPart(call, toolPart);
      if (part) parts.push(part);
      else
        c.unmapped.push({
          key: `${where}.${c.fields.tool_calls}.${j}`,
          rule: TRANSLATION_RULES.VALUE,
          reason: "a GenAI tool call needs a name",
        });
    });
    if (typeof m.toolCallId === "string" && !(m.role === "tool" && typeof m.content === "string")) {
      c.unmapped.push({
        key: `${where}.${c.fields.tool_call_id}`,
        rule: TRANSLATION_RULES.NO_COUNTERPART,
        reason: "GenAI ties a tool call id only to a tool message's response",
      });
    }
    const message: JsonObject = { role: m.role, parts };
    if (typeof m.name === "string") message.name = m.name;
    if (c.finishReason) message.finish_reason = c.finishReason(message);
    out.push(message);
  });
  return out;
}

export interface ToOpenInferenceMessageContext {
  readonly parts: readonly PartRule[];
  readonly fields: MessageFields;
  /** The GenAI key the messages came from, for the unmapped list. */
  readonly source: string;
  readonly unmapped: UnmappedAttribute[];
  readonly out: Record<string, TranslatedValue>;
  /** The messages were parsed from JSON text here (so they hold plain data only). */
  readonly parsedFromText?: boolean;
}

/** Text of a part's value: a string as it is; other JSON with `serialise` (safe for a caller's structured value). */
let serialise: (value: unknown) => string = safeJsonStringify;
const asText = (value: unknown): string => (typeof value === "string" ? value : serialise(value));

/** The flattened keys of one OpenInference message, built once per list and index (see keys.ts). */
interface MessageKeys {
  readonly role: string;
  readonly content: string;
  readonly name: string;
  readonly toolCallId: string;
  readonly contentsPrefix: string;
  readonly toolCallsPrefix: string;
  readonly contents: ContentKeys[];
  readonly toolCalls: ToolCallKeys[];
}

interface ContentKeys {
  readonly type: string;
  readonly text: string;
  readonly imageUrl: string;
  readonly audioUrl: string;
  readonly audioMimeType: string;
  readonly videoUrl: string;
}

interface ToolCallKeys {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

const messageKeyCaches = new WeakMap<MessageFields, Map<string, MessageKeys[]>>();

function messageKeys(f: MessageFields, listPrefix: string, index: number): MessageKeys {
  let byList = messageKeyCaches.get(f);
  if (!byList) messageKeyCaches.set(f, (byList = new Map()));
  let cache = byList.get(listPrefix);
  if (!cache) byList.set(listPrefix, (cache = []));
  return (
    cache[index] ??
    elementKeys(cache, index, listPrefix, (p) => ({
      role: internalize(p + f.role),
      content: internalize(p + f.content),
      name: internalize(p + f.name),
      toolCallId: internalize(p + f.tool_call_id),
      contentsPrefix: `${p}${f.contents}.`,
      toolCallsPrefix: `${p}${f.tool_calls}.`,
      contents: [],
      toolCalls: [],
    }))
  );
}

function contentKeys(f: MessageFields, m: MessageKeys, index: number): ContentKeys {
  return (
    m.contents[index] ??
    elementKeys(m.contents, index, m.contentsPrefix, (p) => ({
      type: internalize(p + f.content_type),
      text: internalize(p + f.content_text),
      imageUrl: internalize(`${p}${f.content_image}.${f.image_url}`),
      audioUrl: internalize(`${p}${f.content_audio}.${f.audio_url}`),
      audioMimeType: internalize(`${p}${f.content_audio}.${f.audio_mime_type}`),
      videoUrl: internalize(`${p}${f.content_video}.${f.video_url}`),
    }))
  );
}

function toolCallKeys(f: MessageFields, m: MessageKeys, index: number): ToolCallKeys {
  return (
    m.toolCalls[index] ??
    elementKeys(m.toolCalls, index, m.toolCallsPrefix, (p) => ({
      id: internalize(p + f.tool_call_id_field),
      name: internalize(p + f.tool_call_name),
      arguments: internalize(p + f.tool_call_arguments),
    }))
  );
}

/**
 * GenAI messages → flattened OpenInference keys under `prefix`, from index `first`; returns the next index.
 * A message of one text part keeps OpenInference's plain `message.content`; a tool message's responses become
 * one OpenInference tool message each (OpenInference has one tool call id per message).
 */
export function toOpenInferenceMessages(
  messages: unknown,
  prefix: string,
  first: number,
  c: ToOpenInferenceMessageContext,
): number {
  // Parsed from JSON text, the messages are plain data: serialised directly (see builtJson).
  serialise = c.parsedFromText ? builtJson : safeJsonStringify;
  try {
    return readGenAIMessages(messages, prefix, first, c);
  } finally {
    serialise = safeJsonStringify;
  }
}

function readGenAIMessages(messages: unknown, prefix: string, first: number, c: ToOpenInferenceMessageContext): number {
  const list = jsonValue(messages);
  if (!Array.isArray(list)) {
    c.unmapped.push({ key: c.source, rule: TRANSLATION_RULES.VALUE, reason: "expected a JSON array of messages" });
    return first;
  }
  const f = c.fields;
  const listPrefix = `${prefix}.`;
  let index = first;
  // Plain loops (no closures per message and part): this runs for every message of every translated span.
  for (let i = 0; i < list.length; i++) {
    const message: unknown = list[i];
    if (!isPlainObject(message) || typeof message.role !== "string" || !Array.isArray(message.parts)) {
      c.unmapped.push({
        key: `${c.source}[${i}]`,
        rule: TRANSLATION_RULES.VALUE,
        reason: "a GenAI message needs a role and parts",
      });
      continue;
    }
    const role = message.role;
    const parts = message.parts as unknown[];
    let responses = 0;
    for (const part of parts) {
      if (!isPlainObject(part) || part.type !== "tool_call_response") continue;
      responses++;
      const k = messageKeys(f, listPrefix, index++);
      c.out[k.role] = role;
      if (typeof part.id === "string") c.out[k.toolCallId] = part.id;
      if (part.response !== undefined) c.out[k.content] = asText(part.response);
    }
    if (responses > 0 && responses === parts.length) continue;
    const k = messageKeys(f, listPrefix, index++);
    c.out[k.role] = role;
    if (typeof message.name === "string") c.out[k.name] = message.name;
    // One text part beside any tool calls (and tool results) is OpenInference's plain `message.content`.
    let contentParts = 0;
    let textPart: JsonObject | undefined;
    for (const part of parts) {
      if (isPlainObject(part) && (part.type === "tool_call" || part.type === "tool_call_response")) continue;
      contentParts++;
      if (isPlainObject(part) && part.type === "text") textPart = part;
    }
    const onlyText = contentParts === 1 && textPart !== undefined;
    let contentIndex = 0;
    let call = 0;
    for (let j = 0; j < parts.length; j++) {
      const part: unknown = parts[j];
      if (!isPlainObject(part) || typeof part.type !== "string") {
        c.unmapped.push({
          key: `${c.source}[${i}].parts[${j}]`,
          rule: TRANSLATION_RULES.VALUE,
          reason: "a part needs a type",
        });
        continue;
      }
      if (part.type === "tool_call_response") continue;
      if (part.type === "tool_call") {
        const t = toolCallKeys(f, k, call++);
        if (typeof part.id === "string") c.out[t.id] = part.id;
        if (typeof part.name === "string") c.out[t.name] = part.name;
        if (part.arguments !== undefined) c.out[t.arguments] = asText(part.arguments);
        continue;
      }
      if (onlyText) {
        c.out[k.content] = asText(part.content);
        continue;
      }
      const modality = typeof part.modality === "string" ? part.modality : undefined;
      const rule =
        c.parts.find((p) => p.genai === part.type && p.modality === modality) ??
        (part.type === "blob" ? c.parts.find((p) => p.modality !== undefined && p.modality === modality) : undefined);
      if (!rule || rule.genai === "tool_call") {
        c.unmapped.push({
          key: `${c.source}[${i}].parts[${j}]`,
          rule: TRANSLATION_RULES.NO_COUNTERPART,
          reason: `OpenInference has no content for a ${part.type}${modality ? ` ${modality}` : ""} part`,
        });
        continue;
      }
      const ck = contentKeys(f, k, contentIndex++);
      c.out[ck.type] = rule.openinference;
      if (rule.modality === undefined) {
        c.out[ck.text] = asText(part.content);
        continue;
      }
      const url =
        part.type === "blob"
          ? `data:${typeof part.mime_type === "string" ? part.mime_type : "application/octet-stream"};base64,${asText(part.content)}`
          : asText(part.uri);
      if (rule.modality === "image") c.out[ck.imageUrl] = url;
      else if (rule.modality === "audio") {
        c.out[ck.audioUrl] = url;
        if (typeof part.mime_type === "string") c.out[ck.audioMimeType] = part.mime_type;
      } else c.out[ck.videoUrl] = url;
    }
  }
  return index;
}
