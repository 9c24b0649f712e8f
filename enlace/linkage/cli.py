"""Batch linkage of CSV files: ``python -m enlace.linkage link|dedupe|train``.

Input columns: :data:`enlace.linkage.columns.INPUT_COLUMNS` (``id`` required; birth_date
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty; ``document_number``: identity document numbers,
several separated by ``;``).
The functions :func:`link_files` and :func:`dedupe_file` hold the logic so the Django
management commands can call them.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from enlace.linkage import model as mdl
from enlace.linkage.columns import INPUT_COLUMNS, REQUIRED_COLUMNS

__all__ = ["dedupe_file", "link_files", "load_model", "main", "read_records", "train_files"]

log = logging.getLogger(__name__)

# The CSV header every command reads (all optional but id), for the help texts.
COLUMNS_HELP = (
    f"input CSV columns: {','.join(INPUT_COLUMNS)} (only {', '.join(REQUIRED_COLUMNS)} required)"
)

MEMORY_HELP = (
    "DuckDB memory cap (spills to disk beyond it). The process also holds the records as Arrow "
    "(about 0.65 GB per million) and Python caches: about 1.9 GB on top of the cap at 1M records"
)


def read_records(path: str | Path) -> Iterator[dict[str, str]]:
    """Rows of an input CSV (UTF-8, BOM tolerated); ``id`` is required."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: the CSV needs a header with an 'id' column ({COLUMNS_HELP})")
        yield from reader


def load_model(path: str | Path | None) -> dict[str, Any] | None:
    """A model JSON file as a dict (None passes through)."""
    if path is None:
        return None
    loaded: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded


def _table(path: str | Path, role: mdl.Role = None) -> pa.Table:
    return mdl.records_table(read_records(path), role=role)


def train_files(
    left: str | Path,
    right: str | Path | None = None,
    out: str | Path | None = None,
    *,
    memory_limit: str = "2GB",
) -> dict[str, Any]:
    """Train a model on one file (dedupe) or two (link); write it to ``out`` if given."""
    model = mdl.train(
        _table(left), _table(right) if right is not None else None, memory_limit=memory_limit
    )
    if out is not None:
        Path(out).write_text(json.dumps(model, indent=1), encoding="utf-8")
    return model


def _model_or_train(
    model: Mapping[str, Any] | str | Path | None,
    left: pa.Table,
    right: pa.Table | None,
    memory_limit: str,
    con: Any = None,
) -> dict[str, Any]:
    if model is None:
        return mdl.train(left, right, memory_limit=memory_limit, con=con)
    if isinstance(model, str | Path):
        loaded = load_model(model)
        if loaded is None:  # pragma: no cover - load_model only returns None for None
            raise ValueError("no model")
        return loaded
    return dict(model)


def link_files(
    left: str | Path,
    right: str | Path,
    out: str | Path,
    model: Mapping[str, Any] | str | Path | None = None,
    *,
    top: int = 10,
    min_probability: float = 0.01,
    memory_limit: str = "2GB",
    save_model: str | Path | None = None,
    pairwise: bool = False,
) -> dict[str, Any]:
    """Link two CSV files; write ``left_id,right_id,match_probability,match_weight``.

    ``left`` holds the records sought (tracing requests), ``right`` the registry: a request
    that knows little is searched wider (blocking.request_keys). At most ``top`` right records
    per left record, those with probability >= ``min_probability``, best first. Trains on the
    two files unless ``model`` is given (a dict or a path to a JSON file). Returns a small
    summary dict.

    Each left record seeks one person and the registry holds each person once, so a left
    record's candidates share its probability (``match_probability``: the chance that this
    candidate, and not another, is the one sought; ``model.predict(exclusive=True)``);
    ``min_probability`` applies to the pair's own probability. ``pairwise``: each pair's own
    probability instead (a registry that may hold a person twice).
    """
    started = time.perf_counter()
    con = mdl.connect(memory_limit)
    # The left file holds the records sought (requests), the right one the registry: a thin
    # request reaches the registry's wide keys (blocking.request_keys).
    left_t, right_t = _table(left, "request"), _table(right, "registry")
    n_left, n_right = left_t.num_rows, right_t.num_rows
    trained = _model_or_train(model, left_t, right_t, memory_limit, con)
    if save_model is not None:
        Path(save_model).write_text(json.dumps(trained, indent=1), encoding="utf-8")
    pairs = mdl.predict(
        left_t,
        right_t,
        trained,
        threshold=min_probability,
        con=con,
        top=int(top),
        exclusive=not pairwise,
    )
    del left_t, right_t  # the pairs are all we need now: free the record tables
    best = sorted(
        zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            pairs.column("match_weight").to_pylist(),
            strict=True,
        ),
        key=lambda row: (row[0], -row[3], row[1]),
    )
    with Path(out).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["left_id", "right_id", "match_probability", "match_weight"])
        for left_id, right_id, prob, weight in best:
            writer.writerow([left_id, right_id, f"{prob:.6f}", f"{weight:.4f}"])
    con.close()
    return {
        "left_records": n_left,
        "right_records": n_right,
        "pairs_written": len(best),
        "seconds": round(time.perf_counter() - started, 3),
    }


def dedupe_file(
    path: str | Path,
    out: str | Path,
    model: Mapping[str, Any] | str | Path | None = None,
    *,
    threshold: float = 0.5,
    memory_limit: str = "2GB",
    save_model: str | Path | None = None,
) -> dict[str, Any]:
    """Deduplicate one CSV file; write ``id,cluster_id`` for every input record.

    Records linked with probability >= ``threshold`` share a cluster (connected components);
    the cluster id is the smallest record id in it.
    """
    started = time.perf_counter()
    con = mdl.connect(memory_limit)
    table = _table(path)
    trained = _model_or_train(model, table, None, memory_limit, con)
    if save_model is not None:
        Path(save_model).write_text(json.dumps(trained, indent=1), encoding="utf-8")
    pairs = mdl.predict(table, None, trained, threshold=threshold, con=con)
    clusters = mdl.cluster(table, pairs, threshold)
    with Path(out).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "cluster_id"])
        for record_id in table.column("unique_id").to_pylist():
            writer.writerow([record_id, clusters[record_id]])
    con.close()
    return {
        "records": table.num_rows,
        "clusters": len(set(clusters.values())),
        "seconds": round(time.perf_counter() - started, 3),
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m enlace.linkage", description=__doc__, epilog=COLUMNS_HELP
    )
    sub = parser.add_subparsers(dest="command", required=True)

    link = sub.add_parser("link", help="link two CSV files", description=COLUMNS_HELP)
    link.add_argument("--left", required=True, help="the records sought (tracing requests)")
    link.add_argument("--right", required=True, help="the registry they are sought in")
    link.add_argument("--out", required=True)
    link.add_argument("--model", help="saved model JSON (default: train on the input)")
    link.add_argument("--save-model", help="write the model used to this JSON file")
    link.add_argument("--top", type=int, default=10)
    link.add_argument("--min-probability", type=float, default=0.01)
    link.add_argument("--memory-limit", default="2GB", help=MEMORY_HELP)
    link.add_argument(
        "--pairwise",
        action="store_true",
        help="each pair's own probability (default: a left record's candidates share it, "
        "as at most one of them is the person sought)",
    )

    dedupe = sub.add_parser(
        "dedupe", help="cluster the duplicates of one CSV file", description=COLUMNS_HELP
    )
    dedupe.add_argument("--input", required=True)
    dedupe.add_argument("--out", required=True)
    dedupe.add_argument("--model", help="saved model JSON (default: train on the input)")
    dedupe.add_argument("--save-model", help="write the model used to this JSON file")
    dedupe.add_argument("--threshold", type=float, default=0.5)
    dedupe.add_argument("--memory-limit", default="2GB", help=MEMORY_HELP)

    train = sub.add_parser(
        "train", help="train a model and save it as JSON", description=COLUMNS_HELP
    )
    train.add_argument("--input", required=True)
    train.add_argument("--right", help="second file: train for linking")
    train.add_argument("--out", required=True)
    train.add_argument("--memory-limit", default="2GB", help=MEMORY_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    summary: dict[str, Any]
    if args.command == "link":
        summary = link_files(
            args.left,
            args.right,
            args.out,
            args.model,
            top=args.top,
            min_probability=args.min_probability,
            memory_limit=args.memory_limit,
            save_model=args.save_model,
            pairwise=args.pairwise,
        )
    elif args.command == "dedupe":
        summary = dedupe_file(
            args.input,
            args.out,
            args.model,
            threshold=args.threshold,
            memory_limit=args.memory_limit,
            save_model=args.save_model,
        )
    else:
        train_files(args.input, args.right, args.out, memory_limit=args.memory_limit)
        summary = {"model": args.out}
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0
