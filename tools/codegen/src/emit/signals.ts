/**
 * Metric and event names: `export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = "gen_ai.client.token.usage";` and
 * `EVENT_…`, named as @opentelemetry/semantic-conventions names them, with their docs, instrument and unit.
 */
import {
  constant,
  stringLiteral,
  type CodeFile,
  type Declaration,
  type EventDefinition,
  type MetricDefinition,
  type Registry,
} from "@semtrace/spec/internal";
import { deprecationText, docContext, stabilityNote, type DocContext } from "./docs.js";

const INSTRUMENTS: Readonly<Record<string, string>> = {
  counter: "Counter",
  updowncounter: "UpDownCounter",
  gauge: "Gauge",
  histogram: "Histogram",
};

function signalDoc(
  signal: MetricDefinition | EventDefinition,
  what: "metric" | "event",
  extra: readonly string[],
  ctx: DocContext,
): string {
  const parts = [signal.brief.trim() || `The \`${signal.name}\` ${what}.`, ...extra];
  if (signal.note.trim()) parts.push(`@note ${signal.note.trim()}`);
  if (signal.stability !== ctx.registryStability && signal.stability !== "stable")
    parts.push(`@experimental This ${what} is not yet stable and may change.`);
  if (signal.deprecated) parts.push(`@deprecated ${deprecationText(signal.deprecated, ctx)}`);
  return parts.join("\n\n");
}

function metricConstant(metric: MetricDefinition, ctx: DocContext): Declaration {
  const instrument = INSTRUMENTS[metric.instrument] ?? metric.instrument;
  const facts = [
    instrument ? `Instrument: \`${instrument}\`` : undefined,
    metric.unit ? `unit: \`${metric.unit}\`` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(", ");
  return constant(metric.constName, stringLiteral(metric.name), {
    exported: true,
    doc: signalDoc(metric, "metric", facts ? [`${facts}.`] : [], ctx),
  });
}

function eventConstant(event: EventDefinition, ctx: DocContext): Declaration {
  return constant(event.constName, stringLiteral(event.name), {
    exported: true,
    doc: signalDoc(event, "event", [], ctx),
  });
}

/** One constant per name: two definitions of one metric (a refinement, a deprecated twin) share it, the first by id wins. */
function firstByName<T extends { readonly constName: string; readonly emitted: boolean }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => i.emitted && !seen.has(i.constName) && seen.add(i.constName) !== undefined);
}

export function emitSignals(registry: Registry): CodeFile[] {
  const ctx = docContext(registry);
  const note = stabilityNote(registry);
  const files: CodeFile[] = [];
  const metrics = firstByName(registry.metrics);
  if (metrics.length > 0) {
    files.push({
      kind: "code",
      path: "metrics.ts",
      doc: [`The metric names of the \`${registry.name}\` registry, one constant each.`, ...(note ? [note] : [])].join(
        "\n\n",
      ),
      declarations: metrics.map((m) => metricConstant(m, ctx)),
    });
  }
  const events = firstByName(registry.events);
  if (events.length > 0) {
    files.push({
      kind: "code",
      path: "events.ts",
      doc: [`The event names of the \`${registry.name}\` registry, one constant each.`, ...(note ? [note] : [])].join(
        "\n\n",
      ),
      declarations: events.map((e) => eventConstant(e, ctx)),
    });
  }
  return files;
}
