/**
 * Context: `withContext` puts the session, user, metadata and tags on every span started inside (semtrace's own
 * and, through SemtraceContextSpanProcessor, other instrumentations' too); concurrent requests stay apart.
 */
import { trace } from "@opentelemetry/api";
import { SemtraceContextSpanProcessor, traceChain, withContext } from "@semtrace/core";
import { attributeLines, setupTracing } from "../shared/tracing.js";

const { spans } = setupTracing([new SemtraceContextSpanProcessor()]);

const handle = traceChain(async function handle(request: string) {
  // A span of another instrumentation, started with the plain OpenTelemetry API.
  trace.getTracer("db-instrumentation").startSpan(`SELECT ${request}`).end();
  return request.toUpperCase();
});

await Promise.all([
  withContext({ sessionId: "s-alice", userId: "alice", metadata: { tenant: "acme" }, tags: ["beta"] }, () =>
    handle("orders"),
  ),
  withContext({ sessionId: "s-bob", userId: "bob" }, () => handle("invoices")),
]);

for (const span of [...spans()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
  console.log(span.name);
  console.log(attributeLines(span, ["session.id", "user.id", "metadata", "tag.tags"]).join("\n"));
}
