// Builds the playground's scripts and styles into agent/ProofAgent.Api/Playground/Generated (committed; the Api embeds
// it), so that `dotnet build` needs neither node nor the network. See README.md beside this file. The page itself
// (src/index.html) and the examples menu (the repository's examples/) are not copied: the Api embeds them from where
// they are.
//
//   node build.mjs           bundle, then write Generated/ and its SOURCES.sha256
//   node build.mjs --check   bundle into memory and fail if anything differs from the committed Generated/
//
// SOURCES.sha256 lists the SHA-256 of every input (this folder's scripts, styles and package files). The test "the
// committed playground bundle is built from its sources" recomputes it, so an edit to a source without a rebuild fails
// `dotnet test` even where node is absent.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const output = join(root, "agent", "ProofAgent.Api", "Playground", "Generated");
const check = process.argv.includes("--check");

const posix = (path) => path.split(sep).join("/");

function filesUnder(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)]))
    .filter((file) => statSync(file).isFile());
}

const ordinal = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Every input of the bundle, as paths relative to the repository root, in ordinal order. */
function inputs() {
  const files = [
    ...filesUnder(join(here, "src")).filter((file) => !file.endsWith(".html")),
    join(here, "build.mjs"),
    join(here, "build.sh"),
    join(here, "package.json"),
    join(here, "package-lock.json"),
  ];
  return files.map((f) => posix(relative(root, f))).sort(ordinal);
}

function sourcesDigest() {
  return inputs()
    .map((path) => `${createHash("sha256").update(readFileSync(join(root, path))).digest("hex")}  ${path}\n`)
    .join("");
}

/** The licence texts of the npm packages inside the bundle (their MIT licences ask for the notice to travel along). */
function licenses(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  return [...packages]
    .sort(ordinal)
    .map((name) => {
      const folder = join(here, "node_modules", name);
      const version = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).version;
      const file = readdirSync(folder).find((f) => /^licen[sc]e/i.test(f));
      return `${name}@${version}\n\n${file ? readFileSync(join(folder, file), "utf8").trim() : "(no licence file in the package)"}\n`;
    })
    .join("\n" + "-".repeat(78) + "\n\n");
}

async function build() {
  const result = await esbuild.build({
    entryPoints: [join(here, "src", "main.js")],
    bundle: true,
    minify: true,
    format: "esm",
    target: ["chrome110", "firefox115", "safari16"],
    legalComments: "none",
    charset: "utf8",
    write: false,
    metafile: true,
    outfile: "playground.js",
    banner: { js: "/* ProofAgent playground (web/playground). Bundled packages and their licences: playground.licenses.txt */" },
    logLevel: "warning",
  });
  const css = await esbuild.build({
    entryPoints: [join(here, "src", "playground.css")],
    bundle: true,
    minify: true,
    write: false,
    outfile: "playground.css",
    logLevel: "warning",
  });
  return {
    "playground.js": result.outputFiles[0].text,
    "playground.css": css.outputFiles[0].text,
    "playground.licenses.txt": licenses(result.metafile),
    "SOURCES.sha256": sourcesDigest(),
  };
}

const files = await build();
if (check) {
  const stale = Object.entries(files).filter(([name, text]) => !existsSync(join(output, name)) || readFileSync(join(output, name), "utf8") !== text);
  const extra = existsSync(output) ? readdirSync(output).filter((name) => !(name in files)) : [];
  if (stale.length > 0 || extra.length > 0) {
    console.error(`stale: ${[...stale.map(([n]) => n), ...extra].join(", ")} in ${posix(relative(root, output))} (run web/playground/build.sh)`);
    process.exit(1);
  }
  console.log(`up to date: ${posix(relative(root, output))}`);
} else {
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(output, name), text);
  const sizes = Object.entries(files).map(([name, text]) => `${name} ${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`);
  console.log(`built ${posix(relative(root, output))}: ${sizes.join(", ")}`);
}
