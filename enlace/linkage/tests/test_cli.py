"""CLI link / dedupe on a few rows, model file round trip, output format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from enlace.linkage.cli import dedupe_file, link_files, main
from enlace.linkage.scoring import Scorer

HEADER = (
    "id,given_names,first_surname,second_surname,sex,birth_date,birth_place,nationality,"
    "mother_name\n"
)


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _left(tmp: Path) -> Path:
    return _write(
        tmp / "a.csv",
        [
            "1,Chuy,Pérez,,M,1990,,,Lupe Gómez",
            "2,María José,López,Díaz,F,1985-02-01,Quito,EC,",
            "3,Pedro,Ramírez,,,,,,",
        ],
    )


def _right(tmp: Path) -> Path:
    return _write(
        tmp / "b.csv",
        [
            "x,Jesús Alberto Pérez Gómez,,,M,1990-05-03,Oaxaca,MX,Guadalupe Gómez Ruiz",
            "y,Majo,Lopes,Dias,F,1985-01-02,,,",
            "z,Miguel,Pérez,Gómez,M,1992-01-20,Oaxaca,MX,Guadalupe Gómez Ruiz",
        ],
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_link_three_rows(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    summary = link_files(_left(tmp_path), _right(tmp_path), out, save_model=tmp_path / "m.json")
    assert summary["left_records"] == 3
    rows = _rows(out)
    assert list(rows[0]) == ["left_id", "right_id", "match_probability", "match_weight"]
    best = {}
    for r in rows:
        assert 0.01 <= float(r["match_probability"]) <= 1.0
        best.setdefault(r["left_id"], r["right_id"])
    assert best["1"] == "x"
    assert best["2"] == "y"
    # the saved model is valid JSON that the scorer and the CLI both accept
    model = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    Scorer.from_json(model)
    out2 = tmp_path / "pairs2.csv"
    assert (
        main(
            [
                "link",
                "--left",
                str(tmp_path / "a.csv"),
                "--right",
                str(tmp_path / "b.csv"),
                "--out",
                str(out2),
                "--model",
                str(tmp_path / "m.json"),
            ]
        )
        == 0
    )
    assert _rows(out2) == rows


def test_dedupe_three_rows(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.csv",
        [
            "1,Chuy,Pérez,,M,1990,,,Lupe Gómez",
            "2,Jesús Alberto,Pérez,Gómez,M,1990-05-03,Oaxaca,MX,Guadalupe Gómez Ruiz",
            "3,Miguel,Pérez,Gómez,M,1992-01-20,Oaxaca,MX,Guadalupe Gómez Ruiz",
        ],
    )
    out = tmp_path / "clusters.csv"
    dedupe_file(path, out)
    rows = _rows(out)
    assert list(rows[0]) == ["id", "cluster_id"]
    cluster = {r["id"]: r["cluster_id"] for r in rows}
    assert cluster == {"1": "1", "2": "1", "3": "3"}


def test_train_on_a_few_hundred_rows_keeps_valid_model(tmp_path: Path) -> None:
    rows = []
    names = ["Ana", "Luis", "Rosa", "Jorge", "Elena", "Pablo", "Sofía", "Raúl"]
    surnames = ["García", "López", "Díaz", "Ruiz", "Soto", "Vega", "Mora", "Rojas", "Lara"]
    for i in range(150):
        rows.append(
            f"{i},{names[i % 8]},{surnames[i % 9]},{surnames[(i * 7) % 9]},{'MF'[i % 2]},"
            f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d},,,"
        )
        if i % 5 == 0:
            rows.append(f"d{i},{names[i % 8]},{surnames[i % 9]},,,{1950 + i % 50},,,")
    path = _write(tmp_path / "many.csv", rows)
    assert main(["train", "--input", str(path), "--out", str(tmp_path / "m.json")]) == 0
    Scorer.from_json(Path(tmp_path / "m.json"))


def test_u_estimation_and_prior_on_generated_pairs() -> None:
    """EM + u sampling recover a prior close to the true share of matching pairs."""
    import random

    from enlace.linkage.model import records_table, train

    rng = random.Random(3)
    names = ["Ana", "Luis", "Rosa", "Jorge", "Elena", "Pablo", "Sofía", "Raúl", "Inés", "Hugo"]
    surnames = ["García", "López", "Díaz", "Ruiz", "Soto", "Vega", "Mora", "Rojas", "Lara", "Paz"]
    registry, requests = [], []
    for i in range(600):
        person = {
            "id": f"p{i}",
            "given_names": rng.choice(names),
            "first_surname": rng.choice(surnames),
            "second_surname": rng.choice(surnames),
            "birth_date": f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}",
            "mother_name": f"{rng.choice(names)} {rng.choice(surnames)}",
        }
        registry.append(person)
        if i % 3 == 0:
            req = dict(person, id=f"r{i}")
            if i % 2:
                req["birth_date"] = req["birth_date"][:4]
            requests.append(req)
    model = train(records_table(requests), records_table(registry))
    true_prior = len(requests) / (len(requests) * len(registry))
    got = model["probability_two_random_records_match"]
    assert true_prior / 3 < got < true_prior * 3, (got, true_prior)


def test_optional_document_number_column(tmp_path: Path) -> None:
    # The nine columns plus document_number: a shared passport number finds a record whose
    # names were typed differently and whose date is missing (no name/date key is shared).
    header = HEADER.rstrip("\n") + ",document_number\n"
    left = tmp_path / "a.csv"
    left.write_text(header + "1,Kevin,Rodas,,M,,,,,C-0458 812\n2,Ana,Mejía,,F,1999,,,,\n", "utf-8")
    right = tmp_path / "b.csv"
    right.write_text(
        header + "r1,Kelvin Josué,Rhodas Pineda,,M,2001-04-09,,HN,,c04588l2;C0458812\n"
        "r2,Ana,Mejía,Cruz,F,1999-01-01,,HN,,\n",
        "utf-8",
    )
    out = tmp_path / "pairs.csv"
    link_files(left, right, out)
    best = {}
    for r in _rows(out):
        best.setdefault(r["left_id"], (r["right_id"], float(r["match_probability"])))
    assert best["1"][0] == "r1"
    assert best["1"][1] >= 0.5
    assert best["2"][0] == "r2"
