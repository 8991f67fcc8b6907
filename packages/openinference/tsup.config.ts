import { neutralLibrary } from "../../tsup.shared.ts";

// Plain constants, builders and validators.
export default neutralLibrary();
