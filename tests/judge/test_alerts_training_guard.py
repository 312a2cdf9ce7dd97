"""The alerts benchmark trains the incident classifier on the shipped pages (development
pages and spent held-out parts) but never on the file it scores: a page of the scored file
— by id, by address or by its text — is dropped from the training rows first."""

from __future__ import annotations

from pathlib import Path


def _write(path: Path, rows: list[tuple[str, int, str, str, str, str]]) -> None:
    lines = ["id\tlabel\tpolarity\ttitle\ttext\turl"]
    lines += ["\t".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_scored_files_pages_are_dropped_by_id_address_or_text(
    benchmark_module, tmp_path: Path
) -> None:
    bench = benchmark_module("alerts")
    dev = tmp_path / "dev.tsv"
    spent = tmp_path / "spent.tsv"
    _write(
        dev,
        [
            ("d1", 1, "neg", "医院系统瘫痪", "挂号停了两小时。", "https://a.example/1"),
            ("d2", 0, "neu", "演练", "医院举行网络安全演练。", "https://a.example/2"),
            ("d3", 1, "neg", "数据泄露", "患者信息被卖。", "https://a.example/3"),
        ],
    )
    _write(
        spent,
        [
            ("s1", 0, "neg", "评论", "一篇时评。", "https://b.example/1"),
            ("s2", 1, "neg", "医院遭勒索", "服务器被加密。", "https://b.example/2"),
        ],
    )
    scored_path = tmp_path / "scored.tsv"
    _write(
        scored_path,
        [
            ("d1", 1, "neg", "另一标题", "另一正文。", ""),  # the same id
            ("x1", 0, "neu", "", "别的页面。", "https://a.example/2"),  # the same address
            ("x2", 1, "neg", "医院遭勒索", "服务器被加密。", "https://c.example/9"),  # same text
            ("x3", 0, "neu", "新页面", "与训练无关。", "https://c.example/10"),
        ],
    )
    scored = bench.load(scored_path)
    kept = bench.training_rows(scored, bench.urls(scored_path), parts=(dev, spent))
    assert [row[0] for row in kept] == ["d3", "s1"]
    # a file that shares nothing with the training pages leaves them all
    assert len(bench.training_rows(scored[3:], {}, parts=(dev, spent))) == 5


def test_the_shipped_pages_are_the_development_pages_and_the_spent_parts(
    benchmark_module,
) -> None:
    bench = benchmark_module("alerts")
    header, *rows = bench.SEED.read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == ["label", "title", "text", "url", "id"]
    shipped = {row.split("\t")[4] for row in rows}
    expected = {row[0] for path in (bench.DEV, *bench.SPENT) for row in bench.load(path)}
    assert shipped == expected and len(rows) == len(expected)
