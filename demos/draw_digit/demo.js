// draw_digit: draw with mouse, pen or touch; the one-layer MNIST network scores the drawing live
// and shows the drawing multiplied by each class's weights (the "templates").
import { classNames, fmt, h, liveRegion, mountAll, percent } from "../_shared/common.js";
import { classify, standardize, toMnist } from "./preprocess.js";

const STRINGS = {
  mnist_classes: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  draw_here: "Draw a digit here",
  canvas_label: "Drawing area: draw a digit with the mouse, a pen or a finger",
  clear: "Clear",
  network_input: "input",
  scores: "Scores (probabilities)",
  guess: "It looks like a {class} to the network ({probability}).",
  empty_guess: "Draw a digit to see the network's guess.",
  templates_empty: "Each digit's weights (red positive, blue negative)",
  templates_drawn: "Your drawing multiplied by each digit's weights (red raises the score, blue lowers it)",
  load_error: "The demo could not load.",
};
const PAD = 280;
const POS = [178, 24, 43]; // red for positive, blue for negative: the RdBu_r map of the figures
const NEG = [33, 102, 172];

mountAll("draw_digit", STRINGS, (el, { data, strings, lang }) => {
  const names = classNames(strings, "mnist_classes", STRINGS.mnist_classes);
  const canvas = h("canvas", { class: "dd-canvas", width: PAD, height: PAD, role: "img", "aria-label": strings.canvas_label });
  const hint = h("p", { class: "dd-hint", "aria-hidden": "true" }, strings.draw_here);
  const clear = h("button", { type: "button", class: "dd-clear" }, strings.clear);
  const seen = h("canvas", { class: "dd-seen", width: 28, height: 28, "aria-hidden": "true" });
  const rows = names.map((name, c) => h("li", { "data-class": c, "data-prob": "" },
    h("span", { class: "dd-name" }, name), h("span", { class: "dd-track" }, h("span", { class: "dd-fill" })),
    h("span", { class: "dd-value" }, "–")));
  const guess = h("p", { class: "dd-guess" }, strings.empty_guess);
  const live = liveRegion();
  const minis = names.map(() => h("canvas", { width: 28, height: 28 }));
  const caption = h("p", { class: "dd-caption" }, strings.templates_empty);
  el.append(h("div", { class: "dd demo-root" },
    h("div", { class: "dd-top" },
      h("div", { class: "dd-pad" }, h("div", { class: "dd-frame" }, canvas, hint),
        clear),
      h("div", { class: "dd-scores" }, h("p", { class: "dd-caption" }, strings.scores), h("ol", {}, rows), guess)),
    caption,
    h("ol", { class: "dd-templates" }, h("li", { class: "dd-input" }, seen, h("span", {}, strings.network_input)),
      minis.map((m, c) => h("li", { "data-class": c }, m, h("span", {}, names[c])))),
    live));

  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let pending = 0;
  const update = () => {
    pending = 0;
    const rgba = ctx.getImageData(0, 0, PAD, PAD).data;
    const alpha = new Uint8Array(PAD * PAD);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
    const x = toMnist(alpha, PAD, PAD);
    hint.hidden = x !== null;
    drawInput(seen, x);
    if (!x) return showEmpty();
    const input = standardize(Array.from(x), data.input);
    const { probs } = classify(input, data.weights, data.bias);
    showScores(probs);
    drawTemplates(minis, data.weights.map((row) => row.map((w, i) => w * input[i])));
    caption.textContent = strings.templates_drawn;
  };
  const schedule = () => { if (!pending) pending = requestAnimationFrame(update); };
  const showEmpty = () => {
    for (const li of rows) {
      li.dataset.prob = "";
      li.classList.remove("is-top");
      li.querySelector(".dd-fill").style.width = "0";
      li.querySelector(".dd-value").textContent = "–";
    }
    for (const m of minis) m.parentElement.classList.remove("is-top");
    guess.textContent = strings.empty_guess;
    caption.textContent = strings.templates_empty;
    drawTemplates(minis, data.weights);
  };
  const showScores = (probs) => {
    const top = probs.indexOf(Math.max(...probs));
    rows.forEach((li, c) => {
      li.dataset.prob = probs[c].toFixed(4);
      li.classList.toggle("is-top", c === top);
      li.querySelector(".dd-fill").style.width = `${(100 * probs[c]).toFixed(1)}%`;
      li.querySelector(".dd-value").textContent = percent(probs[c], lang);
      minis[c].parentElement.classList.toggle("is-top", c === top);
    });
    guess.textContent = fmt(strings.guess, { class: names[top], probability: percent(probs[top], lang) });
  };
  // A finished stroke is scored at once (not at the next frame), so what is announced is its guess.
  const scoreNow = () => { cancelAnimationFrame(pending); update(); };
  enableDrawing(canvas, ctx, schedule, () => { scoreNow(); live.textContent = guess.textContent; });
  clear.addEventListener("click", () => {
    ctx.clearRect(0, 0, PAD, PAD);
    scoreNow();
    live.textContent = strings.empty_guess;
  });
  showEmpty();
});

/** Pointer Events drawing with a soft round brush; calls onChange while drawing, onEnd when a stroke ends. */
function enableDrawing(canvas, ctx, onChange, onEnd) {
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  let last = null;
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * PAD) / r.width, ((e.clientY - r.top) * PAD) / r.height];
  };
  const stroke = (from, to) => {
    ctx.strokeStyle = "#111"; // opaque ink: overlapping segments leave no darker dots
    ctx.shadowColor = "rgba(17, 17, 17, 0.8)"; // a soft edge, like MNIST's anti-aliased strokes
    ctx.shadowBlur = 5;
    ctx.lineWidth = 20;
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
  };
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    last = point(e);
    stroke(last, last);
    onChange();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!last) return;
    const coalesced = e.getCoalescedEvents?.() ?? [];  // empty for events made by a script
    for (const ev of coalesced.length ? coalesced : [e]) {
      const p = point(ev);
      stroke(last, p);
      last = p;
    }
    onChange();
  });
  const end = () => { if (last) { last = null; onEnd(); } };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
}

/** The 28x28 input as the network sees it: ink dark on white. */
function drawInput(canvas, x) {
  const ctx = canvas.getContext("2d");
  const out = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = 255 - Math.round(255 * (x ? x[i] : 0));
    out.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(out, 0, 0);
}

/** Ten 28x28 signed images on one shared scale: blue positive, orange negative, white zero. */
function drawTemplates(canvases, images) {
  const scale = Math.max(1e-9, ...images.map((img) => Math.max(...img.map(Math.abs))));
  canvases.forEach((canvas, c) => {
    const ctx = canvas.getContext("2d");
    const out = ctx.createImageData(28, 28);
    images[c].forEach((v, i) => {
      const t = Math.sqrt(Math.min(1, Math.abs(v) / scale)); // sqrt: faint parts stay visible
      const hue = v >= 0 ? POS : NEG;
      for (let k = 0; k < 3; k++) out.data[4 * i + k] = Math.round(255 + (hue[k] - 255) * t);
      out.data[4 * i + 3] = 255;
    });
    ctx.putImageData(out, 0, 0);
  });
}
