"""Fixtures for the demo site's tests: one running demo site per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jianbao.demo.site import DemoSite, serve_demo


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with serve_demo() as site:
        yield site
