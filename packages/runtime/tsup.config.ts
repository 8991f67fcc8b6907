import { neutralLibrary } from "../../tsup.shared.ts";

// Two entries: `./internal` holds the code; the public entry re-exports part of it by package name (kept
// external), so ESM and CJS alike load one copy of the code whichever entries an application uses.
export default neutralLibrary({ entry: ["src/index.ts", "src/internal.ts"], external: ["@semtrace/runtime/internal"] });
