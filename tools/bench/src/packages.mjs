/**
 * The repo's generated packages, found the way the repo defines them: a folder under spec/ whose
 * manifest.yaml names `codegen.package`, and the packages/* workspace of that name whose `generate` script is
 * `semtrace-codegen generate --spec <dir> --out <dir> ...` (or `semtrace generate …`; paths relative to the package folder).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

const subfolders = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(dir, e.name))
        .sort()
    : [];

/**
 * `codegen.package` of a manifest, read without a YAML dependency: the `package:` entry directly under the
 * top-level `codegen:` mapping (block style, as every manifest in spec/ is written).
 */
export function manifestPackage(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^codegen:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  let indent;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const lead = line.length - line.trimStart().length;
    if (lead === 0) break;
    indent ??= lead;
    if (lead !== indent) continue;
    const m = /^\s*package:\s*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/.exec(line);
    if (m) return m[1] ?? m[2] ?? m[3];
  }
  return undefined;
}

/** Splits a script's command line (double/single quotes honoured, no other shell syntax). */
function splitArgs(command) {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * Every spec/<name> with `codegen.package`, paired with its package's `generate` arguments.
 * Returns { targets, problems }: a target is { name, specDir, packageName, packageDir, args, specArg, outArg }.
 */
export function generateTargets(repoRoot) {
  const packages = new Map();
  for (const dir of subfolders(join(repoRoot, "packages"))) {
    const file = join(dir, "package.json");
    if (existsSync(file))
      packages.set(JSON.parse(readFileSync(file, "utf8")).name, {
        dir,
        manifest: JSON.parse(readFileSync(file, "utf8")),
      });
  }
  const targets = [];
  const problems = [];
  for (const specDir of subfolders(join(repoRoot, "spec"))) {
    const manifestFile = ["manifest.yaml", "manifest.yml"].map((f) => join(specDir, f)).find((f) => existsSync(f));
    if (!manifestFile) continue;
    const packageName = manifestPackage(readFileSync(manifestFile, "utf8"));
    if (!packageName) continue;
    const pkg = packages.get(packageName);
    const where = relative(repoRoot, manifestFile);
    if (!pkg) {
      problems.push(`${where} names ${packageName}, but no packages/* workspace has that name`);
      continue;
    }
    const script = pkg.manifest.scripts?.generate;
    const m = script && /^\s*semtrace(?:-codegen)?\s+generate\s+(.*)$/.exec(script);
    if (!m) {
      problems.push(
        `${packageName}: no \`generate\` script of the form \`semtrace-codegen generate --spec <dir> --out <dir>\``,
      );
      continue;
    }
    const args = splitArgs(m[1]);
    const value = (flag) => {
      const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
      if (i < 0) return undefined;
      return args[i].includes("=") ? args[i].slice(flag.length + 1) : args[i + 1];
    };
    const specArg = value("--spec");
    const outArg = value("--out");
    if (!specArg || !outArg) {
      problems.push(`${packageName}: \`generate\` script lacks --spec or --out: ${script}`);
      continue;
    }
    if (resolve(pkg.dir, specArg) !== specDir) {
      problems.push(
        `${packageName}: \`generate\` reads ${specArg}, not ${relative(pkg.dir, specDir)} (the registry naming this package)`,
      );
    }
    targets.push({
      name: relative(repoRoot, specDir),
      specDir,
      packageName,
      packageDir: pkg.dir,
      args,
      specArg,
      outArg,
      script,
    });
  }
  return { targets, problems };
}

/**
 * A throw-away mirror of the repo for one target, so the package's own command line runs unchanged (same
 * relative paths, hence the same banner in every file) without touching committed files: the registry folder
 * and the package's committed output folder are copied to the same relative places under `tmpRoot`.
 * Returns { cwd, outDir, reset(), committedFiles }: reset() restores the committed output before each run.
 */
export function mirrorTarget(repoRoot, tmpRoot, target) {
  const inside = (abs) => {
    const rel = relative(repoRoot, abs);
    if (rel.startsWith("..") || isAbsolute(rel))
      throw new Error(`${target.packageName}: ${abs} is outside the repository`);
    return join(tmpRoot, rel);
  };
  const cwd = inside(target.packageDir);
  mkdirSync(cwd, { recursive: true });
  const specCopy = inside(resolve(target.packageDir, target.specArg));
  if (!existsSync(specCopy)) cpSync(resolve(target.packageDir, target.specArg), specCopy, { recursive: true });
  const committed = resolve(target.packageDir, target.outArg);
  const outDir = inside(committed);
  const committedFiles = existsSync(committed) ? readdirSync(committed, { recursive: true }).length : 0;
  const reset = () => {
    rmSync(outDir, { recursive: true, force: true });
    if (existsSync(committed)) cpSync(committed, outDir, { recursive: true });
    else mkdirSync(dirname(outDir), { recursive: true });
  };
  return { cwd, outDir, reset, committedFiles };
}
