import { workspaceConfig } from "../../vitest.shared.ts";

// Type-checking generated code with the real compiler takes seconds (more on a busy machine, and beside the fuzz
// test, which keeps one core busy for a minute): 5 s, vitest's default, makes those tests flaky.
export default workspaceConfig(import.meta.url, { testTimeout: 60_000 });
