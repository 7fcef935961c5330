"""Voice of the customer benchmark: sentiment accuracy on real labelled reviews, speed at 100k texts,
and the page itself on the demo and on the public review sets uploaded as feedback.

Run: .venv/bin/python -m bench.bench_voc [--quick]
     .venv/bin/python -m bench.bench_voc --page [--sets demo,en,zh] [--tree /tmp/before] [--changes 20]

Data (not shipped; ../shared/data):
- reviews_en_labelled/{amazon_cells,imdb,yelp}_labelled.txt: "text<TAB>label", 1,000 each
  (Kotzias et al. 2015, UCI "Sentiment Labelled Sentences").
- reviews_zh/ChnSentiCorp_htl_all.csv: label,review; 7,766 hotel reviews.

Per set: accuracy and balanced accuracy of the no-label method (VADER for English,
core.voc's own Chinese lexicon) and of the in-domain model (5-fold cross-validated,
core.voc.sentiment.train_in_domain). Then the time to score 100k texts with the
no-label method and to find topics in 100k texts (drawn with replacement from all
sets, so 72% Chinese hotel reviews, the slower language).

--page (issue 14): the page through AppTest, each data set in a fresh process (libraries
imported first, the home page run first, both untimed): first render, a rerun with nothing
changed (median of 5), the What-if share slider changed `--changes` times (p50/p95; AppTest
reruns the whole script even for a fragment, so this bounds what the browser waits for),
the What-if topic, then each main control once; on the demo a second session (the demo's
results are shared per server). Data sets: "demo" (sample_data), "en" (the three
reviews_en_labelled files joined: 3,000 labelled sentences) and "zh" (ChnSentiCorp, 7,765
labelled reviews), read by `core.ingest.ingest_file` as feedback tables. `--tree` measures
another checkout (its app, core and ui) the same way, for before/after figures.

Targets (issue 6): no-label >= VADER (run here directly, 0.80-0.85) on English and
>= SnowNLP (0.71, the issue's measured reference; SnowNLP is not installed) on Chinese; 100k texts scored in < 30 s; in-domain >= 0.90 on the Chinese set and
better than no-label on every set; the in-domain model trained and cross-validated on
ChnSentiCorp in < 10 s; topics in 100k texts in < 30 s (speed targets of the page's
speed-up, so that a marketer waits seconds, not minutes).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from core.voc.language import detect_language
from core.voc.sentiment import is_positive, lexicon_scores, train_in_domain
from core.voc.topics import DEFAULT_TOPICS, MAX_FIT, SEGMENT_ALL, find_topics

# The public data sets (../shared/data); a measured checkout elsewhere is told where they are.
DATA_ENV = "BENCH_VOC_DATA"
SHARED = Path(os.environ.get(DATA_ENV) or Path(__file__).resolve().parents[2] / "shared" / "data")
EN_SETS = ("amazon_cells", "imdb", "yelp")
SNOWNLP_REFERENCE = 0.71
SCORE_SECONDS = 30.0
TOPIC_SECONDS = 30.0
TRAIN_SECONDS = 10.0  # in-domain model on ChnSentiCorp (7.7k): cross-validated and fitted
N_SPEED = 100_000


def load_sets() -> dict[str, pd.DataFrame]:
    sets = {}
    for name in EN_SETS:
        path = SHARED / "reviews_en_labelled" / f"{name}_labelled.txt"
        frame = pd.read_csv(
            path, sep="\t", header=None, names=["text", "label"], quoting=csv.QUOTE_NONE
        )
        sets[name] = frame.dropna().reset_index(drop=True)
    zh = pd.read_csv(SHARED / "reviews_zh" / "ChnSentiCorp_htl_all.csv").dropna()
    sets["chnsenticorp"] = pd.DataFrame(
        {"text": zh["review"].astype(str), "label": zh["label"].astype(int)}
    ).reset_index(drop=True)
    return sets


def vader_accuracy(frame: pd.DataFrame) -> float:
    """VADER run directly, with its authors' convention: positive when compound >= 0.05."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    compound = np.array([analyzer.polarity_scores(t)["compound"] for t in frame["text"]])
    return float(accuracy_score(frame["label"], compound >= 0.05))


PAGE = "app_pages/voc.py"
PAGE_SETS = ("demo", "en", "zh")


def page_tables(name: str) -> dict | None:
    """The session's tables for a data set: None for the demo, else a feedback upload."""
    from core.ingest import ingest_file
    from ui.state import LoadedTable

    if name == "demo":
        return None
    if name == "en":
        parts = [
            (SHARED / "reviews_en_labelled" / f"{s}_labelled.txt").read_bytes() for s in EN_SETS
        ]
        data = b"".join(p if p.endswith(b"\n") else p + b"\n" for p in parts)
        filename = "reviews_en_labelled.txt"
    else:
        filename = "ChnSentiCorp_htl_all.csv"
        data = (SHARED / "reviews_zh" / filename).read_bytes()
    result = ingest_file(data, filename, "feedback")
    table = LoadedTable("feedback", result.table, result.report, result.fingerprint, filename)
    return {"feedback": table}


def page_child(name: str, tree: Path, changes: int) -> None:
    """Time the page on one data set in this process (run by `page_main` in a fresh one)."""
    import importlib

    from streamlit.testing.v1 import AppTest

    for module in ("statsmodels.api", "sklearn.decomposition", "sklearn.linear_model"):
        importlib.import_module(module)
    tables = page_tables(name)

    def session() -> AppTest:
        at = AppTest.from_file(str(tree / "app.py"), default_timeout=900)
        if tables is not None:
            at.session_state["tables"] = tables
        at.run()  # the home page, where a visitor lands (not timed)
        at.switch_page(PAGE)
        return at

    def timed(at: AppTest) -> float:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(str(at.exception))
        return seconds

    rows = len(tables["feedback"].table) if tables else "demo"
    print(f"== {name} ({rows} rows) in {tree}; load {os.getloadavg()[0]:.1f}", flush=True)
    at = session()
    print(f"first render          {timed(at):7.2f} s")
    reruns = [timed(at) for _ in range(5)]
    print(f"rerun, nothing changed {statistics.median(reruns):6.2f} s (median of 5)")
    if any(w.key == "voc_whatif_share" for w in at.slider):
        times = []
        for i in range(changes):
            at.slider(key="voc_whatif_share").set_value(95 - 5 * (i % 19))
            times.append(timed(at))
        p95 = float(np.percentile(times, 95))
        print(
            f"what-if share x{changes:<3}    p50 {statistics.median(times):.2f} s  p95 {p95:.2f} s"
        )
        if len(at.selectbox(key="voc_whatif_topic").options) > 1:
            at.selectbox(key="voc_whatif_topic").select_index(1)
            print(f"what-if topic         {timed(at):7.2f} s")
    steps = [
        ("slider", "voc_k", 6),
        ("slider", "voc_k", 9),
        ("radio", "voc_method", "lexicon"),
        ("radio", "voc_method", "auto"),
        ("selectbox", "voc_example_topic", 1),
        ("multiselect", "voc_filter_tone", ["negative"]),
        ("text_input", "voc_filter_keyword", "room"),
    ]
    if name == "demo":
        steps += [
            ("radio", "voc_target", "detractor"),
            ("selectbox", "voc_breakdown_by", "rfm_segment"),
            ("selectbox", "voc_trend_metric", "avg_rating"),
            ("radio", "voc_score_kind", "rating"),
        ]
    for kind, key, value in steps:
        widgets = [w for w in getattr(at, kind) if w.key == key]
        if not widgets:
            continue
        if kind == "selectbox" and isinstance(value, int):
            widgets[0].select_index(value)
        else:
            widgets[0].set_value(value)
        print(f"{key:<20}  {timed(at):7.2f} s  (-> {value})")
    if name == "demo":
        print(f"second session        {timed(session()):7.2f} s")


def page_main(sets: list[str], trees: list[Path], changes: int) -> int:
    """Each data set in a fresh process per checkout, the checkouts alternating."""
    import subprocess

    for name in sets:
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree), DATA_ENV: str(SHARED)}
            command = [sys.executable, "-m", "bench.bench_voc", "--page-child", name]
            command += ["--tree", str(tree), "--changes", str(changes)]
            subprocess.run(command, cwd=tree, env=env, check=False)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10k texts for the speed runs")
    parser.add_argument("--page", action="store_true", help="time the page (AppTest)")
    parser.add_argument("--sets", default=",".join(PAGE_SETS), help="demo,en,zh")
    parser.add_argument(
        "--tree", action="append", type=Path, help="a checkout to measure (repeatable)"
    )
    parser.add_argument("--changes", type=int, default=20, help="What-if changes")
    parser.add_argument("--page-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    if args.page_child:
        page_child(args.page_child, (args.tree or [root])[0], args.changes)
        return 0
    if args.page:
        return page_main(args.sets.split(","), args.tree or [root], args.changes)
    n_speed = 10_000 if args.quick else N_SPEED
    sets = load_sets()
    ok = True
    print("set            n      no-label acc  bal    in-domain acc  bal    verdict")
    for name, frame in sets.items():
        lexicon = lexicon_scores(frame["text"])
        guess = is_positive(lexicon.to_numpy())
        acc, bal = (
            accuracy_score(frame["label"], guess),
            balanced_accuracy_score(frame["label"], guess),
        )
        started = time.perf_counter()
        model = train_in_domain(frame["text"], frame["label"].astype(float), lexicon)
        seconds = time.perf_counter() - started
        reference = SNOWNLP_REFERENCE if name == "chnsenticorp" else vader_accuracy(frame)
        checks = [acc >= reference, model.accuracy is not None and model.accuracy > acc]
        if name == "chnsenticorp":
            checks += [model.accuracy >= 0.90, seconds < TRAIN_SECONDS]
        verdict = "PASS" if all(checks) else "FAIL"
        ok &= verdict == "PASS"
        print(
            f"{name:<14} {len(frame):>5}  {acc:12.3f}  {bal:.3f}  {model.accuracy:13.3f}  "
            f"{model.balanced_accuracy:.3f}  {verdict}  (reference {reference:.3f}; "
            f"in-domain CV + fit {seconds:.1f} s"
            + (f", target < {TRAIN_SECONDS:.0f} s)" if name == "chnsenticorp" else ")")
        )

    pool = pd.concat([f["text"] for f in sets.values()], ignore_index=True)
    rng = np.random.default_rng(0)
    texts = pool.iloc[rng.integers(0, len(pool), n_speed)].reset_index(drop=True)
    chars = int(texts.str.len().sum())
    started = time.perf_counter()
    languages = detect_language(texts)
    scores = lexicon_scores(texts, languages)
    score_seconds = time.perf_counter() - started
    share_zh = float((languages == "zh").mean())
    limit = SCORE_SECONDS * n_speed / N_SPEED
    verdict = "PASS" if score_seconds < limit else "FAIL"
    ok &= verdict == "PASS"
    print(
        f"score {n_speed:,} texts ({share_zh:.0%} Chinese, {chars / 1e6:.1f} M characters; "
        f"language detection included): {score_seconds:.1f} s  {verdict} (target < {limit:.0f} s; "
        f"{int(scores.isna().sum())} texts without letters, e.g. '10/10', not scored)"
    )
    started = time.perf_counter()
    topics = find_topics(texts, DEFAULT_TOPICS, languages)
    topic_seconds = time.perf_counter() - started
    # Topics have fixed costs (jieba's dictionary, the NMF fit on MAX_FIT clauses): the
    # target is for 100k texts only, --quick just prints the time.
    verdict = "PASS" if topic_seconds < TOPIC_SECONDS else "FAIL"
    if n_speed == N_SPEED:
        ok &= verdict == "PASS"
    else:
        verdict = "(--quick: no verdict)"
    distinct = topics.clauses["clause"].nunique()
    print(
        f"topics in {n_speed:,} texts (k={DEFAULT_TOPICS}; {distinct:,} distinct of "
        f"{len(topics.clauses):,} clauses; jieba on every distinct one up to "
        f"{SEGMENT_ALL:,} distinct Chinese clauses, else on the NMF fitting sample of "
        f"{MAX_FIT:,}): {topic_seconds:.1f} s  {verdict} (target < {TOPIC_SECONDS:.0f} s at 100k)"
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
