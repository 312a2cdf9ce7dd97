"""Archive import benchmark: back issues per second and peak memory, and what importing
the seeds does to the relevance figures on the development set.

Speed: generates back issues (``jianbao.archive.samples``: weekly, monthly and daily
issues with 3–8 items, rendered by jianbao as .docx, a share of them as .pdf through one
LibreOffice run) and imports them all into a fresh SQLite store in a child process, whose
peak resident memory is read when it ends. The baseline, in the same run, is reading and
parsing the same files without storing them (the part the checker already did), so the
ratio says what storing, joining, indexing and the decisions cost on top.

Relevance (``--relevance``): the seed reports are imported with ``jianbao archive
import``'s own importer into a fresh store, and their items (the editors' past choices)
are added as positives to the training folds of a 5-fold cross-validation over
``../shared/eval/relevance/dev.tsv``; precision, recall, F1 and average precision on the
dev folds are printed with and without them, with the weekly reports' items and the
daily broadcast's picks apart, and the dev items whose side of the threshold changes.

    .venv/bin/python benchmarks/archive.py [--files 500] [--pdf 100] [--relevance]

Ends with one JSON line of the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def generate(folder: Path, count: int, pdf_count: int) -> list[Path]:
    """``count`` back issues as .docx, ``pdf_count`` of them converted to .pdf with
    their links as jianbao writes them (the .docx of those removed, so each issue is one
    file)."""
    from jianbao.archive.samples import sample_view
    from jianbao.render.docx import render_docx
    from jianbao.render.layout import file_stem
    from jianbao.render.pdf import find_soffice, fontconfig_aliases
    from jianbao.render.pdf_links import annotate_links, docx_links

    kinds = ["weekly"] * 5 + ["monthly"] + ["daily"] * 4
    numbers = {"weekly": 100, "monthly": 10}
    day = date(2015, 1, 2)
    paths = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        number = numbers.get(kind, 0)
        if kind in numbers:
            numbers[kind] += 1
        view = sample_view(kind, number, day, seed=n)
        path = folder / f"{file_stem(view)}.docx"
        paths.append(render_docx(view, path))
        day += timedelta(days=1)
    if pdf_count:
        chosen = paths[:: max(1, len(paths) // pdf_count)][:pdf_count]
        work = folder / "lo"
        work.mkdir()
        (work / "fonts.conf").write_text(fontconfig_aliases(), encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(work / "fonts.conf"), HOME=str(work))
        subprocess.run(
            [find_soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}",
             "--headless", "--convert-to", "pdf", "--outdir", str(folder), *map(str, chosen)],
            check=True, capture_output=True, env=env, timeout=3600,
        )  # fmt: skip
        shutil.rmtree(work)
        for docx in chosen:  # the links jianbao's own PDF carries (render/pdf_links.py)
            annotate_links(docx.with_suffix(".pdf"), docx_links(docx))
            docx.unlink()
        paths = [p if p.exists() else p.with_suffix(".pdf") for p in paths]
    return paths


def _parse_only(paths: list[Path]) -> dict[str, object]:
    from jianbao.archive.parse import parse_issues
    from jianbao.archive.readers import read_document

    seconds: dict[str, float] = {}
    for path in paths:
        started = time.perf_counter()
        parse_issues(read_document(path))
        suffix = path.suffix.lstrip(".")
        seconds[suffix] = seconds.get(suffix, 0.0) + time.perf_counter() - started
    return {"seconds": seconds}


def _import(paths: list[Path], data: Path) -> dict[str, object]:
    from collections import Counter

    from jianbao.archive.importer import import_file, near_copies
    from jianbao.config import Settings
    from jianbao.db.session import Database

    settings = Settings(data_dir=data, database_url=f"sqlite:///{data}/jianbao.db")
    db = Database.from_settings(settings)
    seconds: dict[str, float] = {}
    statuses: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    near = near_copies(db, settings)  # as the CLI: the store's near-copies read once
    for path in paths:
        started = time.perf_counter()
        result = import_file(db, settings, path, near=near)
        suffix = path.suffix.lstrip(".")
        seconds[suffix] = seconds.get(suffix, 0.0) + time.perf_counter() - started
        statuses[result.status] += 1
        if result.reason:
            reasons[result.reason[:60]] += 1
    db.close()
    return {"seconds": seconds, "statuses": dict(statuses), "reasons": dict(reasons)}


def _child(target: str, paths: list[str], data: str, queue: multiprocessing.Queue) -> None:
    files = [Path(p) for p in paths]
    figures = _parse_only(files) if target == "parse" else _import(files, Path(data))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    queue.put(figures)


def in_child(target: str, paths: list[Path], data: Path) -> dict[str, object]:
    """Run one phase in a fresh process, so its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = context.Queue()
    process = context.Process(
        target=_child, args=(target, [str(p) for p in paths], str(data), queue)
    )
    process.start()
    figures: dict[str, object] = queue.get()
    process.join()
    return figures


def speed(count: int, pdf_count: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="jianbao-archive-bench-") as tmp:
        folder = Path(tmp) / "files"
        folder.mkdir()
        started = time.perf_counter()
        paths = generate(folder, count, pdf_count)
        generated = time.perf_counter() - started
        docx = [p for p in paths if p.suffix == ".docx"]
        pdf = [p for p in paths if p.suffix == ".pdf"]
        print(f"generated {len(docx)} .docx and {len(pdf)} .pdf in {generated:.0f} s")
        result: dict[str, object] = {"files": len(paths), "docx": len(docx), "pdf": len(pdf)}
        data = Path(tmp) / "data"
        data.mkdir()
        baseline = in_child("parse", paths, data)
        imported = in_child("import", paths, data)
        base_seconds: dict[str, float] = baseline["seconds"]  # type: ignore[assignment]
        seconds: dict[str, float] = imported["seconds"]  # type: ignore[assignment]
        for name, subset in (("docx", docx), ("pdf", pdf), ("all", paths)):
            if not subset:
                continue
            spent = sum(seconds.values()) if name == "all" else seconds[name]
            base = sum(base_seconds.values()) if name == "all" else base_seconds[name]
            rate, base_rate = len(subset) / spent, len(subset) / base
            result[name] = {
                "files_per_second": round(rate, 1),
                "read_and_parse_files_per_second": round(base_rate, 1),
                "cost_vs_baseline": round(base_rate / rate, 2),
            }
            print(
                f"{name:>4}: {len(subset)} files, import {rate:.1f} files/s "
                f"(read+parse alone {base_rate:.1f}/s, import costs ×{base_rate / rate:.2f})"
            )
        result["peak_rss_mb"] = imported["peak_rss_mb"]
        result["baseline_peak_rss_mb"] = baseline["peak_rss_mb"]
        result["statuses"] = imported["statuses"]
        result["reasons"] = imported["reasons"]
        print(
            f"peak RSS: import {imported['peak_rss_mb']} MB, read+parse alone "
            f"{baseline['peak_rss_mb']} MB; {imported['statuses']}"
        )
        return result


def _imported_items(seeds: Path) -> tuple[dict[str, list[tuple[str, str]]], int]:
    """The seed reports imported by the importer into a fresh store: their items' (title,
    text) by publication kind — the positives ``jianbao model train`` would read."""
    from sqlalchemy import select

    from jianbao.archive.importer import import_paths
    from jianbao.config import Settings
    from jianbao.db.models import Article, Issue, IssueItem, Publication
    from jianbao.db.session import Database
    from jianbao.decisions import training_labels

    with tempfile.TemporaryDirectory(prefix="jianbao-archive-rel-") as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/j.db")
        db = Database.from_settings(settings)
        results = import_paths(db, settings, [seeds])
        with db.session() as session:
            labelled = {article for article, label in training_labels(session) if label == 1}
            rows = session.execute(
                select(Publication.kind, Article.id, Article.title, Article.body)
                .join(IssueItem, IssueItem.article_id == Article.id)
                .join(Issue, Issue.id == IssueItem.issue_id)
                .join(Publication, Publication.id == Issue.publication_id)
            ).all()
        db.close()
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for kind, article, title, body in rows:
        if article in labelled:
            by_kind.setdefault("daily" if kind == "daily" else "weekly", []).append((title, body))
    return by_kind, sum(len(r.issues) for r in results)


def relevance(eval_dir: Path, seeds: Path) -> dict[str, object]:
    """Dev-set figures with and without the imported seed items as positives, and why.

    Besides F1 at the model's 0.5 threshold, average precision (the ranking, threshold
    free) — with 21 relevant items in the dev set one item moves F1 by 0.02–0.04 — and
    the variants that tell the candidate causes apart: the weekly reports' items alone
    (long texts, the same topic as the dev labels), the daily broadcast's picks alone
    (short, the daily's wider scope), and all of them without the probability
    calibration that 20 positives switch on. The dev items the seeds push over the
    threshold are listed."""
    import numpy as np
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import StratifiedKFold

    sys.path.insert(0, str(Path(__file__).parent))
    from relevance import evaluate, load_tsv, prf  # the relevance benchmark's own scoring

    from jianbao.judge.lexicon import HEALTH_IT_TOPIC
    from jianbao.judge.model import train

    dev_path = eval_dir / "relevance" / "dev.tsv"
    if not dev_path.is_file() or not seeds.is_dir():
        print(f"SKIP: relevance data ({dev_path}) or seeds ({seeds}) not found")
        return {"skipped": True}
    dev = load_tsv(dev_path)
    by_kind, issues = _imported_items(seeds)
    weekly, daily = by_kind.get("weekly", []), by_kind.get("daily", [])
    imported = weekly + daily

    def mean_chars(items: list[tuple[str, str]]) -> float:
        return round(float(np.mean([len(t) + len(b) for t, b in items])), 1) if items else 0.0

    sizes = {
        "issues": issues,
        "weekly_items": len(weekly),
        "daily_items": len(daily),
        "chars_weekly_item": mean_chars(weekly),
        "chars_daily_item": mean_chars(daily),
        "chars_dev_item": mean_chars([(t, x) for _, t, x, _ in dev]),
        "dev_items": len(dev),
        "dev_relevant": sum(label for *_, label in dev),
    }
    print(f"imported from the seeds: {sizes}")
    labels_dev = np.array([label for *_, label in dev])
    splits = list(
        StratifiedKFold(n_splits=5, shuffle=True, random_state=7).split(
            np.zeros(len(dev)), labels_dev
        )
    )

    def cross_validated(extra: list[tuple[str, str]], calibration_folds: int = 3) -> np.ndarray:
        probabilities = np.zeros(len(dev))
        for train_idx, test_idx in splits:
            model = train(
                [(dev[i][1], dev[i][2]) for i in train_idx] + extra,
                [*labels_dev[train_idx].tolist(), *([1] * len(extra))],
                calibration_folds=calibration_folds,
            )
            probabilities[test_idx] = model.predict_proba(
                [(dev[i][1], dev[i][2]) for i in test_idx]
            )
        return probabilities

    variants = {
        "dev only": ([], 3),
        "dev + all imported seed items": (imported, 3),
        "dev + the weekly reports' items": (weekly, 3),
        "dev + the daily broadcast's picks": (daily, 3),
        "dev + all imported, uncalibrated": (imported, 1),
    }
    result: dict[str, object] = {"imported": sizes}
    probabilities: dict[str, np.ndarray] = {}
    print(f"\n  {'model trained on':<36} {'P':>6} {'R':>6} {'F1':>6}  tp  fp   AP")
    for name, (extra, folds) in variants.items():
        p = cross_validated(extra, folds)
        probabilities[name] = p
        f = prf(labels_dev.tolist(), (p >= 0.5).tolist())
        ap = float(average_precision_score(labels_dev, p))
        result[name] = {**f, "average_precision": round(ap, 4)}
        print(
            f"  {name:<36} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f}"
            f" {f['tp']:>3} {f['fp']:>3} {ap:.3f}"
        )
    before, after = probabilities["dev only"], probabilities["dev + all imported seed items"]
    moved = [
        {"title": dev[i][1], "label": int(labels_dev[i]), "before": round(float(before[i]), 3),
         "after": round(float(after[i]), 3)}
        for i in range(len(dev))
        if (before[i] >= 0.5) != (after[i] >= 0.5)
    ]  # fmt: skip
    for row in moved:
        print(
            f"  crosses 0.5: {row['before']} → {row['after']} (label {row['label']}) {row['title']}"
        )
    result["crossed_threshold"] = moved
    result["keyword and combined, dev only"] = evaluate(
        "dev (5-fold), trained on dev only", dev, before.tolist(), HEALTH_IT_TOPIC
    )
    result["keyword and combined, dev + imported"] = evaluate(
        "dev (5-fold), trained on dev + the imported seed items", dev, after.tolist(),
        HEALTH_IT_TOPIC,
    )  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=500, help="back issues to generate")
    parser.add_argument("--pdf", type=int, default=100, help="how many of them as PDF")
    parser.add_argument("--relevance", action="store_true", help="the relevance measure only")
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args(argv)
    result: dict[str, object] = {"benchmark": "archive", "load_average": os.getloadavg()[0]}
    if args.relevance:
        result["relevance"] = relevance(args.eval, args.seeds)
    else:
        result["speed"] = speed(args.files, min(args.pdf, args.files))
    result["load_average_end"] = os.getloadavg()[0]
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
