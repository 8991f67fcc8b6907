#!/usr/bin/env node
// The `semtrace-codegen` bin npm links. It is committed, not built, so that `npm ci` on a fresh clone links it
// before dist/ exists (npm skips bins whose file is missing); the command itself is the build's dist/bin.js.
import "../dist/bin.js";
