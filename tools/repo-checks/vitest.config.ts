import { workspaceConfig } from "../../vitest.shared.ts";

// npm pack, type resolution and the generator in a child process take seconds, not milliseconds.
export default workspaceConfig(import.meta.url, { testTimeout: 120_000 });
