"""Extraction benchmark: jianbao against trafilatura and readability-lxml, in one run.

Usage::

    .venv/bin/python benchmarks/extraction.py [DATA_DIR] [--limit N] [--systems a,b]

DATA_DIR defaults to ``../shared/eval/extraction/`` relative to the repository root and
holds one folder per data set, in either layout:

* ``html/<id>.html`` + ``reference/<id>.txt`` (reference = ``<p>…</p>`` paragraphs; the
  headline is part of the reference, so every system is scored on title + body);
* ``original/<id>.html`` + ``cleaned/<id>.txt`` (body only), with optional
  ``date/<id>.txt`` and ``author/<id>.txt`` (``UNKNOWN`` when the page states none).

Figures per system: mean body character-F1 with precision and recall (characters compared
as multisets, whitespace removed), pages under 0.5, date accuracy to the day on pages
with a known date (to the month or year when only those are known), author accuracy on
pages with a known author, and milliseconds per page (mean and median). The last line of
output is one JSON object with every figure, so other runs can be compared by machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / ".." / "shared" / "eval" / "extraction"

_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
_WRAPPER_URL = re.compile(rb'<text\s+id="([^"]+)"')
_GT_DATE = re.compile(r"^\s*((?:19|20)\d{2})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


# -- data -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    dataset: str
    id: str
    url: str
    html: bytes
    reference: str
    #: whether the reference holds the headline (score title + body)
    with_title: bool
    #: (year, month, day) with None for what is unknown; None when no date is known
    date: tuple[int, int | None, int | None] | None = None
    author: str | None = None
    has_author_truth: bool = False


def _read_text(path: Path) -> str:
    return path.read_text("utf-8", errors="replace") if path.exists() else ""


def _gt_date(text: str) -> tuple[int, int | None, int | None] | None:
    match = _GT_DATE.match(text)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    return year, month, day


def _url_for(dataset: str, page_id: str, html: bytes) -> str:
    wrapper = _WRAPPER_URL.search(html[:2000])
    if wrapper:
        return wrapper.group(1).decode("ascii", "replace")
    parts = page_id.split("_")
    if len(parts) >= 3 and "." in parts[1]:
        return f"http://{parts[1]}/{parts[2][:16]}.html"
    return f"http://example.com/{dataset}/{page_id}.html"


def load_pages(root: Path) -> list[Page]:
    """Every page of every data set under ``root``, in a stable order."""
    pages: list[Page] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if (folder / "html").is_dir() and (folder / "reference").is_dir():
            for html_path in sorted((folder / "html").glob("*.html")):
                ref = folder / "reference" / (html_path.stem + ".txt")
                if not ref.exists():
                    continue
                raw = _read_text(ref)
                paragraphs = [_TAG.sub("", p) for p in re.split(r"</p>\s*", raw)]
                html = html_path.read_bytes()
                pages.append(
                    Page(
                        folder.name,
                        html_path.stem,
                        _url_for(folder.name, html_path.stem, html),
                        html,
                        "\n".join(p.strip() for p in paragraphs if p.strip()),
                        with_title=True,
                    )
                )
        elif (folder / "original").is_dir() and (folder / "cleaned").is_dir():
            for html_path in sorted((folder / "original").glob("*.html")):
                ref = folder / "cleaned" / (html_path.stem + ".txt")
                if not ref.exists():
                    continue
                html = html_path.read_bytes()
                author = _read_text(folder / "author" / (html_path.stem + ".txt")).strip()
                known_author = bool(author) and author.upper() not in ("UNKNOWN", "UNKNWON")
                pages.append(
                    Page(
                        folder.name,
                        html_path.stem,
                        _url_for(folder.name, html_path.stem, html),
                        html,
                        _read_text(ref),
                        with_title=False,
                        date=_gt_date(_read_text(folder / "date" / (html_path.stem + ".txt"))),
                        author=author if known_author else None,
                        has_author_truth=(folder / "author").is_dir(),
                    )
                )
    return pages


# -- systems --------------------------------------------------------------------------------


@dataclass(slots=True)
class Output:
    title: str = ""
    body: str = ""
    date: datetime | None = None
    author: str | None = None


def run_jianbao(page: Page) -> Output:
    from jianbao.errors import ExtractError
    from jianbao.extract import extract_article

    try:
        article = extract_article(page.html, page.url)
    except ExtractError:
        return Output()
    return Output(article.title, article.body, article.published_at, article.author)


def run_trafilatura(page: Page) -> Output:
    import trafilatura

    document = trafilatura.bare_extraction(
        page.html, url=page.url, with_metadata=True, include_comments=False
    )
    if document is None or isinstance(document, dict):
        return Output()
    date = None
    if document.date:
        try:
            date = datetime.fromisoformat(document.date)
        except ValueError:
            date = None
    return Output(document.title or "", document.text or "", date, document.author)


def run_readability(page: Page) -> Output:
    from lxml import html as lxml_html
    from readability import Document

    document = Document(page.html)
    summary = document.summary(html_partial=True)
    tree = lxml_html.fromstring(summary) if summary.strip() else None
    text = ""
    if tree is not None:
        blocks = tree.xpath("//p|//div[not(.//p|.//div)]|//li|//td[not(.//p|.//div)]")
        text = "\n".join(b.text_content().strip() for b in blocks) or tree.text_content()
    return Output(document.short_title() or "", text)


SYSTEMS: dict[str, Callable[[Page], Output]] = {
    "jianbao": run_jianbao,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
}


# -- scoring --------------------------------------------------------------------------------


def char_prf(predicted: str, reference: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of characters (as multisets), whitespace removed."""
    pred = Counter(_WS.sub("", predicted))
    ref = Counter(_WS.sub("", reference))
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & ref).values())
    precision = overlap / max(1, sum(pred.values()))
    recall = overlap / max(1, sum(ref.values()))
    f1 = 0.0 if overlap == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def date_correct(found: datetime | None, truth: tuple[int, int | None, int | None]) -> bool:
    if found is None:
        return False
    year, month, day = truth
    return (
        found.year == year
        and (month is None or found.month == month)
        and (day is None or found.day == day)
    )


def author_correct(found: str | None, truth: str | None) -> bool:
    if truth is None:
        return not found
    if not found:
        return False
    a, b = _WS.sub("", found), _WS.sub("", truth)
    return bool(a) and (a == b or a in b or b in a)


@dataclass(slots=True)
class Score:
    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    authors: list[bool] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    errors: int = 0

    def figures(self) -> dict[str, float | int | None]:
        def mean(values: list[float] | list[bool]) -> float | None:
            return round(sum(values) / len(values), 4) if values else None

        return {
            "pages": len(self.f1),
            "f1": mean(self.f1),
            "precision": mean(self.precision),
            "recall": mean(self.recall),
            "under_0_5": sum(1 for v in self.f1 if v < 0.5),
            "date_accuracy": mean(self.dates),
            "date_pages": len(self.dates),
            "author_accuracy": mean(self.authors),
            "author_pages": len(self.authors),
            "ms_mean": round(statistics.fmean(self.ms), 1) if self.ms else None,
            "ms_median": round(statistics.median(self.ms), 1) if self.ms else None,
            "errors": self.errors,
        }


def evaluate(
    pages: list[Page],
    systems: list[str],
    per_page: Callable[[str, Page, float], None] | None = None,
) -> dict[str, dict[str, Score]]:
    """Scores per system, per data set and over everything (key ``all``)."""
    results: dict[str, dict[str, Score]] = {name: {"all": Score()} for name in systems}
    for page in pages:
        for name in systems:
            started = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    output = SYSTEMS[name](page)
                failed = False
            except Exception:  # a baseline crashing on a page scores 0 there
                output, failed = Output(), True
            elapsed = (time.perf_counter() - started) * 1000
            text = output.body
            if page.with_title and output.title:
                text = output.title + "\n" + text
            precision, recall, f1 = char_prf(text, page.reference)
            for key in ("all", page.dataset):
                score = results[name].setdefault(key, Score())
                score.f1.append(f1)
                score.precision.append(precision)
                score.recall.append(recall)
                score.ms.append(elapsed)
                score.errors += int(failed)
                if page.date is not None:
                    score.dates.append(date_correct(output.date, page.date))
                if page.has_author_truth and page.author is not None:
                    score.authors.append(author_correct(output.author, page.author))
            if per_page:
                per_page(name, page, f1)
    return results


def _table(results: dict[str, dict[str, Score]]) -> str:
    lines = [
        "| system | set | pages | F1 | P | R | <0.5 | date acc | author acc | ms mean | ms median |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, by_set in results.items():
        for key in ["all", *sorted(k for k in by_set if k != "all")]:
            f = by_set[key].figures()

            def show(value: object) -> str:
                return "–" if value is None else str(value)

            lines.append(
                f"| {name} | {key} | {f['pages']} | {show(f['f1'])} | {show(f['precision'])} "
                f"| {show(f['recall'])} | {f['under_0_5']} | {show(f['date_accuracy'])} "
                f"| {show(f['author_accuracy'])} | {show(f['ms_mean'])} | {show(f['ms_median'])} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA), help="data folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    parser.add_argument("--worst", type=int, default=0, help="list jianbao's N worst pages")
    args = parser.parse_args(argv)

    root = Path(args.data)
    if not root.is_dir():
        print(
            f"跳过：评测数据目录不存在 {root} (evaluation data absent; pass the folder as the "
            "first argument, e.g. ../shared/eval/extraction/)"
        )
        print(json.dumps({"skipped": True, "data": str(root)}))
        return 0
    pages = load_pages(root)
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        print(f"跳过：{root} 下没有可识别的数据集 (no data set in a known layout)")
        print(json.dumps({"skipped": True, "data": str(root)}))
        return 0
    systems = [s for s in args.systems.split(",") if s]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        print(f"未知系统 {unknown}；可选：{', '.join(SYSTEMS)}", file=sys.stderr)
        return 2
    worst: list[tuple[float, str]] = []

    def note(name: str, page: Page, f1: float) -> None:
        if name == "jianbao":
            worst.append((f1, f"{page.dataset}/{page.id}"))

    # warm-up: import and first-call costs are not per-page costs
    for name in systems:
        with contextlib.suppress(Exception):
            SYSTEMS[name](pages[0])
    results = evaluate(pages, systems, note)
    print(_table(results))
    if args.worst:
        for f1, page_id in sorted(worst)[: args.worst]:
            print(f"  {f1:.3f} {page_id}")
    summary: dict[str, object] = {
        "data": str(root),
        "pages": len(pages),
        "systems": {name: by_set["all"].figures() for name, by_set in results.items()},
        "by_set": {
            name: {k: s.figures() for k, s in by_set.items() if k != "all"}
            for name, by_set in results.items()
        },
    }
    if "jianbao" in results:
        jb = results["jianbao"]["all"].figures()
        baselines = [results[n]["all"].figures() for n in results if n != "jianbao"]
        targets: dict[str, object] = {
            "f1_at_least_0_95": (jb["f1"] or 0) >= 0.95,
            "date_accuracy_at_least_0_90": (jb["date_accuracy"] or 0) >= 0.90,
        }
        if baselines:
            best = max(b["f1"] or 0.0 for b in baselines)
            targets["f1_margin_over_best_baseline"] = round((jb["f1"] or 0) - best, 4)
            targets["f1_margin_at_least_0_03"] = (jb["f1"] or 0) - best >= 0.03
        summary["targets"] = targets
        if "trafilatura" in results:
            tf = results["trafilatura"]["all"].figures()
            targets["median_ms_not_slower_than_trafilatura"] = (jb["ms_median"] or 0) <= (
                tf["ms_median"] or 0
            )
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
