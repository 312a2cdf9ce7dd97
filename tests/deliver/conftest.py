"""Fixtures of the delivery tests: issue views, settings that let loopback through, and
the platform fakes started and stopped around each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deliver.fakes import FakeClock, FakeDingTalk, FakeFeishu, FakeWebhook, FakeWeCom
from deliver.support import T0, make_view
from jianbao.config import Settings
from jianbao.records import IssueView
from jianbao.testing import make_settings


@pytest.fixture
def view_factory() -> Callable[..., IssueView]:
    return make_view


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> FakeClock:
    """A frozen clock shared by jianbao and the fake in a test (moved by the test)."""
    return FakeClock(T0)


@pytest.fixture
def wecom() -> Iterator[FakeWeCom]:
    with FakeWeCom() as fake:
        yield fake


@pytest.fixture
def dingtalk() -> Iterator[FakeDingTalk]:
    with FakeDingTalk(secret="SECdingtalk-secret-abcdef", keywords=["简报"]) as fake:
        yield fake


@pytest.fixture
def feishu() -> Iterator[FakeFeishu]:
    with FakeFeishu(secret="feishu-secret-abcdef", keywords=["简报"]) as fake:
        yield fake


@pytest.fixture
def webhook() -> Iterator[FakeWebhook]:
    with FakeWebhook(secret="webhook-secret-abcdef") as fake:
        yield fake
