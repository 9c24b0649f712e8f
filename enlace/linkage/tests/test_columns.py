"""One vocabulary for the engine's input: every place that names the columns uses
INPUT_COLUMNS, so the CLI help, the header check and the docs cannot drift apart."""

import re
from pathlib import Path

import pytest

from enlace.linkage import INPUT_COLUMNS, input_record, normalize_record
from enlace.linkage.cli import _parser, read_records

ROOT = Path(__file__).resolve().parents[3]


def test_input_record_fills_every_column_and_refuses_unknown_names():
    record = input_record(id="1", given_names="Ana")
    assert tuple(record) == INPUT_COLUMNS
    assert record["document_number"] == ""
    with pytest.raises(ValueError, match="mothers_name"):
        input_record(id="1", mothers_name="Rosa")  # a typo would silently drop the field


def test_input_record_keeps_a_reported_age():
    record = input_record(id="1", age=30, age_reported_on="2020-05-01")
    assert normalize_record(record).birth_precision == "estimated"


@pytest.mark.parametrize("command", ["link", "dedupe", "train"])
def test_cli_help_lists_every_input_column(command, capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args([command, "--help"])
    help_text = "".join(capsys.readouterr().out.split())  # argparse wraps long lines
    assert ",".join(INPUT_COLUMNS) in help_text


def test_header_check_names_the_columns(tmp_path):
    path = tmp_path / "no-id.csv"
    path.write_text("given_names,first_surname\nAna,Pérez\n", encoding="utf-8")
    with pytest.raises(ValueError, match="document_number") as info:
        list(read_records(path))
    assert "'id'" in str(info.value)


def test_docs_list_the_same_columns():
    text = (ROOT / "docs" / "tracing.md").read_text(encoding="utf-8")
    documented = re.findall(r"`(id,given_names[a-z_,]*)`", text)
    assert documented == [",".join(INPUT_COLUMNS)]
