import { neutralLibrary } from "../../tsup.shared.ts";

// Context propagation goes through @opentelemetry/api's context manager: no Node-only APIs here either.
export default neutralLibrary({ external: ["@opentelemetry/api", "@semtrace/openinference", "@semtrace/runtime"] });
