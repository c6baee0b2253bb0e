"""What the browser tests share besides fixtures: where things are, and skip-or-fail."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE_URL = "/book"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail under CI (env CI set), where everything must run."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass
class Console:
    """Console errors and warnings, uncaught exceptions and failed requests of one page."""

    problems: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        """Start collecting from `page`."""
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"requestfailed: {r.url}"))
