// Build the front-end into exchange/static/govuk/: the rebranded GOV.UK Frontend stylesheet
// (compiled from frontend/anchor.scss) and GOV.UK Frontend's JavaScript; then frontend/vega.mjs.
// Run by `make install`.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "exchange", "static", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "frontend", "anchor.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions"],
});
writeFileSync(join(out, "anchor.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// No assets: the fonts are GDS Transport and the images GOV.UK's crown and crest, none ours to use.
console.log(`built ${out}`);

// The chart libraries (exchange/static/vega/), when the dashboards' build step is present.
if (existsSync(join(root, "frontend", "vega.mjs"))) {
  await import("./vega.mjs");
}
