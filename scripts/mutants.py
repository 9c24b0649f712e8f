"""Run the policy mutants (enlace/tests/access/mutants.py): each rule of the access layer broken
in turn, and its tests run until one fails. One pytest session, one test database, one mutant
at a time; prints a table (mutant, killed by, seconds) and exits non-zero if any survives.

    make mutants                                    # all of them
    python scripts/mutants.py -k "grant expiry"     # those whose name holds the words
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import pytest  # noqa: E402
from _pytest.runner import runtestprotocol  # noqa: E402

PROBES = "enlace/tests/access/mutant_probes.py"


class MutantsPlugin:
    def __init__(self, mutants: list[Any]) -> None:
        self.mutants = mutants
        self.rows: list[tuple[str, str, float]] = []
        self.broken: dict[str, str] = {}
        self.first = 1  # the number of the first mutant run

    # -- running one killer ---------------------------------------------------------------

    def _items(self, session: Any, killer: str) -> list[Any]:
        if killer.startswith("matrix:"):
            return [self.probes["test_matrix_part"]]
        found = [
            i for i in session.items if i.nodeid == killer or i.nodeid.startswith(killer + "::")
        ]
        if not found:
            raise LookupError(f"no test matches {killer!r}")
        return found

    def _run(self, session: Any, item: Any) -> str:
        """Run one test; '' if it passed, else what failed."""
        session._setupstate.teardown_exact(item)
        reports = runtestprotocol(item, log=False, nextitem=item.parent)
        for report in reports:
            if report.failed:
                text = report.longreprtext.strip().splitlines()
                return text[-1][:160] if text else "failed"
        return ""

    def _killer(self, session: Any, killer: str) -> tuple[str, str]:
        """('', '') if every test of the killer passes, else (what failed, how to rerun just
        that: a node id, or "matrix:^endpoint$")."""
        from enlace.tests.access import mutant_probes

        matrix = killer.startswith("matrix:")
        mutant_probes.SELECTED["pattern"] = killer.removeprefix("matrix:") if matrix else None
        for item in self._items(session, killer):
            failed = self._run(session, item)
            if not failed:
                continue
            if matrix:
                endpoint = mutant_probes.SELECTED["endpoint"]
                cell = mutant_probes.SELECTED["failure"] or failed
                return f"matrix {cell}"[:200], f"matrix:^{re.escape(endpoint)}$"
            return f"{item.nodeid}: {failed}"[:200], item.nodeid
        return "", ""

    # -- the loop -----------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: Any) -> bool:
        """Each mutant: its killers in order until one fails; a kill counts once the same test
        (the same endpoint of the table) passes again without the mutant."""
        self.probes = {i.name: i for i in session.items if i.nodeid.startswith(PROBES)}
        started = time.monotonic()
        for mutant in self.mutants:
            self._run(session, self.probes["test_world_ready"])  # the world built unmutated
            t0 = time.monotonic()
            killed_by = ""
            for killer in mutant.killers:
                with mutant.applied():
                    failed, rerun = self._killer(session, killer)
                if not failed:
                    continue
                unmutated, _ = self._killer(session, rerun)
                if unmutated:
                    self.broken[rerun] = unmutated
                    print(f"  fails without the mutant too: {unmutated}", flush=True)
                    continue
                killed_by = failed
                break
            seconds = time.monotonic() - t0
            self.rows.append((mutant.name, killed_by, seconds))
            mark = "killed" if killed_by else "SURVIVED"
            print(f"{mark:8} {seconds:6.1f} s  {mutant.name}\n{'':18}{killed_by}", flush=True)
        session._setupstate.teardown_exact(None)
        self.elapsed = time.monotonic() - started
        return True

    def table(self) -> str:
        lines = [
            "| # | mutant | killed by | s |",
            "|---|---|---|---|",
        ]
        for n, (name, by, seconds) in enumerate(self.rows, self.first):
            by = by.replace("|", "\\|") if by else "**SURVIVED**"
            lines.append(f"| {n} | {name} | {by} | {seconds:.1f} |")
        killed = sum(1 for _n, by, _s in self.rows if by)
        lines.append("")
        lines.append(
            f"{len(self.rows)} mutants, {killed} killed, {len(self.rows) - killed} survived; "
            f"{self.elapsed:.0f} s in all"
        )
        return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "-k", default="", help="only the mutants whose name holds these words (a|b: either)"
    )
    parser.add_argument("--start", type=int, default=1, help="from the mutant numbered so")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args, rest = parser.parse_known_args()
    import django

    django.setup()
    from enlace.tests.access.mutants import MUTANTS

    words = [w.strip().lower() for w in args.k.split("|")]
    mutants = [m for m in MUTANTS if any(w in m.name.lower() for w in words)][args.start - 1 :]
    if args.list:
        for m in mutants:
            print(f"{m.name}  [{m.target}]  ← {', '.join(m.killers)}")
        return 0
    files = {k.split("::")[0] for m in mutants for k in m.killers if not k.startswith("matrix:")}
    plugin = MutantsPlugin(mutants)
    plugin.first = args.start
    code = pytest.main(
        [*sorted(files), PROBES, "-p", "no:xdist", "-q", "-p", "no:randomly", *rest],
        plugins=[plugin],
    )
    print()
    print(plugin.table())
    survived = any(not by for _n, by, _s in plugin.rows)
    return 1 if survived or plugin.broken or code not in (0, 5) else 0


if __name__ == "__main__":
    sys.exit(main())
