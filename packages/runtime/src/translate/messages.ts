/**
 * The structural part of a translation: OpenInference's flattened messages
 * (`llm.input_messages.<i>.message.contents.<j>.message_content.text`) ↔ GenAI's JSON messages
 * (`[{ role, parts: [{ type: "text", content }] }]`, upstream schemas gen-ai-input-messages.json and
 * gen-ai-output-messages.json). The key names come from the plan (the mapping's `message_fields`, checked
 * against the OpenInference registry), the part types from its `parts`.
 */
import { safeJsonStringify } from "../json.js";
import type { MessageFields, PartRule } from "./plan.js";
import { isPlainObject, jsonValue, parseJson, type TranslatedValue, type UnmappedAttribute } from "./values.js";

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
    contents: f.contents,
    toolCalls: f.tool_calls,
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

/** Puts one flattened key (after `<list>.`) into `messages`; false when it is no key of a message. */
export function readMessageKey(messages: FlatMessage[], rest: string, value: unknown, t: MessageKeyTable): boolean {
  const split = splitIndex(rest);
  if (!split) return false;
  const [index, path] = split;
  const field = t.message.get(path);
  if (field !== undefined) {
    (at(messages, index, newMessage) as unknown as Record<string, unknown>)[field] = value;
    return true;
  }
  if (path.startsWith(`${t.contents}.`)) {
    const inner = splitIndex(path.slice(t.contents.length + 1));
    const slot = inner && t.content.get(inner[1]);
    if (!inner || slot === undefined) return false;
    const content = at(at(messages, index, newMessage).contents, inner[0], newContent);
    if (slot.startsWith("toolCall.")) (content.toolCall as Record<string, unknown>)[slot.slice(9)] = value;
    else (content as unknown as Record<string, unknown>)[slot] = value;
    return true;
  }
  if (path.startsWith(`${t.toolCalls}.`)) {
    const inner = splitIndex(path.slice(t.toolCalls.length + 1));
    const slot = inner && t.toolCall.get(inner[1]);
    if (!inner || slot === undefined) return false;
    (at(at(messages, index, newMessage).toolCalls, inner[0], () => ({})) as Record<string, unknown>)[slot] = value;
    return true;
  }
  return false;
}

/** Arguments as GenAI records them: the parsed JSON object when the text is JSON, else the text. */
function argumentsValue(text: unknown): unknown {
  if (typeof text !== "string") return text;
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
  return { type, ...(typeof call.id === "string" ? { id: call.id } : {}), name: call.name, ...(call.arguments !== undefined ? { arguments: argumentsValue(call.arguments) } : {}) };
}

export interface ToGenAIMessageContext {
  readonly parts: readonly PartRule[];
  /** Where the messages came from (`llm.input_messages`), for the unmapped list. */
  readonly prefix: string;
  readonly fields: MessageFields;
  readonly unmapped: UnmappedAttribute[];
  /** For output messages: the finish reason every message gets (GenAI's vocabulary), else undefined. */
  readonly finishReason?: (message: Record<string, unknown>) => string;
}

/** OpenInference messages → GenAI's message objects (gaps in the indices are skipped). */
export function toGenAIMessages(messages: readonly (FlatMessage | undefined)[], c: ToGenAIMessageContext): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const partOf = (type: string) => c.parts.find((p) => p.openinference === type);
  const toolPart = c.parts.find((p) => p.openinference === "tool_use")?.genai ?? "tool_call";
  messages.forEach((m, i) => {
    if (m === undefined) return;
    const where = `${c.prefix}.${i}`;
    if (typeof m.role !== "string") {
      c.unmapped.push({ key: `${where}.${c.fields.role}`, reason: "a GenAI message needs a role; this message has none" });
      return;
    }
    const parts: Record<string, unknown>[] = [];
    if (typeof m.content === "string") {
      parts.push(m.role === "tool" ? { type: "tool_call_response", ...(typeof m.toolCallId === "string" ? { id: m.toolCallId } : {}), response: m.content } : { type: "text", content: m.content });
    }
    m.contents.forEach((content, j) => {
      if (content === undefined) return;
      const type = typeof content.type === "string" ? content.type : undefined;
      const rule = type === undefined ? undefined : partOf(type);
      const key = `${where}.${c.fields.contents}.${j}`;
      let part: Record<string, unknown> | undefined;
      if (rule?.modality !== undefined) {
        const url = rule.modality === "image" ? content.imageUrl : rule.modality === "audio" ? content.audioUrl : content.videoUrl;
        if (typeof url === "string") part = mediaPart(url, rule.modality, rule.genai, rule.modality === "audio" ? content.audioMimeType : undefined);
      } else if (rule?.genai === toolPart) {
        part = toolCallPart(content.toolCall, toolPart);
      } else if (rule !== undefined && typeof content.text === "string") {
        part = { type: rule.genai, content: content.text };
      }
      if (part) parts.push(part);
      else c.unmapped.push({ key, reason: rule ? `a ${type} part without its ${rule.modality ?? "text"}` : `GenAI has no part for message_content.type ${JSON.stringify(content.type)}` });
    });
    m.toolCalls.forEach((call, j) => {
      if (call === undefined) return;
      const part = toolCallPart(call, toolPart);
      if (part) parts.push(part);
      else c.unmapped.push({ key: `${where}.${c.fields.tool_calls}.${j}`, reason: "a GenAI tool call needs a name" });
    });
    if (typeof m.toolCallId === "string" && !(m.role === "tool" && typeof m.content === "string")) {
      c.unmapped.push({ key: `${where}.${c.fields.tool_call_id}`, reason: "GenAI ties a tool call id only to a tool message's response" });
    }
    const message: Record<string, unknown> = { role: m.role, parts };
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
}

const asText = (value: unknown): string => (typeof value === "string" ? value : safeJsonStringify(value));

/**
 * GenAI messages → flattened OpenInference keys under `prefix`, from index `first`; returns the next index.
 * A message of one text part keeps OpenInference's plain `message.content`; a tool message's responses become
 * one OpenInference tool message each (OpenInference has one tool call id per message).
 */
export function toOpenInferenceMessages(messages: unknown, prefix: string, first: number, c: ToOpenInferenceMessageContext): number {
  const list = jsonValue(messages);
  if (!Array.isArray(list)) {
    c.unmapped.push({ key: c.source, reason: "expected a JSON array of messages" });
    return first;
  }
  const f = c.fields;
  let index = first;
  list.forEach((message: unknown, i) => {
    const where = `${c.source}[${i}]`;
    if (!isPlainObject(message) || typeof message.role !== "string" || !Array.isArray(message.parts)) {
      c.unmapped.push({ key: where, reason: "a GenAI message needs a role and parts" });
      return;
    }
    const role = message.role;
    const parts = message.parts as unknown[];
    const responses = parts.filter((p) => isPlainObject(p) && p.type === "tool_call_response") as Record<string, unknown>[];
    const rest = parts.filter((p) => !(isPlainObject(p) && p.type === "tool_call_response"));
    for (const response of responses) {
      const at = `${prefix}.${index++}.`;
      c.out[at + f.role] = role;
      if (typeof response.id === "string") c.out[at + f.tool_call_id] = response.id;
      if (response.response !== undefined) c.out[at + f.content] = asText(response.response);
    }
    if (responses.length > 0 && rest.length === 0) return;
    const at = `${prefix}.${index++}.`;
    c.out[at + f.role] = role;
    if (typeof message.name === "string") c.out[at + f.name] = message.name;
    // One text part beside any tool calls is OpenInference's plain `message.content`.
    const content = rest.filter((p) => !(isPlainObject(p) && p.type === "tool_call"));
    const onlyText = content.length === 1 && isPlainObject(content[0]) && content[0].type === "text";
    let contentIndex = 0;
    let call = 0;
    rest.forEach((part, j) => {
      const partKey = `${where}.parts[${j}]`;
      if (!isPlainObject(part) || typeof part.type !== "string") {
        c.unmapped.push({ key: partKey, reason: "a part needs a type" });
        return;
      }
      if (part.type === "tool_call") {
        const k = `${at}${f.tool_calls}.${call++}.`;
        if (typeof part.id === "string") c.out[k + f.tool_call_id_field] = part.id;
        if (typeof part.name === "string") c.out[k + f.tool_call_name] = part.name;
        if (part.arguments !== undefined) c.out[k + f.tool_call_arguments] = asText(part.arguments);
        return;
      }
      if (onlyText) {
        c.out[at + f.content] = asText(part.content);
        return;
      }
      const modality = typeof part.modality === "string" ? part.modality : undefined;
      const rule = c.parts.find((p) => p.genai === part.type && p.modality === modality) ??
        (part.type === "blob" ? c.parts.find((p) => p.modality !== undefined && p.modality === modality) : undefined);
      if (!rule || rule.genai === "tool_call") {
        c.unmapped.push({ key: partKey, reason: `OpenInference has no content for a ${part.type}${modality ? ` ${modality}` : ""} part` });
        return;
      }
      const k = `${at}${f.contents}.${contentIndex++}.`;
      c.out[k + f.content_type] = rule.openinference;
      if (rule.modality === undefined) {
        c.out[k + f.content_text] = asText(part.content);
        return;
      }
      const url = part.type === "blob"
        ? `data:${typeof part.mime_type === "string" ? part.mime_type : "application/octet-stream"};base64,${asText(part.content)}`
        : asText(part.uri);
      if (rule.modality === "image") c.out[`${k}${f.content_image}.${f.image_url}`] = url;
      else if (rule.modality === "audio") {
        c.out[`${k}${f.content_audio}.${f.audio_url}`] = url;
        if (typeof part.mime_type === "string") c.out[`${k}${f.content_audio}.${f.audio_mime_type}`] = part.mime_type;
      } else c.out[`${k}${f.content_video}.${f.video_url}`] = url;
    });
  });
  return index;
}
