// Confusion-matrix explorer, shared by confusion_mnist and confusion_cifar.
import { classNames, fmt, h, liveRegion, mountAll, percent, rovingGrid, spriteSheet, tileStyle } from "./common.js";

const STRINGS = {
  mnist_classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  cifar_classes: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
  actual: "Actual class",
  predicted: "Predicted class",
  matrix_label: "Confusion matrix: rows are the actual class, columns the predicted class. Arrow keys move between cells.",
  cell_summary: "Actual {actual}, predicted {predicted}: {count} images",
  cell_summary_some: "Actual {actual}, predicted {predicted}: {count} images; the {shown} most confident shown",
  most_confident_first: "Most confident first; the number is the network's confidence.",
  confidence: "Confidence",
  no_examples: "No test image falls in this cell.",
  correct: "correct",
  mistakes: "mistakes",
  accuracy: "Accuracy {accuracy}",
  load_error: "The demo could not load.",
};

const BLUE = [[241, 246, 252], [31, 95, 168]];
const ORANGE = [[255, 245, 232], [196, 86, 0]];

/** Mount the explorer into every [data-demo=name] element; classKey names its demo strings. */
export function mountConfusionDemos(name, classKey) {
  mountAll(name, STRINGS, (el, ctx) => mountConfusion(el, ctx, classKey));
}

function mountConfusion(el, { data, strings, base, lang }, classKey) {
  const names = classNames(strings, classKey, data.classes);
  const n = names.length;
  const table = buildTable(data.counts, names, strings, lang);
  const title = h("p", { class: "cm-title" });
  const list = h("ol", { class: "cm-examples" });
  const empty = h("p", { class: "cm-empty", hidden: true }, strings.no_examples);
  const live = liveRegion();
  const legend = h("p", { class: "cm-legend" },
    h("span", { class: "cm-key cm-key-correct" }), strings.correct, " ",
    h("span", { class: "cm-key cm-key-mistake" }), strings.mistakes, " · ",
    fmt(strings.accuracy, { accuracy: percent(data.accuracy, lang, 1) }));
  el.append(h("div", { class: "cm demo-root", style: { "--cm-head": headWidth(names) } },
    h("div", { class: "cm-matrix" },
      h("p", { class: "cm-axis-x", "aria-hidden": "true" }, strings.predicted, " →"),
      h("div", { class: "cm-body" }, h("p", { class: "cm-axis-y", "aria-hidden": "true" }, strings.actual, " →"), table),
      legend),
    h("div", { class: "cm-detail" }, title, h("div", { class: "cm-shown" }, list, empty),
      h("p", { class: "cm-note" }, strings.most_confident_first)),
    live));
  const sheet = spriteSheet(data.sprite, base);
  const cellAt = (r, c) => table.tBodies[0].rows[r].cells[c + 1];
  let selected = null;
  const show = (r, c, how) => {
    if (selected) selected.removeAttribute("aria-selected");
    selected = cellAt(r, c);
    selected.setAttribute("aria-selected", "true");
    const examples = data.cells[r][c];
    const count = data.counts[r][c];
    // the data keeps only the most confident few images of a cell: say so when some are left out
    const summary = examples.length < count ? strings.cell_summary_some : strings.cell_summary;
    const text = fmt(summary, { actual: names[r], predicted: names[c], count, shown: examples.length });
    title.textContent = text;
    if (how !== "pointer" && how !== "init") live.textContent = text;
    list.replaceChildren(...examples.map((ex) => exampleItem(ex, sheet, strings, lang)));
    list.dataset.cell = `${r},${c}`;
    empty.hidden = examples.length > 0;
  };
  const grid = rovingGrid(table, n, n, cellAt, show);
  const [r0, c0] = biggestMistake(data.counts);
  grid.select(r0, c0);
  show(r0, c0, "init");
}

function buildTable(counts, names, strings, lang) {
  const n = names.length;
  const diag = Math.max(1, ...counts.map((row, i) => row[i]));
  const off = Math.max(1, ...counts.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const number = new Intl.NumberFormat(lang || undefined, { useGrouping: false });
  const head = h("tr", {}, h("td", { class: "cm-corner" }),
    names.map((name) => h("th", { scope: "col" }, h("span", {}, name))));
  const rows = counts.map((row, i) => h("tr", {}, h("th", { scope: "row" }, names[i]),
    row.map((count, j) => {
      const t = Math.sqrt(count / (i === j ? diag : off));
      const [lo, hi] = i === j ? BLUE : ORANGE;
      const rgb = lo.map((v, k) => Math.round(v + (hi[k] - v) * t));
      return h("td", {
        class: `${i === j ? "cm-correct" : "cm-mistake"}${count ? "" : " cm-zero"}${t > 0.6 ? " cm-dark" : ""}${count >= 1000 ? " cm-4" : ""}`,
        style: { backgroundColor: `rgb(${rgb.join(",")})` },
        "data-row": i, "data-col": j,
        "aria-label": fmt(strings.cell_summary, { actual: names[i], predicted: names[j], count }),
      }, number.format(count));
    })));
  const isLong = names.some((name) => name.length > 2);
  return h("table", { class: `cm-grid${isLong ? " cm-long" : ""}`, role: "grid", "aria-label": strings.matrix_label },
    h("thead", {}, head), h("tbody", {}, rows));
}

function exampleItem(example, sheet, strings, lang) {
  const i = example.sprite;
  const tile = h("span", {
    class: "cm-tile", role: "img", style: tileStyle(sheet, i),
    "aria-label": `${strings.confidence} ${percent(example.confidence, lang, 1)}`,
  });
  return h("li", { "data-sprite": i, "data-confidence": example.confidence },
    tile, h("span", { class: "cm-conf", "aria-hidden": "true" }, percent(example.confidence, lang)));
}

/** Width of the row-header column: about one em per CJK character, 0.6 em per other one. */
function headWidth(names) {
  const width = (name) => [...name].reduce((w, ch) => w + (ch.codePointAt(0) > 0x2e80 ? 1.05 : 0.62), 0);
  return `${(Math.max(...names.map(width)) + 0.6).toFixed(2)}em`;
}

function biggestMistake(counts) {
  let best = [0, 1];
  counts.forEach((row, i) => row.forEach((v, j) => {
    if (i !== j && v > counts[best[0]][best[1]]) best = [i, j];
  }));
  return best;
}
