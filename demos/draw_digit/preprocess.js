// Turn a drawing into a 28x28 MNIST-like input: crop, fit the longer side into 20 pixels,
// then shift so the centre of mass lies at the centre, as MNIST's digits were prepared.

const SIZE = 28;
const BOX = 20;

/** Alpha values (0-255) of a w x h drawing -> Float32Array(784) in [0, 1], or null when empty. */
export function toMnist(alpha, w, h) {
  const box = boundingBox(alpha, w, h);
  if (!box) return null;
  const small = shrink(alpha, w, box);
  return centre(small);
}

function boundingBox(alpha, w, h) {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (alpha[y * w + x] > 8) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Average the box's pixels into bins so its longer side becomes BOX pixels. */
function shrink(alpha, w, box) {
  const s = BOX / Math.max(box.w, box.h);
  const tw = Math.max(1, Math.round(box.w * s));
  const th = Math.max(1, Math.round(box.h * s));
  const sum = new Float32Array(tw * th);
  const count = new Float32Array(tw * th);
  for (let y = 0; y < box.h; y++) {
    const ty = Math.min(th - 1, Math.floor(y * s));
    for (let x = 0; x < box.w; x++) {
      const i = ty * tw + Math.min(tw - 1, Math.floor(x * s));
      sum[i] += alpha[(box.y0 + y) * w + box.x0 + x];
      count[i] += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i] ? sum[i] / count[i] / 255 : 0;
  return { pixels: sum, w: tw, h: th };
}

function centre({ pixels, w, h }) {
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = pixels[y * w + x];
      mass += v; mx += v * x; my += v * y;
    }
  }
  const dx = Math.round((SIZE - 1) / 2 - mx / mass);
  const dy = Math.round((SIZE - 1) / 2 - my / mass);
  const out = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const X = x + dx, Y = y + dy;
      if (X >= 0 && X < SIZE && Y >= 0 && Y < SIZE) out[Y * SIZE + X] = Math.min(1, pixels[y * w + x]);
    }
  }
  return out;
}

/** x (pixels in 0..1, the data's "pixel/255" scale) preprocessed as the data says: (x - mean) / std;
 * mean and std are a number, or a list (one value per pixel, or per channel: a list of one for grey MNIST). */
export function standardize(x, input) {
  const at = (v, i) => (Array.isArray(v) ? v[i % v.length] : v);
  const mean = input?.mean ?? 0;
  const std = input?.std ?? 1;
  return x.map((v, i) => (v - at(mean, i)) / at(std, i));
}

/** Scores bias[c] + w[c] . x, and their softmax. */
export function classify(x, weights, bias) {
  const scores = weights.map((row, c) => row.reduce((s, w, i) => s + w * x[i], bias[c]));
  const top = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return { scores, probs: exps.map((e) => e / total) };
}
