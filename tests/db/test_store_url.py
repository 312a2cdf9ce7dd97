"""A store URL written wrong: one configuration error saying how it is written, and the
password never shown — errors go to the journal and the container logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.db.session import Database, shown_url
from jianbao.errors import ConfigError

SECRET = "S3cretPW"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("jb:S3cretPW@127.0.0.1:5432/jb", "无法识别"),  # the scheme forgotten
        ("postgres://jb:S3cretPW@127.0.0.1:1/jb", "pg8000"),
        ("postgresql://jb:S3cretPW@127.0.0.1:1/jb", "pg8000"),
        ("postgresql+psycopg2://jb:S3cretPW@127.0.0.1:1/jb", "pg8000"),
        ("mysql://jb:S3cretPW@127.0.0.1/jb", "不可用"),
        ("postgresql+pg8000://jb:S3cretPW@127.0.0.1:54x32/jb", "无法识别"),
        ("postgresql+pg8000://jb:S3cret@PW@127.0.0.1:5432/jb", "%40"),
    ],
)
def test_a_wrong_store_url_is_a_config_error_without_the_password(url: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Database(url)
    text = str(caught.value)
    assert said in text and "postgresql+pg8000://" in text
    assert SECRET not in text and "S3cret" not in text and "PW@" not in text


def test_the_shown_url_masks_what_no_parser_reads() -> None:
    assert shown_url("jb:pw@h:5432/jb") == "jb:***@h:5432/jb"
    assert shown_url("postgresql+pg8000://jb:a@b/c@h/jb") == "postgresql+pg8000://jb:***@h/jb"
    assert shown_url("postgresql+pg8000://jb@h/jb") == "postgresql+pg8000://jb@h/jb"
    assert shown_url("sqlite:////data/jianbao.db") == "sqlite:////data/jianbao.db"


def test_a_right_sqlite_url_still_opens(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a' / 'jianbao.db'}")
    db.close()
