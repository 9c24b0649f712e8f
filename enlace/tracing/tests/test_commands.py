"""`enlace link` and `enlace dedupe`: the engine's batch mode for other systems."""

import csv

import pytest
from django.core.management import CommandError, call_command

HEADER = [
    "id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "mother_name",
]
LEFT = [
    ["l1", "Chuy", "Pérez", "", "M", "1999", "Tegucigalpa", "HN", "María Gómez"],
    ["l2", "Guadalupe", "Martínez", "Soto", "F", "1979-04", "Morelia", "MX", ""],
]
RIGHT = [
    [
        "r1",
        "JESUS ALBERTO",
        "PEREZ",
        "GOMEZ",
        "M",
        "1999-03-14",
        "TEGUCIGALPA",
        "HN",
        "MARIA GOMEZ",
    ],
    ["r2", "Lupe", "Martinez", "Soto", "F", "1979-04-02", "Morelia", "MX", ""],
    ["r3", "Pedro", "Ramírez", "Luna", "M", "1960", "Oaxaca", "MX", ""],
]


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)


def test_link_writes_the_best_pairs(tmp_path):
    left, right, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "pairs.csv"
    _write(left, LEFT)
    _write(right, RIGHT)
    call_command("link", "--left", str(left), "--right", str(right), "--out", str(out))
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["left_id", "right_id", "match_probability", "match_weight"]
    best = {}
    for r in rows:
        if float(r["match_probability"]) > float(
            best.get(r["left_id"], {}).get("match_probability", -1)
        ):
            best[r["left_id"]] = r
    assert best["l1"]["right_id"] == "r1"
    assert best["l2"]["right_id"] == "r2"
    assert all(float(r["match_probability"]) >= 0.01 for r in rows)


def test_dedupe_clusters_the_same_person(tmp_path):
    path, out = tmp_path / "a.csv", tmp_path / "clusters.csv"
    _write(path, LEFT + RIGHT)
    call_command("dedupe", "--input", str(path), "--out", str(out))
    with out.open(encoding="utf-8") as f:
        clusters = {r["id"]: r["cluster_id"] for r in csv.DictReader(f)}
    assert clusters["l1"] == clusters["r1"]
    assert clusters["r3"] not in {clusters["l1"], clusters["l2"]}


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "link",
            "--left",
            str(tmp_path / "x.csv"),
            "--right",
            str(tmp_path / "y.csv"),
            "--out",
            str(tmp_path / "o.csv"),
        )


@pytest.mark.django_db
def test_demo_network_has_cases_and_the_young_man_of_the_tracing_example(demo):
    from enlace.cases.demo import seed_demo_cases
    from enlace.cases.models import Case
    from enlace.people.models import Person

    assert seed_demo_cases() == 5
    assert seed_demo_cases() == 0  # run twice: nothing duplicated
    assert Case.objects.count() == 4
    assert Person.objects.filter(first_surname="PEREZ", linkage_keys__isnull=False).exists()


def test_link_and_dedupe_help_list_every_input_column():
    """The help once lacked document_number: it now reads the engine's one list."""
    from django.core.management import load_command_class

    from enlace.linkage import INPUT_COLUMNS

    for name in ("link", "dedupe"):
        assert ",".join(INPUT_COLUMNS) in load_command_class("enlace.tracing", name).help
