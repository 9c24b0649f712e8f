"""`make fuzz`: run every importer harness under atheris for FUZZ_RUNS inputs each (default
200,000) with a per-input limit of FUZZ_TIMEOUT seconds of CPU time (a hang counts as a failure),
from a seed corpus of the repository's sample files, and print a Markdown summary (also written
to var/fuzz/summary.md, or summary-<harnesses>.md for a subset). Exits 1 when any harness
crashed or hung.

    python fuzz/run.py [harness ...]    # default: all; FUZZ_JOBS harnesses at a time (2)

FUZZ_TIMEOUT bounds each input's CPU time (common.cpu_limited); libFuzzer's wall-clock -timeout
is FUZZ_WALL_TIMEOUT (default 12 x FUZZ_TIMEOUT), the backstop for an input stuck in C code: on
a loaded machine, or under `nice -n 19`, wall-clock time also counts other processes' turns.
FUZZ_OUT moves the logs, corpora and results out of var/fuzz.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = Path(os.environ.get("FUZZ_OUT") or ROOT / "var" / "fuzz").resolve()
# harness -> largest input (bytes): the workbook harnesses start from the HTCDS template.
HARNESSES = {
    "people_csv": 4096,
    "people_xlsx": 4096,
    "htcds": 20000,
    "rpw": 8192,
    "indicators": 8192,
}


def run(name: str, runs: int, timeout: int, wall: int) -> dict[str, object]:
    seeds = OUT / "seeds" / name
    corpus = OUT / "corpus" / name
    shutil.rmtree(seeds, ignore_errors=True)
    corpus.mkdir(parents=True, exist_ok=True)
    log = OUT / f"{name}.log"
    command = [
        sys.executable,
        str(HERE / f"{name}.py"),
        str(corpus),
        str(seeds),
        f"-runs={runs}",
        f"-timeout={wall}",
        f"-max_len={HARNESSES[name]}",
        "-rss_limit_mb=3072",
        "-print_final_stats=1",
        f"-artifact_prefix={OUT}/{name}-",
    ]
    env = {
        **os.environ,
        "FUZZ_SEED_DIR": str(seeds),
        "FUZZ_CPU_TIMEOUT": str(timeout),
        "PYTHONPATH": str(ROOT),
    }
    started = time.monotonic()
    with log.open("w") as out:
        code = subprocess.call(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    seconds = time.monotonic() - started
    text = log.read_text(errors="replace")
    done = re.search(r"Done (\d+) runs in (\d+) second", text)
    final = re.search(r"stat::number_of_executed_units: (\d+)", text)
    counts = re.findall(r"^#(\d+)\s", text, re.M)
    executed = int(done.group(1)) if done else int(final.group(1)) if final else 0
    executed = executed or (int(counts[-1]) if counts else 0)
    hang = "libFuzzer: timeout" in text or "InputHang" in text
    interrupted = "run interrupted" in text  # stopped by hand (SIGINT): not a failure
    crash = code != 0 and not hang and not interrupted
    result = {
        "harness": name,
        "inputs": executed,
        "crashes": int(crash),
        "hangs": int(hang),
        "seconds": round(seconds),
        "exit": code,
        "interrupted": interrupted,
        "log": str(log),
    }
    (OUT / f"{name}.result.json").write_text(json.dumps(result) + "\n")
    return result


def main() -> int:
    names = sys.argv[1:] or list(HARNESSES)
    runs = int(os.environ.get("FUZZ_RUNS", "200000"))
    timeout = int(os.environ.get("FUZZ_TIMEOUT", "10"))
    wall = int(os.environ.get("FUZZ_WALL_TIMEOUT") or 12 * timeout)
    jobs = int(os.environ.get("FUZZ_JOBS", "2"))
    OUT.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda n: run(n, runs, timeout, wall), names))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    lines = [
        f"FUZZ_RUNS={runs}, FUZZ_TIMEOUT={timeout} CPU s, FUZZ_WALL_TIMEOUT={wall} s, "
        f"FUZZ_JOBS={jobs}, "
        f"load average at the end: {' '.join(load)}",
        "",
        "| harness | inputs run | crashes | hangs | seconds | inputs/s | finished |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        rate = int(r["inputs"]) / max(int(r["seconds"]), 1)  # type: ignore[call-overload]
        lines.append(
            f"| {r['harness']} | {r['inputs']:,} | {r['crashes']} | {r['hangs']} | "
            f"{r['seconds']} | {rate:.0f} | {'interrupted' if r['interrupted'] else 'yes'} |"
        )
    summary = "\n".join(lines)
    subset = "" if set(names) == set(HARNESSES) else "-" + "-".join(names)
    (OUT / f"summary{subset}.md").write_text(summary + "\n")
    print(summary)
    failed = [r for r in results if r["crashes"] or r["hangs"]]
    for r in failed:
        print(f"{r['harness']}: see {r['log']} and {OUT}/{r['harness']}-*", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
