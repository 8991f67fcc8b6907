/** Captures what core reports through OpenTelemetry's `diag` in the tests of the enclosing `describe`. */
import { DiagLogLevel, diag } from "@opentelemetry/api";
import { afterEach, beforeEach } from "vitest";
import { resetSwallowed } from "../../src/swallowed.js";

/** The warnings of each test (cleared before it, with core's "reported once" memory), the logger removed after it. */
export function captureDiagWarnings(): string[] {
  const messages: string[] = [];
  beforeEach(() => {
    messages.length = 0;
    resetSwallowed();
    diag.setLogger(
      { error: () => {}, warn: (m) => void messages.push(m), info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  });
  afterEach(() => diag.disable());
  return messages;
}
