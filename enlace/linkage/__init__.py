"""Enlace record linkage: find the same person across tracing requests and registries.

Plain Python (no Django). Fellegi-Sunter model with Latin American name handling; parameters
are estimated by Splink (EM on DuckDB, no labels needed) and saved as JSON.

Online API (one new record against the registry)
------------------------------------------------
``normalize_record(raw: Mapping[str, Any]) -> NormalizedRecord``
    ``raw`` has the input columns ``INPUT_COLUMNS`` (all but ``id`` optional; optional
    ``AGE_COLUMNS`` ``age`` + ``age_reported_on`` for an estimated birth year;
    ``document_number`` holds identity document numbers separated by ``;``);
    ``input_record(**values)`` builds one and refuses unknown names. The result is a frozen
    dataclass; ``rec.to_dict()`` is JSON and ``NormalizedRecord.from_dict(d)`` restores it, so
    the app can store the normalised form next to the person.

``blocking_keys(rec: NormalizedRecord) -> set[str]``
    Short keys to store as ``(person_id, key)`` rows in an indexed table. Candidates of a new
    record are the persons sharing at least one key: ``WHERE key IN (<its keys>)``.

``registry_keys(rec)`` / ``request_keys(rec)``
    The keys of a registry person and of a tracing request (a record sought): the same plus
    wide keys (``WIDE_PREFIX``), stored by every registry person and looked up only by a thin
    request (no date, mother or place). A wide key held by more than ``WIDE_BLOCK_LIMIT``
    persons is not looked up: ``wide_keys_kept({key: block size})``.

``Scorer.from_json(model_json) / Scorer.default()``
    ``scorer.score(query, candidate) -> Match`` with ``match_weight`` (bits),
    ``match_probability`` and ``explanation``: one ``FieldScore(field, level, weight)`` per
    field. ``scorer.rank(query, candidates, top=10, min_probability=0.01) -> list[Match]``;
    with ``exclusive=True`` (a tracing request against the registry: one person sought,
    each candidate a different person) the candidates share the probability
    (``scoring.exclusive_probabilities``: o_i / (1 + sum of the odds)), as ``enlace link``
    does by default in batch.

Typical use in a service::

    rec = normalize_record(form.cleaned_data)
    keys = blocking_keys(rec)                       # store for the new person, and query with
    cands = [NormalizedRecord.from_dict(d) for d in fetch_normalised(keys)]
    matches = Scorer.from_json(registry.model_json).rank(rec, cands)

Training and batch
------------------
``model.train(records, other=None) -> dict`` (no labels: u by random sampling in one DuckDB
query, m by two Splink EM sessions, the prior from the EM session blocked on the birth date;
JSON-serialisable Splink settings with m/u; falls back to default m/u on a few rows).
``model.predict(..., top=None)`` scores blocked pairs with Splink (``top`` keeps the best
pairs per left record inside DuckDB); ``cli.link_files(...)`` / ``cli.dedupe_file(...)`` are
the CSV batch jobs behind ``python -m enlace.linkage link|dedupe``. ``spark.predict_spark(...)``
runs the same model on Splink's Spark backend (optional extra ``enlace[spark]``).

Models saved before a comparison level was added still load: the new level gets its default
m/u (``scoring.fill_parameters``); retrain to estimate it.
"""

from enlace.linkage.blocking import (
    WIDE_BLOCK_LIMIT,
    WIDE_PREFIX,
    blocking_keys,
    registry_keys,
    request_keys,
    wide_keys_kept,
)
from enlace.linkage.columns import AGE_COLUMNS, INPUT_COLUMNS, input_record
from enlace.linkage.normalize import NormalizedRecord, normalize_record
from enlace.linkage.scoring import FieldScore, Match, Scorer

__all__ = [
    "AGE_COLUMNS",
    "INPUT_COLUMNS",
    "WIDE_BLOCK_LIMIT",
    "WIDE_PREFIX",
    "FieldScore",
    "Match",
    "NormalizedRecord",
    "Scorer",
    "blocking_keys",
    "input_record",
    "normalize_record",
    "registry_keys",
    "request_keys",
    "wide_keys_kept",
]
