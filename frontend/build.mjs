// Builds SafeHub's front-end assets into build/static/ (git-ignored, served by Django as
// static files): the compiled stylesheet, the GOV.UK and MoJ scripts, and only the images
// the stylesheet refers to. Runs offline from node_modules.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, "build", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
const STATIC_URL = "/static/";

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "images"), { recursive: true });

// GOV.UK Frontend reports its own deprecations through @warn when MoJ Frontend calls them;
// neither is ours to fix, so count them instead of printing pages of them.
let dependencyWarnings = 0;
const logger = {
  warn(message, { span, stack }) {
    if ((span?.url?.pathname ?? stack ?? "").includes("node_modules")) {
      dependencyWarnings += 1;
      return;
    }
    console.warn(`Sass warning: ${message}\n${stack ?? ""}`);
  },
};

const { css } = sass.compile(join(root, "frontend", "scss", "safehub.scss"), {
  loadPaths: [root],
  style: "compressed",
  quietDeps: true,
  logger,
});

if (css.includes("GDS Transport")) {
  throw new Error("safehub.css mentions GDS Transport, which only GOV.UK may use");
}
writeFileSync(join(out, "safehub.css"), css);

// Copy each image the CSS asks for. Failing here is better than at collectstatic, which
// stops on any missing file when it writes hashed names.
const imageUrls = new Set(
  [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)]
    .map((match) => match[1])
    .filter((url) => !url.startsWith("data:")),
);
for (const url of imageUrls) {
  if (!url.startsWith(`${STATIC_URL}images/`)) {
    throw new Error(`safehub.css refers to ${url}, outside ${STATIC_URL}images/`);
  }
  const name = basename(url);
  const source = [join(moj, "assets", "images", name), join(govuk, "assets", "images", name)]
    .find((path) => existsSync(path));
  if (!source) {
    throw new Error(`safehub.css refers to ${url}, which neither package provides`);
  }
  copyFileSync(source, join(out, "images", name));
}

// The scripts are ES modules; their source maps come too, because collectstatic follows
// each sourceMappingURL comment and stops if the map is missing.
for (const file of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copyFileSync(join(govuk, file), join(out, file));
}
for (const file of ["moj-frontend.min.js", "moj-frontend.min.js.map"]) {
  copyFileSync(join(moj, file), join(out, file));
}
for (const file of ["init.js", "drafts.js", "timeout.js", "progress.js"]) {
  copyFileSync(join(root, "frontend", "js", file), join(out, file));
}

const note = dependencyWarnings ? ` (${dependencyWarnings} warnings from dependencies hidden)` : "";
console.log(
  `Built ${out}: safehub.css ${Math.round(css.length / 1024)} kB, ` +
    `${imageUrls.size} images, scripts, in ${Date.now() - started} ms${note}`,
);
