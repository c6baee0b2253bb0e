// Helpers shared by the demos: mounting, strings, data loading, DOM building, keyboard grids.

/** Mount `mount(el, ctx)` into every [data-demo=name] element once it comes near the viewport. */
export function mountAll(name, defaults, mount) {
  for (const el of document.querySelectorAll(`[data-demo="${name}"]`)) {
    whenNear(el, () => start(el, defaults, mount));
  }
}

function whenNear(el, run) {
  if (!("IntersectionObserver" in window)) return run();
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) { io.disconnect(); run(); }
  }, { rootMargin: "400px 0px" });
  io.observe(el);
}

async function start(el, defaults, mount) {
  const base = new URL(el.dataset.base || "./", document.baseURI);
  const ctx = { base, strings: readStrings(el, defaults), lang: el.dataset.lang || document.documentElement.lang };
  el.setAttribute("aria-busy", "true");
  try {
    ctx.data = await loadJSON(new URL("data.json", base));
    el.replaceChildren();
    await mount(el, ctx);
    releaseReservedHeight(el);
    el.dataset.ready = "true";
  } catch (err) {
    el.replaceChildren(h("p", { class: "demo-error", role: "alert" }, ctx.strings.load_error || "The demo could not load."));
    throw err;
  } finally {
    el.removeAttribute("aria-busy");
  }
}

/** The page reserves a demo's height (demo.yaml's, for phones) until it mounts; mounted, it takes its own. */
function releaseReservedHeight(el) {
  el.dataset.reserved = String(parseFloat(el.style.minHeight) || 0);
  el.style.minHeight = "";
}

/** The element's data-strings JSON merged key by key over the built-in English strings. */
export function readStrings(el, defaults) {
  let given = {};
  try { given = JSON.parse(el.dataset.strings || "{}"); } catch { given = {}; }
  const out = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (value !== null && value !== undefined && value !== "") out[key] = value;
  }
  return out;
}

export async function loadJSON(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Class names in the page's language when the strings give ten of them, else the data's own. */
export function classNames(strings, key, fallback) {
  const names = strings[key];
  return Array.isArray(names) && names.length === fallback.length ? names.map(String) : fallback;
}

/** Replace {name} placeholders with values. */
export function fmt(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

const percentFormats = new Map();

/** x as a percentage in the page's language; the formatter is made once per language and precision
 * (the explorers call this for every example on hover, draw-a-digit for every score on every frame). */
export function percent(x, lang, digits = 0) {
  const key = `${lang || ""}|${digits}`;
  if (!percentFormats.has(key)) {
    percentFormats.set(key, new Intl.NumberFormat(lang || undefined, { style: "percent", maximumFractionDigits: digits }));
  }
  return percentFormats.get(key).format(x);
}

/** A tiny element builder: h("p", {class: "x"}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "style" && typeof value === "object") setStyle(el, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

function setStyle(el, style) {
  for (const [key, value] of Object.entries(style)) {
    if (key.startsWith("--")) el.style.setProperty(key, value);
    else el.style[key] = value;
  }
}

/** Arrow keys, Home and End move between cells of a rows x cols grid (roving tabindex). */
export function rovingGrid(container, rows, cols, cellAt, onMove) {
  let current = [0, 0];
  const set = (r, c, focus) => {
    cellAt(...current).tabIndex = -1;
    current = [r, c];
    const cell = cellAt(r, c);
    cell.tabIndex = 0;
    if (focus) cell.focus();
  };
  container.addEventListener("keydown", (event) => {
    const [r, c] = current;
    const moves = {
      ArrowUp: [r - 1, c], ArrowDown: [r + 1, c], ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1],
      Home: [r, 0], End: [r, cols - 1],
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    const [nr, nc] = [Math.min(rows - 1, Math.max(0, next[0])), Math.min(cols - 1, Math.max(0, next[1]))];
    set(nr, nc, true);
    onMove(nr, nc, "key");
  });
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cell = cellAt(r, c);
      cell.tabIndex = -1;
      cell.addEventListener("focus", () => { set(r, c, false); onMove(r, c, "focus"); });
      cell.addEventListener("pointerenter", () => { set(r, c, false); onMove(r, c, "pointer"); });
      cell.addEventListener("click", () => onMove(r, c, "click"));
    }
  }
  cellAt(0, 0).tabIndex = 0;
  return { select: (r, c) => set(r, c, false) };
}

/** A sprite sheet described by {file, tile, columns, count}, loaded relative to base. */
export function spriteSheet(sprite, base) {
  const url = new URL(sprite.file, base).href;
  new Image().src = url; // start the download now so the first tiles show at once
  return { url, columns: sprite.columns, rows: Math.ceil(sprite.count / sprite.columns) };
}

/** CSS that shows tile i of a sheet, scaled to the element's box. */
export function tileStyle(sheet, i) {
  const x = (i % sheet.columns) / Math.max(1, sheet.columns - 1);
  const y = Math.floor(i / sheet.columns) / Math.max(1, sheet.rows - 1);
  return {
    backgroundImage: `url("${sheet.url}")`,
    backgroundSize: `${sheet.columns * 100}% ${sheet.rows * 100}%`,
    backgroundPosition: `${x * 100}% ${y * 100}%`,
  };
}

/** Text for screen readers only, announced politely when it changes. */
export function liveRegion() {
  return h("p", { class: "demo-sr", "aria-live": "polite", "aria-atomic": "true" });
}
