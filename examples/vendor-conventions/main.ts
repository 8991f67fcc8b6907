/**
 * A vendor's own conventions with their own generated package: `mycompany.*` written as YAML (spec/), generated
 * with the codegen bin into generated/ (`npm run generate -w @semtrace/examples`; committed, drift-checked), then
 * used beside OpenInference: typed constants and builder for the span, the vendor's validator in a
 * ValidatingSpanProcessor next to OpenInference's.
 */
import { trace } from "@opentelemetry/api";
import { ValidatingSpanProcessor } from "@semtrace/core";
import { openinferenceRegistry } from "@semtrace/openinference";
import {
  ATTR_MYCOMPANY_OPERATION,
  ATTR_MYCOMPANY_ROUTE_CANDIDATES,
  MYCOMPANY_OPERATION_VALUE_ROUTE,
  buildRouteAttributes,
  mycompanyRegistry,
} from "./generated/index.js";
import { attributeLines, setupTracing } from "../shared/tracing.js";

const validating = new ValidatingSpanProcessor({
  mode: "collect",
  registries: [openinferenceRegistry, mycompanyRegistry],
});
const { spans } = setupTracing([validating]);
const tracer = trace.getTracer("router");

function route(tenant: string): string {
  const model = tenant === "acme" ? "gpt-4o-mini" : "claude-sonnet-4-5";
  const attributes = {
    [ATTR_MYCOMPANY_OPERATION]: MYCOMPANY_OPERATION_VALUE_ROUTE,
    ...buildRouteAttributes({ tenant: { id: tenant }, route: { model, candidates: 3 } }),
  };
  tracer.startActiveSpan("route", { attributes }, (span) => span.end());
  return model;
}

console.log(`routed to ${route("acme")}`);
console.log(attributeLines(spans()[0]!).join("\n"));

// A route span written by hand that forgot the tenant and wrote the candidates as text: the vendor's conventions say so.
tracer
  .startSpan("route-by-hand", {
    attributes: {
      [ATTR_MYCOMPANY_OPERATION]: "route",
      "mycompany.route.model": "gpt-4o-mini",
      [ATTR_MYCOMPANY_ROUTE_CANDIDATES]: "3",
    },
  })
  .end();

for (const result of validating.results) {
  for (const f of result.findings.filter((f) => f.severity === "error"))
    console.log(`${result.spanName}: error ${f.rule} ${f.key}`);
}
console.log(`spans with findings: ${validating.results.map((r) => r.spanName).join(", ")}`);
