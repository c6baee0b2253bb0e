"""Time render_body on a realistic 4000-word chapter; prints ms per page and the ratio to bare Markdown.

Run: python tests/benchmarks/bench_rendering.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from anywhere, without installing

from textbook import mathml
from textbook.includes import IncludeCall, IncludeSpec
from textbook.model import Location
from textbook.rendering import render_body, render_markdown

FORMULAS = [r"z = b + \sum_i w_i x_i", r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"w_i", r"\mathbf{W} \in \mathbb{R}^{10 \times 784}",
            r"p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}", r"L = -\sum_k y_k \log p_k", r"\frac{\partial L}{\partial w_{ij}}", r"x_i"]
SECTION = """## Section {n}: what the weights show

The network multiplies each pixel by a weight $$w_i$$ and adds a bias, so that a score looks like
the formula below for every class. Bright pixels in the drawing of the weights push the score up, and **dark ones**
push it down; a [previous chapter](/neural_networks) explains _why_ this works, and `W @ x + b` does it in
one line. 重みは画像と同じ大きさなので、**強調**。これは_表現_です。 The rest of this paragraph is
ordinary prose about classifiers, confusion matrices, accuracy on the test set, and the mistakes a linear
model makes when two digits share most of their strokes, like a 4 and a 9, or a 3 and an 8 written quickly.

$$
{f1}
$$

{{% include figure_multi.md path1="/images/figures/w{n}.png" caption1="The weights of class {n}, see <a href=\\"/x\\">this</a>." %}}

- first point with alpha and some words to make the list item long enough to matter
- second point, with a footnote[^{n}] and a link to [the demo](/demos/confusion_mnist/)
- third point about the largest score and nothing else

| class | accuracy | note |
|------:|---------:|------|
| 0 | 0.98 | hard |
| 1 | 0.97 | easy |

```python
scores = W @ x + b  # {{{{ not a template }}}}
```

[^{n}]: A footnote for section {n}.

"""


def chapter(sections: int = 10) -> str:
    """About 4000 words, 20 formulas, 10 includes, tables, lists, footnotes and code blocks."""
    parts = [SECTION.format(n=n, f1=FORMULAS[n % len(FORMULAS)]) for n in range(sections)]
    prose = "Plain words about weights and images, repeated to reach a realistic length. " * 25
    return "# A chapter\n\n" + "".join(part + prose + "\n\n" for part in parts)


def main() -> None:
    body = chapter()
    specs = {"figure_multi.md": IncludeSpec("figure_multi.md", Path("f"), frozenset({"path1"}), frozenset({"caption1"}))}

    def include(call: IncludeCall) -> str:
        return f'<figure><img src="{call.params["path1"]}"></figure>'

    origin = Location(Path("chapters/en/x.md"), 8)
    print(f"chapter: {len(body.split())} words, {body.count('$$') // 2} formulas, {len(body)} characters")
    mathml._render.cache_clear()
    start = time.process_time()
    render_body(body, origin, specs, include)
    cold = time.process_time() - start
    runs = 50
    start = time.process_time()
    for _ in range(runs):
        render_body(body, origin, specs, include)
    warm = (time.process_time() - start) / runs
    start = time.process_time()
    for _ in range(runs):
        render_markdown(body)
    bare = (time.process_time() - start) / runs
    print(f"render_body, first page (empty math cache): {cold * 1000:.1f} ms")
    print(f"render_body, per page (warm):               {warm * 1000:.1f} ms")
    print(f"bare Markdown of the same text:             {bare * 1000:.1f} ms  (render_body / Markdown = {warm / bare:.2f})")


if __name__ == "__main__":
    main()
