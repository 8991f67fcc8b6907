import { neutralLibrary } from "../../tsup.shared.ts";

export default neutralLibrary();
