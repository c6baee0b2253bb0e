"""The interactive demos in Chromium, against the real book built under /book: they mount on
their own pages and in every chapter translation, follow the pointer and the keyboard, show the
data's examples in the data's order, stay within the page-weight budget and a phone's width."""
from __future__ import annotations

import base64
import io
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from browsing import BASE_URL, Console, skip_or_fail
from PIL import Image

DEMOS = ("confusion_mnist", "confusion_cifar", "mnist_weights", "draw_digit")
CHAPTER = "looking_inside_neural_nets"
LANGUAGES = ("", "ja/", "es/", "ko/")
JA_CIFAR = ["飛行機", "自動車", "鳥", "猫", "鹿", "犬", "蛙", "馬", "船", "トラック"]
PAGE_BUDGET = 600_000  # bytes: "600 KB" read strictly


def demo_data(site_dir: Path, name: str) -> Any:
    """A demo's data.json as built; the precompute (`python -m training`) writes it."""
    path = site_dir / "demos" / name / "data.json"
    if not path.is_file():
        skip_or_fail(f"demos/{name}/data.json is missing: run `python -m training` first")
    return json.loads(path.read_text(encoding="utf-8"))


def mount(page: Any, url: str, names: tuple[str, ...] = DEMOS) -> Any:
    """Open url, bring each demo into view (they mount when near), wait until all are ready."""
    page.goto(url)
    for name in names:
        page.locator(f'[data-demo="{name}"]').scroll_into_view_if_needed()
        page.wait_for_selector(f'[data-demo="{name}"][data-ready="true"]')
    page.wait_for_load_state("networkidle")
    return page


def chapter_url(site_url: str, lang: str = "") -> str:
    """The chapter page in a language ("" for the default one)."""
    return f"{site_url}/{lang}{CHAPTER}/"


def shown_sprites(demo: Any) -> list[int]:
    """The sprite indices of the examples the explorer shows, in order."""
    return [int(v) for v in demo.locator(".cm-examples li").evaluate_all("els => els.map(e => e.dataset.sprite)")]


def expected_sprites(data: Any, row: int, col: int) -> list[int]:
    """The cell's examples from data.json, in the data's order (most confident first)."""
    return [example["sprite"] for example in data["cells"][row][col]]


def cell(demo: Any, row: int, col: int) -> Any:
    """The matrix cell (actual row, predicted col)."""
    return demo.locator(f'td[data-row="{row}"][data-col="{col}"]')


def interesting_cells(counts: list[list[int]]) -> list[tuple[int, int]]:
    """A diagonal cell, the biggest mistake, the smallest non-empty mistake and an empty one."""
    n = len(counts)
    mistakes = [(counts[r][c], r, c) for r in range(n) for c in range(n) if r != c]
    chosen = [(3, 3), max(mistakes)[1:]]
    non_empty = [m for m in mistakes if m[0] > 0]
    chosen += [min(non_empty)[1:]] if non_empty else []
    chosen += [(r, c) for count, r, c in mistakes if count == 0][:1]
    return chosen


@pytest.mark.parametrize("name", DEMOS)
def test_demo_mounts_on_its_own_page(name: str, site_url: str, make_page: Any, console: Console,
                                     artifacts: Path, site_dir: Path) -> None:
    demo_data(site_dir, name)
    page = mount(make_page(), f"{site_url}/demos/{name}/", (name,))
    demo = page.locator(f'[data-demo="{name}"]')
    assert demo.locator("noscript").count() == 0, "the fallback was not replaced"
    demo.screenshot(path=str(artifacts / f"{name}-own-page.png"))
    assert console.problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chapter_mounts_every_demo(lang: str, site_url: str, site_dir: Path, make_page: Any,
                                   console: Console, artifacts: Path) -> None:
    for name in DEMOS:
        demo_data(site_dir, name)
    page = mount(make_page(), chapter_url(site_url, lang))
    for name in DEMOS:
        page.locator(f'[data-demo="{name}"]').screenshot(path=str(artifacts / f"{lang or 'en/'}{name}.png".replace("/", "-")))
    outside = [u for u in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
               if urlparse(u).path != "/favicon.ico"
               and (urlparse(u).hostname != "127.0.0.1" or not urlparse(u).path.startswith(BASE_URL + "/"))]
    assert outside == [], "everything comes from the book's own site, under its base URL"
    assert console.problems == []


@pytest.mark.parametrize("name", ["confusion_mnist", "confusion_cifar"])
def test_hover_shows_the_cells_examples_in_order(name: str, site_url: str, site_dir: Path,
                                                 make_page: Any, console: Console) -> None:
    data = demo_data(site_dir, name)
    page = mount(make_page(), chapter_url(site_url), (name,))
    demo = page.locator(f'[data-demo="{name}"]')
    for row, col in interesting_cells(data["counts"]):
        cell(demo, row, col).hover()
        assert shown_sprites(demo) == expected_sprites(data, row, col), (row, col)
        confidences = demo.locator(".cm-examples li").evaluate_all("els => els.map(e => Number(e.dataset.confidence))")
        assert confidences == [e["confidence"] for e in data["cells"][row][col]]
        assert confidences == sorted(confidences, reverse=True)
        title = demo.locator(".cm-title").inner_text()
        assert str(data["counts"][row][col]) in title
        shown = len(data["cells"][row][col])
        assert (f"the {shown} most confident shown" in title) == (shown < data["counts"][row][col]), title
        assert demo.locator(".cm-empty").is_visible() == (not data["cells"][row][col])
    assert console.problems == []


@pytest.mark.parametrize("name", ["confusion_mnist", "confusion_cifar"])
def test_arrow_keys_move_between_cells(name: str, site_url: str, site_dir: Path, make_page: Any,
                                       console: Console) -> None:
    data = demo_data(site_dir, name)
    page = mount(make_page(), chapter_url(site_url), (name,))
    demo = page.locator(f'[data-demo="{name}"]')
    cell(demo, 0, 0).focus()
    path = [("ArrowUp", 0, 0), ("ArrowRight", 0, 1), ("ArrowDown", 1, 1), ("ArrowDown", 2, 1),
            ("ArrowLeft", 2, 0), ("ArrowLeft", 2, 0), ("End", 2, 9), ("Home", 2, 0)]
    for key, row, col in path:
        page.keyboard.press(key)
        focused = page.evaluate("[document.activeElement.dataset.row, document.activeElement.dataset.col]")
        assert focused == [str(row), str(col)], key
        assert shown_sprites(demo) == expected_sprites(data, row, col), key
        assert cell(demo, row, col).get_attribute("aria-selected") == "true"
        announced = demo.locator("[aria-live]").inner_text()
        assert str(data["counts"][row][col]) in announced and announced
    assert demo.locator('td[tabindex="0"]').count() == 1, "one tab stop for the whole grid"
    assert console.problems == []


def test_japanese_page_names_the_classes_in_japanese(site_url: str, site_dir: Path, make_page: Any,
                                                     console: Console) -> None:
    demo_data(site_dir, "confusion_cifar")
    page = mount(make_page(), chapter_url(site_url, "ja/"), ("confusion_cifar",))
    demo = page.locator('[data-demo="confusion_cifar"]')
    assert demo.locator("thead th").all_inner_texts() == JA_CIFAR
    assert demo.locator("tbody th").all_inner_texts() == JA_CIFAR
    cell(demo, 3, 5).hover()
    title = demo.locator(".cm-title").inner_text()
    assert "猫" in title and "犬" in title and "実際" in title
    assert console.problems == []


def test_weights_viewer_links_filters_and_bars(site_url: str, site_dir: Path, make_page: Any,
                                               console: Console) -> None:
    data = demo_data(site_dir, "mnist_weights")
    page = mount(make_page(), chapter_url(site_url), ("mnist_weights",))
    demo = page.locator('[data-demo="mnist_weights"]')
    weights = data["output_weights"]
    shown = demo.locator(".mw-cell").evaluate_all(
        "els => els.map(e => [+e.dataset.class, +e.dataset.hidden, +e.dataset.weight, e.firstChild.classList.contains('mw-pos')])")
    assert [(c, j, w, pos) for c, j, w, pos in shown] == [
        (c, j, weights[c][j], weights[c][j] >= 0) for c in range(len(weights)) for j in range(len(weights[c]))]

    def active() -> tuple[list[str], list[str]]:
        filters = demo.locator(".mw-filter.is-active").evaluate_all("els => els.map(e => e.dataset.hidden)")
        bars = demo.locator(".mw-cell.is-active").evaluate_all("els => els.map(e => e.dataset.class + ',' + e.dataset.hidden)")
        return filters, bars

    demo.locator('.mw-filter[data-hidden="3"]').hover()
    assert active() == (["3"], [f"{c},3" for c in range(10)])
    demo.locator('.mw-cell[data-class="5"][data-hidden="7"]').hover()
    assert active() == (["7"], [f"{c},7" for c in range(10)])
    assert demo.locator(".mw-cell.is-current").get_attribute("data-class") == "5"
    assert f"{abs(weights[5][7]):.2f}" in demo.locator(".mw-readout").inner_text()
    demo.locator('.mw-filter[data-hidden="0"]').focus()
    page.keyboard.press("ArrowRight")
    assert active()[0] == ["1"] and page.evaluate("document.activeElement.dataset.hidden") == "1"
    demo.locator('.mw-cell[data-class="0"][data-hidden="0"]').focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    assert active()[0] == ["1"] and demo.locator(".mw-cell.is-current").get_attribute("data-class") == "1"
    assert console.problems == []


def read_probs(demo: Any) -> list[str]:
    """The ten probabilities the draw-a-digit demo shows ("" before anything is drawn)."""
    return demo.locator(".dd-scores li").evaluate_all("els => els.map(e => e.dataset.prob)")


def seen_input(demo: Any) -> list[float]:
    """The 28x28 input the demo shows as what the network sees (dark ink on white), in [0, 1]."""
    url = demo.locator("canvas.dd-seen").evaluate("c => c.toDataURL('image/png')")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("L")
    assert image.size == (28, 28)
    return [(255 - v) / 255 for v in image.tobytes()]


def softmax_of(data: Any, x: list[float]) -> list[float]:
    """The one-layer network's probabilities for input x in [0, 1], preprocessed as the data says."""
    assert data["input"]["scale"] == "pixel/255"
    mean, std = (value if isinstance(value, list) else [value] for value in (data["input"]["mean"], data["input"]["std"]))
    x = [(v - mean[i % len(mean)]) / std[i % len(std)] for i, v in enumerate(x)]
    scores = [b + sum(w * v for w, v in zip(row, x)) for row, b in zip(data["weights"], data["bias"])]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    return [e / sum(exps) for e in exps]


def next_frames(page: Any) -> None:
    """Wait two animation frames: the demo scores a drawing on the next frame."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def draw_stroke(page: Any, canvas: Any, points: list[tuple[float, float]]) -> None:
    """Press, move through points (fractions of the canvas), release."""
    box = canvas.bounding_box()
    at = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*at[0])
    page.mouse.down()
    for x, y in at[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def test_drawing_changes_the_scores_and_clear_resets_them(site_url: str, site_dir: Path, make_page: Any,
                                                          console: Console, artifacts: Path) -> None:
    data = demo_data(site_dir, "draw_digit")
    page = mount(make_page(), chapter_url(site_url), ("draw_digit",))
    demo = page.locator('[data-demo="draw_digit"]')
    canvas = demo.locator("canvas.dd-canvas")
    assert read_probs(demo) == [""] * 10
    assert canvas.evaluate("c => getComputedStyle(c).touchAction") == "none"
    draw_stroke(page, canvas, [(0.5, 0.15), (0.52, 0.5), (0.54, 0.85)])
    page.wait_for_function("() => document.querySelector('.dd-scores li').dataset.prob !== ''")
    first = [float(p) for p in read_probs(demo)]
    assert abs(sum(first) - 1) < 0.01
    expected = softmax_of(data, seen_input(demo))
    assert max(abs(a - b) for a, b in zip(first, expected)) < 0.05, "the scores are the network's, for the input shown"
    before = seen_input(demo)
    draw_stroke(page, canvas, [(0.25, 0.3), (0.75, 0.3)])
    next_frames(page)
    after = seen_input(demo)
    assert after != before, "the input follows the drawing"
    second = [float(p) for p in read_probs(demo)]
    assert max(abs(a - b) for a, b in zip(second, softmax_of(data, after))) < 0.05, "and so do the scores"
    demo.screenshot(path=str(artifacts / "draw_digit-drawn.png"))
    demo.get_by_role("button").click()
    assert read_probs(demo) == [""] * 10
    assert canvas.evaluate("c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.every(v => v === 0)")
    assert max(seen_input(demo)) == 0
    assert console.problems == []


# Press, move and release in one task, with no frame in between (a quick flick), then read at once
# what is announced and what the guess says.
QUICK_STROKE = """([fx, fy]) => {
  const demo = document.querySelector('[data-demo="draw_digit"]');
  const canvas = demo.querySelector("canvas.dd-canvas"), box = canvas.getBoundingClientRect();
  const at = (y) => ({clientX: box.left + fx * box.width, clientY: box.top + y * box.height, button: 0,
                      pointerId: 1, bubbles: true, isPrimary: true});
  canvas.setPointerCapture = () => {};  // a synthetic pointer is not an active one to capture
  canvas.dispatchEvent(new PointerEvent("pointerdown", at(fy)));
  canvas.dispatchEvent(new PointerEvent("pointermove", at(fy + 0.5)));
  canvas.dispatchEvent(new PointerEvent("pointerup", at(fy + 0.5)));
  return [demo.querySelector("[aria-live]").textContent, demo.querySelector(".dd-guess").textContent];
}"""


def test_a_quick_stroke_announces_its_own_guess(site_url: str, site_dir: Path, make_page: Any, console: Console) -> None:
    demo_data(site_dir, "draw_digit")
    page = mount(make_page(), chapter_url(site_url), ("draw_digit",))
    for point in ([0.5, 0.2], [0.3, 0.3]):
        announced, guess = page.evaluate(QUICK_STROKE, point)
        assert announced == guess and "%" in guess, "the stroke just drawn is scored before it is announced"
    page.locator('[data-demo="draw_digit"]').get_by_role("button").click()
    assert page.locator('[data-demo="draw_digit"] [aria-live]').inner_text() == \
        page.locator('[data-demo="draw_digit"] .dd-guess').inner_text()
    assert console.problems == []


def test_drawing_by_touch_changes_the_scores(site_url: str, site_dir: Path, make_page: Any, console: Console) -> None:
    demo_data(site_dir, "draw_digit")
    page = mount(make_page(width=390, height=800, has_touch=True, is_mobile=True), chapter_url(site_url), ("draw_digit",))
    demo = page.locator('[data-demo="draw_digit"]')
    canvas = demo.locator("canvas.dd-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    scrolled = page.evaluate("scrollY")
    cdp = page.context.new_cdp_session(page)
    points = [(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * (0.15 + 0.07 * i)) for i in range(11)]
    for kind, (x, y) in [("touchStart", points[0])] + [("touchMove", p) for p in points[1:]]:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function("() => document.querySelector('.dd-scores li').dataset.prob !== ''")
    assert abs(sum(float(p) for p in read_probs(demo)) - 1) < 0.01
    assert page.evaluate("scrollY") == scrolled, "a stroke on the canvas draws, it does not scroll the page"
    assert console.problems == []


def test_chapter_page_weight_is_within_budget(site_url: str, site_dir: Path, make_page: Any,
                                              console: Console, artifacts: Path) -> None:
    for name in DEMOS:
        demo_data(site_dir, name)
    page = make_page()
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    mount(page, chapter_url(site_url))
    page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    page.wait_for_load_state("networkidle")
    sizes = sorted(((len(r.body()), urlparse(r.url).path) for r in responses if r.status == 200), reverse=True)
    total = sum(size for size, _ in sizes)
    report = "\n".join(f"{size:>9} {path}" for size, path in sizes)
    (artifacts / "page-weight.txt").write_text(f"{total} bytes in {len(sizes)} responses\n{report}\n", encoding="utf-8")
    assert {path.split("/")[-1] for _, path in sizes} >= {"data.json", "demo.js", "demo.css"}
    assert total <= PAGE_BUDGET, f"{total} bytes > {PAGE_BUDGET}:\n{report}"
    assert console.problems == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("width", [360, 1280])
def test_demos_fit_the_width_and_their_reserved_height(lang: str, width: int, site_url: str, site_dir: Path,
                                                       make_page: Any, console: Console, artifacts: Path) -> None:
    for name in DEMOS:
        demo_data(site_dir, name)
    page = mount(make_page(width=width, height=800), chapter_url(site_url, lang))
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth"), "no horizontal scroll of the page"
    for name in DEMOS:
        demo = page.locator(f'[data-demo="{name}"]')
        reserved = float(demo.get_attribute("data-reserved") or 0)
        height = demo.evaluate("e => e.getBoundingClientRect().height")
        assert reserved > 0, f"{name} had no height reserved before it mounted"
        assert height <= reserved + 1, f"{name} grew from {reserved}px to {height}px when it mounted"
        assert demo.evaluate("e => getComputedStyle(e).minHeight") in ("auto", "0px"), \
            f"{name} keeps its reserved height once mounted (empty space under it on wide screens)"
        if width == 360:
            demo.screenshot(path=str(artifacts / f"{lang or 'en/'}{name}-phone.png".replace("/", "-")))
    assert console.problems == []


def test_without_javascript_the_fallback_figures_show(site_url: str, site_dir: Path, make_page: Any,
                                                      console: Console) -> None:
    for name in DEMOS:
        fallback = yaml.safe_load((site_dir / "demos" / name / "demo.yaml").read_text(encoding="utf-8"))["fallback"]
        if not (site_dir / fallback.lstrip("/")).is_file():
            skip_or_fail(f"{fallback} is missing: run `python -m training` first")
    page = make_page(java_script_enabled=False)
    page.goto(chapter_url(site_url))
    images = page.locator(".demo img")
    assert images.count() == len(DEMOS)
    for i in range(len(DEMOS)):
        images.nth(i).scroll_into_view_if_needed()
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert console.problems == []
