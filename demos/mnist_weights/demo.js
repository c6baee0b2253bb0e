// mnist_weights: the two-layer MNIST network's 10 hidden filters and, per digit, its output
// weights onto them; a filter and its bars highlight each other.
import { classNames, fmt, h, liveRegion, mountAll, rovingGrid, spriteSheet, tileStyle } from "../_shared/common.js";

const STRINGS = {
  mnist_classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  hidden_filters: "The 10 hidden neurons: the weights from the image into each one",
  output_weights: "Each digit's weights onto the hidden neurons (up: positive, down: negative)",
  hidden_neuron: "Hidden neuron {hidden}",
  neuron_summary: "Hidden neuron {hidden}: strongest for {best} ({best_weight}), most against {worst} ({worst_weight})",
  weight_readout: "Digit {class} ← hidden neuron {hidden}: weight {weight}",
  weights_hint: "Hover over or focus a filter or a bar.",
  bars_label: "Output weights: rows are digits, columns hidden neurons. Arrow keys move between bars.",
  load_error: "The demo could not load.",
};

mountAll("mnist_weights", STRINGS, (el, { data, strings, base, lang }) => {
  const names = classNames(strings, "mnist_classes", STRINGS.mnist_classes);
  const weights = data.output_weights;
  const nHidden = weights[0].length;
  const number = new Intl.NumberFormat(lang || undefined, { maximumFractionDigits: 2, signDisplay: "exceptZero" });
  const scale = Math.max(1e-9, ...weights.flat().map(Math.abs));
  const sheet = spriteSheet(data.hidden, base);
  const filters = Array.from({ length: nHidden }, (_, j) => h("button", {
    type: "button", class: "mw-filter", "data-hidden": j,
    "aria-label": fmt(strings.hidden_neuron, { hidden: j + 1 }),
  }, h("span", { class: "mw-tile", style: tileStyle(sheet, j) }), h("span", { class: "mw-num" }, j + 1)));
  const bars = weights.map((row, c) => row.map((w, j) => h("span", {
    class: "mw-cell", role: "gridcell", "data-class": c, "data-hidden": j, "data-weight": w,
    "aria-label": fmt(strings.weight_readout, { class: names[c], hidden: j + 1, weight: number.format(w) }),
  }, h("span", {
    class: `mw-bar ${w >= 0 ? "mw-pos" : "mw-neg"}`, style: { height: `${(50 * Math.abs(w)) / scale}%` },
  }))));
  const readout = h("p", { class: "mw-readout" }, strings.weights_hint);
  const live = liveRegion();
  const toolbar = h("div", { class: "mw-filters", role: "toolbar", "aria-label": strings.hidden_filters },
    h("span", { class: "mw-corner" }), filters);
  const grid = h("div", { class: "mw-grid", role: "grid", "aria-label": strings.bars_label },
    bars.map((row, c) => h("div", { class: "mw-row", role: "row" },
      h("span", { class: "mw-label", role: "rowheader" }, names[c]), row)));
  const root = h("div", { class: "mw demo-root", style: { "--mw-n": nHidden } },
    h("p", { class: "mw-caption" }, strings.hidden_filters), toolbar,
    h("p", { class: "mw-caption" }, strings.output_weights), grid, readout, live);
  el.append(root);

  const activate = (hidden, cls, how) => {
    root.classList.add("has-active");
    for (const f of filters) f.classList.toggle("is-active", Number(f.dataset.hidden) === hidden);
    bars.forEach((row, c) => row.forEach((cell, j) => {
      cell.classList.toggle("is-active", j === hidden);
      cell.classList.toggle("is-current", j === hidden && c === cls);
    }));
    const text = cls === null ? neuronSummary(hidden) : bars[cls][hidden].getAttribute("aria-label");
    readout.textContent = text;
    if (how === "key" || how === "focus" || how === "click") live.textContent = text;
  };
  const neuronSummary = (j) => {
    const column = weights.map((row) => row[j]);
    const best = column.indexOf(Math.max(...column));
    const worst = column.indexOf(Math.min(...column));
    return fmt(strings.neuron_summary, {
      hidden: j + 1, best: names[best], best_weight: number.format(column[best]),
      worst: names[worst], worst_weight: number.format(column[worst]),
    });
  };
  rovingGrid(toolbar, 1, nHidden, (_, j) => filters[j], (_, j, how) => activate(j, null, how));
  rovingGrid(grid, weights.length, nHidden, (c, j) => bars[c][j], (c, j, how) => activate(j, c, how));
});
