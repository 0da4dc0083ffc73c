#!/usr/bin/env node
// Build Community Voice's front-end assets into static/.
//
//   assets/scss/main.scss                         -> static/css/main.css (compressed)
//   govuk-frontend/dist/govuk/govuk-frontend.min.js(.map) -> static/govuk/
//   govuk-frontend/dist/govuk/assets/             -> static/govuk/assets/
//     EXCEPT the GDS Transport fonts, the crown/crest images, the GOV.UK
//     icons and the GOV.UK web app manifest: this is not a GOV.UK service.
//
// Idempotent: static/govuk/ is rebuilt from scratch each run, files are
// overwritten. Exits non-zero on any failure. Needs only `sass`.

import { cp, mkdir, readdir, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rel = (p) => path.relative(root, p).split(path.sep).join("/");

const nodeModules = path.join(root, "node_modules");
const govukDist = path.join(nodeModules, "govuk-frontend", "dist", "govuk");

const scssEntry = path.join(root, "assets", "scss", "main.scss");
const cssOut = path.join(root, "static", "css", "main.css");
const govukOut = path.join(root, "static", "govuk");

// Paths relative to dist/govuk/assets/ that must never be shipped.
// Matched against "/"-separated relative paths; a directory match excludes
// everything beneath it.
const EXCLUDED_ASSETS = [
  /^fonts(\/|$)/, // GDS Transport (licensed for GOV.UK only)
  /^images\/govuk-crest\.svg$/, // royal crest (footer "Crown copyright")
  /^images\/govuk-icon-[^/]*$/, // crown app icons and mask icon
  /^images\/govuk-opengraph-image\.png$/, // crown social-sharing image
  /^images\/favicon\.(ico|svg)$/, // crown favicons (ours: static/images/favicon.svg)
  /^manifest\.json$/, // GOV.UK web app manifest, points at the crown icons
  /(^|\/)[^/]*crown[^/]*$/i, // belt and braces: anything else named "crown"
];

const written = [];

async function record(file) {
  const { size } = await stat(file);
  written.push({ file: rel(file), size });
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function buildCss() {
  const result = await sass.compileAsync(scssEntry, {
    style: "compressed",
    loadPaths: [nodeModules],
    quietDeps: true,
    sourceMap: false,
  });
  await mkdir(path.dirname(cssOut), { recursive: true });
  await writeFile(cssOut, result.css + "\n");
  await record(cssOut);

  // Guard rails: fail the build rather than ship GOV.UK branding by mistake.
  if (/GDS Transport/i.test(result.css)) {
    throw new Error("built CSS mentions \"GDS Transport\": check $govuk-font-family");
  }
  if (/@font-face/i.test(result.css)) {
    throw new Error("built CSS contains an @font-face rule: check $govuk-include-default-font-face");
  }
  return result.css;
}

// Every url() in the CSS must be a data: URL or a file this build wrote under
// static/ (so nothing points at an asset we chose not to ship).
function checkCssUrls(css) {
  const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]);
  const missing = urls.filter((u) => {
    if (u.startsWith("data:")) return false;
    if (!u.startsWith("/static/")) return true;
    return !existsSync(path.join(root, ...u.split(/[?#]/)[0].split("/").filter(Boolean)));
  });
  if (missing.length) {
    throw new Error(`built CSS refers to files that were not built: ${[...new Set(missing)].join(", ")}`);
  }
}

async function copyJs() {
  await mkdir(govukOut, { recursive: true });
  const name = "govuk-frontend.min.js";
  const src = path.join(govukDist, name);
  if (!existsSync(src)) throw new Error(`missing ${rel(src)}: run npm ci`);
  for (const file of [name, `${name}.map`]) {
    const from = path.join(govukDist, file);
    if (!existsSync(from)) continue; // the source map is optional
    const to = path.join(govukOut, file);
    await cp(from, to);
    await record(to);
  }
}

async function copyAssets() {
  const srcDir = path.join(govukDist, "assets");
  if (!existsSync(srcDir)) throw new Error(`missing ${rel(srcDir)}: run npm ci`);
  const destDir = path.join(govukOut, "assets");
  await mkdir(destDir, { recursive: true });

  const excluded = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      const relPath = path.relative(srcDir, from).split(path.sep).join("/");
      if (EXCLUDED_ASSETS.some((re) => re.test(relPath))) {
        excluded.push(relPath + (entry.isDirectory() ? "/" : ""));
        continue;
      }
      if (entry.isDirectory()) {
        await walk(from);
      } else if (entry.isFile()) {
        const to = path.join(destDir, relPath);
        await mkdir(path.dirname(to), { recursive: true });
        await cp(from, to);
        await record(to);
      }
    }
  }
  await walk(srcDir);
  return excluded;
}

async function main() {
  const started = process.hrtime.bigint();

  // Start static/govuk/ from empty so files excluded (or removed upstream)
  // never linger from an earlier build.
  await rm(govukOut, { recursive: true, force: true });

  const css = await buildCss();
  await copyJs();
  const excluded = await copyAssets();
  checkCssUrls(css);

  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log("build-assets: wrote");
  for (const { file, size } of written) {
    console.log(`  ${file.padEnd(44)} ${formatSize(size).padStart(10)}`);
  }
  console.log(`build-assets: left out (GOV.UK-only): ${excluded.sort().join(", ") || "nothing"}`);
  console.log(`build-assets: done in ${ms.toFixed(0)} ms`);
}

main().catch((error) => {
  console.error(`build-assets: FAILED: ${error?.stack || error}`);
  process.exitCode = 1;
});
