import { workspaceConfig } from "../../vitest.shared.ts";

// Several tests type-check generated code with the real compiler: seconds each on a busy machine, not milliseconds.
export default workspaceConfig(import.meta.url, { testTimeout: 60_000 });
