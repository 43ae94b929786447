"""The HTML page in a real headless browser (Debian's Chromium): it renders, highlights, and the
browser's DOM holds every unit. Skips when /usr/bin/chromium is absent."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stance import classify
from stance.html import BORDERS, COLOURS, render_html

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_a41ec2105ae844da.txt"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WIDTH, HEIGHT = 1200, 1600


def chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class Units(HTMLParser):
    """The text of each ``span.unit`` (without its tip) and its data-label."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[tuple[str, str]] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        attributes = dict(attrs)
        kind = attributes.get("class") or ""
        if kind == "unit":
            self.units.append(("", attributes.get("data-label") or ""))
        self._stack.append(kind)

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "unit":
            text, label = self.units[-1]
            self.units[-1] = (text + data, label)


@pytest.fixture(scope="module")
def page(tiny_classifier, tmp_path_factory) -> tuple[Path, str, object]:
    text = SEED.read_text(encoding="utf-8")
    result = classify(text, model=tiny_classifier, all_scores=True)
    path = tmp_path_factory.mktemp("browser") / "page.html"
    path.write_text(render_html(text, result, title=SEED.name), encoding="utf-8")
    return path, text, result


def test_screenshot_shows_the_highlighted_article(page, tmp_path):
    image = pytest.importorskip("matplotlib.image")
    np = pytest.importorskip("numpy")
    path, _, result = page
    png = tmp_path / "page.png"
    done = chromium(tmp_path, f"--screenshot={png}", f"--window-size={WIDTH},{HEIGHT}",
                    path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.is_file() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(str(png))
    assert pixels.shape[:2] == (HEIGHT, WIDTH)
    pixels = (pixels[..., :3] * 255).round().astype(int).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    found = {tuple(int(v) for v in c): int(n) for c, n in zip(colours, counts, strict=True)}
    assert len(found) >= 20, "the screenshot is (nearly) blank"
    assert found.get((255, 255, 255), 0) < len(pixels) * 0.97, "the screenshot is nearly all white"
    for label in COLOURS:  # the legend shows every label's colours
        assert found.get(rgb(COLOURS[label]), 0) > 0, f"no {label} highlight colour"
        assert found.get(rgb(BORDERS[label]), 0) > 0, f"no {label} border colour"
    # The units themselves are painted: far more highlight than the legend's one swatch.
    for label in {unit.label for unit in result.units}:
        assert found.get(rgb(COLOURS[label]), 0) > 5_000, f"{label} units are not highlighted"


def test_browser_dom_holds_every_unit(page, tmp_path):
    path, text, result = page
    done = chromium(tmp_path, "--dump-dom", path.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.lstrip().startswith("<!DOCTYPE html>") or "<html" in dom[:200]
    parser = Units()
    parser.feed(dom)
    expected = [(text[u.start:u.end], u.label) for u in sorted(result.units, key=lambda u: u.start)]
    assert len(expected) >= 5
    assert parser.units == expected
    assert dom.count('class="tip"') == len(expected)
    for speaker in result.speakers:
        assert f"<td>{speaker.speaker}</td>" in dom.replace("&amp;", "&")
