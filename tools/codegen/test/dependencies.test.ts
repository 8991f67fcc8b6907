/**
 * `dependencies:` as real registries write them, each kind end to end through `buildRegistry`: a local folder
 * (relative to the manifest), a registry inside an installed npm package, a .zip and a .tar.gz served by an HTTP
 * server on 127.0.0.1, a git revision of a bare repository made here; fetched once into the cache; overrides and
 * offline; `imports:`; and every cap (download, entries, extracted bytes, unsafe paths), after which nothing is
 * left in the cache.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRegistry, type BuildResult } from "../src/index.js";
import type { DependencyOptions } from "@semtrace/spec/internal";
import { tarGz, zipArchive, type ArchiveEntry } from "./helpers/archives.js";

const BASE_MANIFEST = "name: acme\ndescription: Acme's conventions.\nschema_url: https://acme.example/schemas/1.2.0\n";
const BASE_ATTRIBUTES = `groups:
  - id: registry.acme
    type: attribute_group
    brief: Acme attributes.
    attributes:
      - id: acme.widget.count
        type: int
        stability: development
        brief: Number of widgets.
        examples: [3]
      - id: acme.widget.kind
        type:
          members:
            - id: round
              value: round
              stability: development
        stability: development
        brief: Kind of widget.
  - id: metric.acme.widget.duration
    type: metric
    metric_name: acme.widget.duration
    instrument: histogram
    unit: s
    stability: development
    brief: Time to make a widget.
    attributes:
      - ref: acme.widget.kind
`;

function appFiles(registryPath: string, extra = ""): Record<string, string> {
  return {
    "registry_manifest.yaml": `name: app\ndescription: The app.\nschema_url: https://app.example/schemas/0.1.0\ndependencies:\n  - schema_url: https://acme.example/schemas/1.2.0\n    registry_path: ${JSON.stringify(registryPath)}\n${extra}`,
    "app.yaml": `groups:
  - id: registry.app
    type: attribute_group
    brief: App attributes.
    attributes:
      - id: app.user.tier
        type: string
        stability: development
        brief: Tier of the user.
  - id: span.app.order
    type: span
    span_kind: internal
    stability: development
    brief: Placing an order.
    attributes:
      - ref: app.user.tier
      - ref: acme.widget.count
        requirement_level: required
imports:
  metrics:
    - acme.*
`,
  };
}

async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
}

let tmp: string;
let server: Server;
let baseUrl: string;
const served = new Map<string, Buffer>();
const requests: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "semtrace-deps-"));
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = served.get(req.url ?? "");
    if (!body) {
      res.writeHead(404).end("not found");
      return;
    }
    // No content-length for the "undeclared" paths: the cap must hold on the bytes that really come.
    if (req.url?.includes("undeclared")) res.writeHead(200, { "content-type": "application/octet-stream" });
    else res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(tmp, { recursive: true, force: true });
});

let counter = 0;
async function build(
  files: Record<string, string>,
  options: DependencyOptions = {},
  layout: Record<string, string | Buffer> = {},
): Promise<{ result: BuildResult; root: string; cache: string }> {
  const root = path.join(tmp, `case-${++counter}`);
  await writeTree(root, layout);
  await writeTree(path.join(root, "app"), files);
  const cache = options.cacheDir ?? path.join(root, "cache");
  const result = await buildRegistry(path.join(root, "app"), {
    dependencies: { cacheDir: cache, overrides: new Map(), ...options },
  });
  return { result, root, cache };
}

function errors(result: BuildResult) {
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.id}: ${d.message}`);
}

/** The app resolved against Acme: refs found, Acme's attributes known but not the app's constants, the metric imported. */
function expectResolved(result: BuildResult): void {
  expect(errors(result)).toEqual([]);
  const registry = result.registry!;
  const count = registry.attributes.find((a) => a.key === "acme.widget.count");
  expect(count).toMatchObject({ from: "acme", emitted: false, type: { kind: "primitive", name: "int" } });
  expect(registry.spans[0]!.attributes.map((u) => `${u.key}:${u.requirementLevel.level}`)).toEqual([
    "app.user.tier:recommended",
    "acme.widget.count:required",
  ]);
  const constants = result.files.get("attributes.ts")!;
  expect(constants).toContain('ATTR_APP_USER_TIER = "app.user.tier"');
  expect(constants).not.toContain("ACME_WIDGET");
  expect(result.files.get("metrics.ts")).toContain('METRIC_ACME_WIDGET_DURATION = "acme.widget.duration"');
  // The dependency's attributes are the validator's to know: a wrong type on a borrowed key is found.
  expect(result.files.get("validators.ts")).toContain('"acme.widget.count"');
}

const acmeTree = (prefix: string): ArchiveEntry[] => [
  { name: `${prefix}/` },
  { name: `${prefix}/model/` },
  { name: `${prefix}/model/manifest.yaml`, data: BASE_MANIFEST },
  { name: `${prefix}/model/acme.yaml`, data: BASE_ATTRIBUTES },
  { name: `${prefix}/README.md`, data: "# Acme\n" },
];

describe("dependencies", () => {
  it("reads a local folder relative to the manifest, whatever the working directory", async () => {
    const { result } = await build(
      appFiles("../acme"),
      {},
      { "acme/manifest.yaml": BASE_MANIFEST, "acme/acme.yaml": BASE_ATTRIBUTES },
    );
    expectResolved(result);
    expect(result.diagnostics.filter((d) => d.id === "manifest.legacy-name")).toHaveLength(1);
  });

  it("reads a registry shipped inside an installed npm package (npm:<package>/<folder>)", async () => {
    const { result } = await build(
      appFiles("npm:@acme/semconv/model"),
      {},
      {
        "node_modules/@acme/semconv/package.json": '{"name":"@acme/semconv","version":"1.2.0"}',
        "node_modules/@acme/semconv/model/manifest.yaml": BASE_MANIFEST,
        "node_modules/@acme/semconv/model/acme.yaml": BASE_ATTRIBUTES,
      },
    );
    expectResolved(result);
  });

  it("says which package is missing, and how to point the dependency elsewhere", async () => {
    const { result } = await build(appFiles("npm:@acme/not-installed/model"));
    expect(errors(result)).toEqual([
      expect.stringMatching(
        /^dependency\.unresolved: .*npm package @acme\/not-installed is not installed.*--dependency <name>=<dir>/,
      ),
    ]);
    expect(result.diagnostics.find((d) => d.id === "dependency.unresolved")!.location.file).toMatch(
      /registry_manifest\.yaml$/,
    );
  });

  for (const format of ["zip", "tar.gz"] as const) {
    it(`downloads a .${format} from a URL once into the cache, strips its top folder and takes the [folder]`, async () => {
      const url = `/acme-1.2.0.${format}`;
      served.set(url, format === "zip" ? zipArchive(acmeTree("acme-1.2.0")) : await tarGz(acmeTree("acme-1.2.0")));
      const cache = path.join(tmp, `shared-cache-${format}`);
      const before = requests.length;
      const first = await build(appFiles(`${baseUrl}${url}[model]`), { cacheDir: cache });
      expectResolved(first.result);
      const second = await build(appFiles(`${baseUrl}${url}[model]`), { cacheDir: cache });
      expectResolved(second.result);
      expect(requests.slice(before)).toEqual([url]);
      // Offline, the cached copy serves.
      expectResolved((await build(appFiles(`${baseUrl}${url}[model]`), { cacheDir: cache, offline: true })).result);
    });
  }

  it("checks out a git tag of a bare repository (…@v1.2.0[model]) once into the cache", async () => {
    const work = path.join(tmp, "git-work");
    const bare = path.join(tmp, "acme.git");
    await writeTree(work, {
      "model/manifest.yaml": BASE_MANIFEST,
      "model/acme.yaml": BASE_ATTRIBUTES,
      "README.md": "# Acme\n",
    });
    const git = (cwd: string, ...args: string[]) =>
      execFileSync(
        "git",
        ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", ...args],
        { cwd, stdio: "pipe" },
      );
    git(tmp, "init", "-q", "--bare", bare);
    git(work, "init", "-q");
    git(work, "add", ".");
    git(work, "commit", "-qm", "acme 1.2.0");
    git(work, "tag", "v1.2.0");
    // A later commit on the branch: the tag, not the tip, must be what is read.
    await writeFile(path.join(work, "model/acme.yaml"), "groups: []\n");
    git(work, "commit", "-qam", "next");
    git(work, "push", "-q", bare, "main", "v1.2.0");
    const cache = path.join(tmp, "git-cache");
    const first = await build(appFiles(`file://${bare}@v1.2.0[model]`), { cacheDir: cache });
    expectResolved(first.result);
    expect(await readdir(cache)).toHaveLength(1);
    // Cached: the repository may be gone.
    await rm(bare, { recursive: true });
    expectResolved((await build(appFiles(`file://${bare}@v1.2.0[model]`), { cacheDir: cache })).result);
  });

  it("points any dependency at a local folder (--dependency <key>=<dir>) and, offline, never fetches", async () => {
    const layout = { "local/acme/manifest.yaml": BASE_MANIFEST, "local/acme/acme.yaml": BASE_ATTRIBUTES };
    const before = requests.length;
    // The name Weaver derives from the schema URL, the schema URL itself, or the registry_path as written.
    for (const key of ["acme.example/schemas", "https://acme.example/schemas/1.2.0", `${baseUrl}/never.zip[model]`]) {
      const root = path.join(tmp, `override-${key.length}`);
      await writeTree(root, layout);
      const { result } = await build(appFiles(`${baseUrl}/never.zip[model]`), {
        overrides: new Map([[key, path.join(root, "local/acme")]]),
        offline: true,
      });
      expectResolved(result);
    }
    expect(requests.length).toBe(before);
    const { result } = await build(appFiles(`${baseUrl}/never.zip[model]`), { offline: true });
    expect(errors(result)).toEqual([
      expect.stringMatching(/^dependency\.unresolved: .*not in the registry cache .* fetching is off \(--offline\)/),
    ]);
    expect(requests.length).toBe(before);
  });

  it("reports a missing folder and a dependency cycle, and warns of an unmatched import (as Weaver does)", async () => {
    const missing = await build(appFiles("../nowhere"));
    expect(errors(missing.result)).toEqual([
      expect.stringMatching(/^dependency\.unresolved: .*relative to the manifest's folder/),
    ]);
    const unmatched = await build(
      { ...appFiles("../acme"), "more.yaml": "imports:\n  events:\n    - acme.nothing\n" },
      {},
      { "acme/manifest.yaml": BASE_MANIFEST, "acme/acme.yaml": BASE_ATTRIBUTES },
    );
    expect(errors(unmatched.result)).toEqual([]);
    expect(
      unmatched.result.diagnostics.filter((d) => d.id === "import.unmatched").map((d) => `${d.severity} ${d.message}`),
    ).toEqual([expect.stringMatching(/^warning `imports\.events` pattern `acme\.nothing`/)]);
    const cycle = await build(
      appFiles("../acme"),
      {},
      {
        "acme/manifest.yaml": `${BASE_MANIFEST}dependencies:\n  - schema_url: https://app.example/schemas/0.1.0\n    registry_path: ../app\n`,
        "acme/acme.yaml": BASE_ATTRIBUTES,
      },
    );
    expect(errors(cycle.result)).toEqual([expect.stringMatching(/^dependency\.cycle: /)]);
  });
});

describe("fetch caps", () => {
  const attempt = async (
    name: string,
    archive: Buffer,
    format: "zip" | "tar.gz",
    limits: DependencyOptions["fetchLimits"] = {},
  ) => {
    const url = `/${name}.${format}`;
    served.set(url, archive);
    const cache = path.join(tmp, `cap-cache-${name}`);
    const { result } = await build(appFiles(`${baseUrl}${url}[model]`), { cacheDir: cache, fetchLimits: limits });
    const left = await readdir(cache).catch(() => []);
    return { errors: errors(result), left };
  };

  it("refuses a download over --max-download-bytes, declared or not", async () => {
    const archive = zipArchive(acmeTree("acme"));
    for (const name of ["declared", "undeclared"]) {
      const { errors: found, left } = await attempt(name, archive, "zip", { maxDownloadBytes: 200 });
      expect(found).toEqual([
        expect.stringMatching(/^dependency\.too-large: .* over the 200 bytes a download may have/),
      ]);
      expect(left).toEqual([]);
    }
  });

  it("refuses an archive with more entries than --max-archive-entries", async () => {
    const many = [
      ...acmeTree("acme"),
      ...Array.from({ length: 50 }, (_, i) => ({ name: `acme/docs/${i}.md`, data: "x" })),
    ];
    const { errors: found, left } = await attempt("many", await tarGz(many), "tar.gz", { maxArchiveEntries: 20 });
    expect(found).toEqual([expect.stringMatching(/^dependency\.too-large: .* more than 20 entries/)]);
    expect(left).toEqual([]);
  });

  it("refuses a zip bomb (honest or lying headers) and a gzip bomb over --max-extracted-bytes", async () => {
    const zeros = Buffer.alloc(8 * 1024 * 1024);
    const honest = zipArchive([...acmeTree("acme"), { name: "acme/model/big.bin", data: zeros }]);
    const lying = zipArchive([...acmeTree("acme"), { name: "acme/model/big.bin", data: zeros, declaredSize: 10 }]);
    expect(honest.length).toBeLessThan(64 * 1024);
    for (const [name, archive] of [
      ["honest-bomb", honest],
      ["lying-bomb", lying],
    ] as const) {
      const { errors: found, left } = await attempt(name, archive, "zip", { maxExtractedBytes: 1024 * 1024 });
      expect(found, name).toEqual([
        expect.stringMatching(/^dependency\.too-large: .*(more than 1048576 bytes|inflates past the size it declares)/),
      ]);
      expect(left).toEqual([]);
    }
    const { errors: found } = await attempt(
      "gzip-bomb",
      await tarGz([...acmeTree("acme"), { name: "acme/model/big.bin", data: zeros }]),
      "tar.gz",
      { maxExtractedBytes: 1024 * 1024 },
    );
    expect(found).toEqual([expect.stringMatching(/^dependency\.too-large: .*more than 1048576 bytes/)]);
  });

  it("refuses entries that climb out, absolute paths and links, writing nothing outside", async () => {
    const cases: [string, Buffer, "zip" | "tar.gz"][] = [
      ["zip-dotdot", zipArchive([...acmeTree("acme"), { name: "acme/../../escaped.yaml", data: "x" }]), "zip"],
      ["zip-absolute", zipArchive([...acmeTree("acme"), { name: "/tmp/escaped.yaml", data: "x" }]), "zip"],
      [
        "zip-symlink",
        zipArchive([...acmeTree("acme"), { name: "acme/model/link.yaml", data: "/etc/passwd", mode: 0o120777 }]),
        "zip",
      ],
      ["tar-dotdot", await tarGz([...acmeTree("acme"), { name: "acme/../../escaped.yaml", data: "x" }]), "tar.gz"],
      [
        "tar-symlink",
        await tarGz([...acmeTree("acme"), { name: "acme/model/link.yaml", type: "symlink", linkname: "/etc/passwd" }]),
        "tar.gz",
      ],
    ];
    for (const [name, archive, format] of cases) {
      const { errors: found, left } = await attempt(name, archive, format);
      expect(found, name).toEqual([
        expect.stringMatching(
          /^dependency\.unsafe-path: .*(outside|symbolic link|symlink|invalid relative path|absolute path)/,
        ),
      ]);
      expect(left, name).toEqual([]);
    }
    expect(await readdir(tmp)).not.toContain("escaped.yaml");
  });
});

describe("a broken dependency", () => {
  it("is reported where it is broken: a ref inside it that leads nowhere", async () => {
    const broken = BASE_ATTRIBUTES.replace("      - ref: acme.widget.kind", "      - ref: acme.widget.knd");
    const { result } = await build(
      appFiles("../acme"),
      {},
      { "acme/manifest.yaml": BASE_MANIFEST, "acme/acme.yaml": broken },
    );
    expect(
      result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.id} ${path.basename(d.location.file)}`),
    ).toEqual(["ref.unresolved acme.yaml"]);
  });
});
