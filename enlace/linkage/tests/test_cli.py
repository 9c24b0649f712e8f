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
