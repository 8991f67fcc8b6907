import { neutralLibrary } from "../../tsup.shared.ts";

// The generated translation functions and the exporter wrapper.
export default neutralLibrary();
