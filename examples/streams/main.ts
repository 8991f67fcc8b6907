/**
 * Streams: a traced function returning an async generator keeps its span open until the stream ends; the span
 * records the first-chunk event, the chunk count and the concatenated output.
 */
import { traceLLM } from "@semtrace/core";
import { setupTracing } from "../shared/tracing.js";

const { spans } = setupTracing();

const stream = traceLLM(async function* streamAnswer(question: string) {
  for (const word of ["Typed", " semantic", " conventions", ` for ${question}.`]) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield word;
  }
});

let text = "";
for await (const chunk of stream("AI tracing")) text += chunk;
console.log(`read: ${text}`);

const [span] = spans();
console.log(`span ${span!.name} ended after the stream: ${span!.ended}`);
console.log(`events: ${span!.events.map((e) => e.name).join(", ")}`);
console.log(`chunks = ${String(span!.attributes["semtrace.stream.chunks"])}`);
console.log(`output.value = ${String(span!.attributes["output.value"])}`);
console.log(
  `time to first chunk recorded: ${typeof span!.attributes["semtrace.stream.time_to_first_chunk_ms"] === "number"}`,
);
