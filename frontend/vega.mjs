// Copy the chart libraries into exchange/static/vega/ (run after `npm install`, by `make install`):
// vega, vega-lite and vega-embed as published, and vega-interpreter turned into a classic script.
// The interpreter evaluates Vega expressions without eval or new Function, so the pages' CSP
// needs no 'unsafe-eval'. It is published only as an ES module importing vega-util, whose
// functions the vega bundle already exposes on window.vega: we bind them from there.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "exchange", "static", "vega");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const [name, file] of [["vega", "vega.min.js"], ["vega-lite", "vega-lite.min.js"],
                            ["vega-embed", "vega-embed.min.js"]]) {
  copyFileSync(join(modules, name, "build", file), join(out, file));
}

// The ES module build: vega-interpreter.module.js in 1.x (the Vega 5 line), .js in later majors.
const interpreterBuild = join(modules, "vega-interpreter", "build");
const moduleFile = existsSync(join(interpreterBuild, "vega-interpreter.module.js"))
  ? "vega-interpreter.module.js" : "vega-interpreter.js";
const source = readFileSync(join(interpreterBuild, moduleFile), "utf8");
const importLine = /^import \{ ([\w, ]+) \} from 'vega-util';$/m;
const exportLine = /^export \{ expression as expressionInterpreter \};$/m;
const imported = source.match(importLine);
if (!imported || !exportLine.test(source)) {
  throw new Error("vega-interpreter's imports or exports changed: update frontend/vega.mjs");
}
const body = source
  .replace(importLine, `const { ${imported[1]} } = window.vega;`)
  .replace(exportLine, "window.vegaInterpreter = { expressionInterpreter: expression };");
writeFileSync(join(out, "vega-interpreter.js"),
  `// vega-interpreter (BSD-3-Clause), as a classic script: see frontend/vega.mjs\n(function () {\n${body}\n})();\n`);
console.log(`built ${out}`);
