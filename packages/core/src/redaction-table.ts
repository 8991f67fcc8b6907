/**
 * What the spec says about hiding each attribute (spec/README.md §2.5): for every flattened key that carries
 * content or belongs to a redaction group, whether it carries content (`sensitivity: content`), and per
 * redaction group whether hiding masks the value (`__REDACTED__`) or removes the key. Indices are written `*`.
 *
 * Data, not code: test/redaction-table.test.ts derives the same table from spec/openinference and fails when
 * they differ, so it cannot drift from the spec. To refresh it after a spec change, run that test and copy
 * the expected value it prints.
 */

/** The redaction groups of spec/README.md §2.5, one per `OPENINFERENCE_HIDE_*` setting. */
export type RedactionGroup =
  | "inputs"
  | "outputs"
  | "input_messages"
  | "output_messages"
  | "input_text"
  | "output_text"
  | "input_images"
  | "output_images"
  | "embedding_vectors"
  | "embedding_text"
  | "llm_tools"
  | "invocation_parameters"
  | "prompts"
  | "choices";

export interface RedactionRule {
  /** The value may carry user or model content (`sensitivity: content`). */
  readonly content?: true;
  /** Groups that replace the value with `__REDACTED__`. */
  readonly mask?: readonly RedactionGroup[];
  /** Groups that remove the key. */
  readonly remove?: readonly RedactionGroup[];
}

export const REDACTION_TABLE: Readonly<Record<string, RedactionRule>> = {
  "annotations.*.annotation.explanation": { content: true },
  "embedding.embeddings.*.embedding.text": { content: true, mask: ["embedding_text"] },
  "embedding.embeddings.*.embedding.vector": { content: true, remove: ["embedding_vectors"] },
  "embedding.invocation_parameters": { content: true, mask: ["invocation_parameters"] },
  "evaluations.*.evaluation.explanation": { content: true },
  "input.images.*.image.url": { content: true, remove: ["input_images", "inputs"] },
  "input.mime_type": { remove: ["inputs"] },
  "input.value": { content: true, mask: ["inputs"] },
  "llm.choices.*.completion.text": { content: true, mask: ["choices"] },
  "llm.function_call": { content: true, mask: ["outputs"] },
  "llm.input_messages.*.message.role": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.content": { content: true, mask: ["input_text"], remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.message_content.type": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.message_content.text": {
    content: true,
    mask: ["input_text"],
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.image.image.url": {
    content: true,
    remove: ["input_images", "input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.image.format": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.message_content.audio.audio.url": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.audio.audio.mime_type": {
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.audio.audio.transcript": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.video.video.url": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.id": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.message_content.signature": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.message_content.data": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.message_content.encrypted_content": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.tool_call.id": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.tool_call.function.name": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.contents.*.tool_call.function.arguments": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.contents.*.tool_call.reasoning_signature": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.name": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.tool_call_id": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.tool_calls.*.tool_call.id": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.tool_calls.*.tool_call.function.name": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.tool_calls.*.tool_call.function.arguments": {
    content: true,
    remove: ["input_messages", "inputs"],
  },
  "llm.input_messages.*.message.tool_calls.*.tool_call.reasoning_signature": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.function_call_name": { remove: ["input_messages", "inputs"] },
  "llm.input_messages.*.message.function_call_arguments_json": { content: true, remove: ["input_messages", "inputs"] },
  "llm.invocation_parameters": { content: true, mask: ["invocation_parameters"] },
  "llm.output_messages.*.message.role": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.content": {
    content: true,
    mask: ["output_text"],
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.type": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.message_content.text": {
    content: true,
    mask: ["output_text"],
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.image.image.url": {
    content: true,
    remove: ["output_images", "output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.image.format": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.message_content.audio.audio.url": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.audio.audio.mime_type": {
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.audio.audio.transcript": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.video.video.url": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.id": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.message_content.signature": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.message_content.data": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.message_content.encrypted_content": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.tool_call.id": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.tool_call.function.name": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.contents.*.tool_call.function.arguments": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.contents.*.tool_call.reasoning_signature": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.name": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.tool_call_id": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.tool_calls.*.tool_call.id": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.tool_calls.*.tool_call.function.name": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.tool_calls.*.tool_call.function.arguments": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.tool_calls.*.tool_call.reasoning_signature": {
    remove: ["output_messages", "outputs"],
  },
  "llm.output_messages.*.message.function_call_name": { remove: ["output_messages", "outputs"] },
  "llm.output_messages.*.message.function_call_arguments_json": {
    content: true,
    remove: ["output_messages", "outputs"],
  },
  "llm.prompt_template.template": { content: true },
  "llm.prompt_template.variables": { content: true },
  "llm.prompts.*.prompt.text": { content: true, mask: ["prompts"] },
  "llm.tools.*.tool.json_schema": { content: true, remove: ["inputs", "llm_tools"] },
  "llm.tools.*.tool.name": { remove: ["inputs", "llm_tools"] },
  "llm.tools.*.tool.description": { remove: ["inputs", "llm_tools"] },
  "output.images.*.image.url": { content: true, remove: ["output_images", "outputs"] },
  "output.mime_type": { remove: ["outputs"] },
  "output.value": { content: true, mask: ["outputs"] },
  "reranker.input_documents.*.document.content": { content: true },
  "reranker.input_documents.*.document.metadata": { content: true },
  "reranker.output_documents.*.document.content": { content: true },
  "reranker.output_documents.*.document.metadata": { content: true },
  "reranker.query": { content: true },
  "retrieval.documents.*.document.content": { content: true },
  "retrieval.documents.*.document.metadata": { content: true },
  "session.annotations.*.annotation.explanation": { content: true },
  "session.evaluations.*.evaluation.explanation": { content: true },
  "tool.json_schema": { content: true },
  "tool.parameters": { content: true },
  "trace.annotations.*.annotation.explanation": { content: true },
  "trace.evaluations.*.evaluation.explanation": { content: true },
};
