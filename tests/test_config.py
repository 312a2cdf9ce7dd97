"""Settings: declared once with help text, read from env and TOML, errors made clear."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.config import Settings, load_settings
from jianbao.errors import ConfigError


def test_every_setting_has_help_text() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not f.description]
    assert missing == []


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_PER_HOST_DELAY", "2.5")
    monkeypatch.setenv("JIANBAO_SSRF_ALLOWLIST", '["10.0.0.0/8"]')
    settings = load_settings()
    assert settings.per_host_delay == 2.5
    assert settings.ssrf_allowlist == ["10.0.0.0/8"]


def test_a_toml_file_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('publisher = "某市卫生健康委信息中心"\nsummary_length = 80\n', encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    settings = load_settings()
    assert settings.publisher == "某市卫生健康委信息中心"
    assert settings.summary_length == 80


def test_a_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JIANBAO_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="找不到配置文件"):
        load_settings()


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_FETCH_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="fetch_timeout"):
        load_settings()


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="language"):
        load_settings(language="fr", data_dir=tmp_path)


def test_sqlite_is_the_default_store(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/jianbao.db"


def test_ranking_weights_are_set_by_name_and_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from dataclasses import fields

    from jianbao.config import RANK_WEIGHT_NAMES
    from jianbao.judge.rank import RankWeights, weights_from

    names = tuple(f.name for f in fields(RankWeights) if f.name != "authority")
    assert names == RANK_WEIGHT_NAMES
    path = tmp_path / "site.toml"
    path.write_text("[rank_weights]\ngovernment = 0.8\nrecency = 0\n", encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    weights = weights_from(load_settings().rank_weights)
    assert (weights.government, weights.recency, weights.relevance) == (0.8, 0.0, 1.0)
    with pytest.raises(ConfigError, match="governmnet"):
        load_settings(rank_weights={"governmnet": 1.0})
    with pytest.raises(ConfigError, match="negative"):
        load_settings(rank_weights={"policy": -1})


def test_authority_lists_from_the_config_file_rank_a_publications_own_sites(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from jianbao.judge.authority import GOVERNMENT, authority_tier
    from jianbao.judge.rank import ranking_weights

    path = tmp_path / "site.toml"
    path.write_text('[authority]\ngovernment_domains = ["wsjkw.example.cn"]\n', encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    weights = ranking_weights(load_settings())
    assert authority_tier("https://wsjkw.example.cn/a", None, weights.authority) == GOVERNMENT
    with pytest.raises(ConfigError, match="government_sites"):
        load_settings(authority={"government_sites": ["x"]})


def test_schedule_settings_are_checked(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, collect_hours="06:00-22:00", timezone="Asia/Urumqi")
    assert settings.collect_hours == "06:00-22:00" and settings.collect_every_minutes == 30
    for bad in (
        {"timezone": "Asia/Beijing"},
        {"collect_hours": "22:00-06:00"},
        {"backup_at": "2am"},
        {"collect_every_minutes": 0},
    ):
        with pytest.raises(ConfigError) as err:
            load_settings(data_dir=tmp_path, **bad)
        assert next(iter(bad)) in err.value.message


def test_a_toml_syntax_error_names_the_file_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "jianbao.toml"
    path.write_text('publisher = "某市\nsummary_length = 80\n', encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    text = str(caught.value)
    assert "不是合法的 TOML" in text and "line 1" in text and str(path) in text


def test_a_gbk_config_file_says_save_as_utf8(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "jianbao.toml"
    path.write_bytes('publisher = "某市卫生健康委信息中心"\n'.encode("gbk"))
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert "UTF-8" in str(caught.value) and str(path) in str(caught.value)


def test_a_list_variable_not_in_json_names_the_variable_and_the_form(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JIANBAO_SSRF_ALLOWLIST", "127.0.0.1/32")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    text = str(caught.value)
    assert "JIANBAO_SSRF_ALLOWLIST" in text and "JSON" in text
    assert "127.0.0.1/32" not in text  # a variable's value may be a secret


def test_a_broken_config_ends_a_command_in_one_line(tmp_path: Path) -> None:
    """The real command: one error line naming the file, exit 1, no traceback (the error
    handler's language lookup read the settings again and raised a second time)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "jianbao.toml"
    path.write_text('publisher = "某市\n', encoding="utf-8")
    # a terminal wide enough for the line: a pipe is 80 columns to rich, which breaks a
    # long temporary path (CI's) across lines
    env = {
        **os.environ,
        "JIANBAO_CONFIG": str(path),
        "JIANBAO_DATA_DIR": str(tmp_path),
        "COLUMNS": "1000",
    }
    done = subprocess.run(
        [sys.executable, "-m", "jianbao", "sources", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and str(path) in done.stderr
    assert done.stderr.strip().startswith("错误：配置：配置文件不是合法的 TOML")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
