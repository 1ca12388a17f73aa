"""Run the benchmarks under bench/ and write bench/results.json.

Usage: ``make bench`` (all) or ``make bench BENCH_ARGS="place_lookup enterprise_api"``.

Every benchmark is a module ``bench/<name>.py`` with ``run() -> {"<figure>": {"value", "unit", "n"}}``.
Each runs in its own Python process (a fresh Django, its own throwaway database); the figures are
printed with unit and data size and merged into ``bench/results.json``.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Modules under bench/ that are helpers, not benchmarks.
NOT_BENCHMARKS = {"run", "common", "__init__"}


def all_benchmarks() -> list[str]:
    """Every ``bench/<name>.py`` that defines ``run()``, in name order."""
    names = []
    for path in sorted((ROOT / "bench").glob("*.py")):
        if path.stem not in NOT_BENCHMARKS and "\ndef run(" in path.read_text(encoding="utf-8"):
            names.append(path.stem)
    return names


def run_one(name: str) -> dict:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); import importlib; "
        f"m = importlib.import_module('bench.{name}'); print('@@RESULT@@' + json.dumps(m.run()))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("@@RESULT@@"):
            return json.loads(line[len("@@RESULT@@") :])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
    raise SystemExit(f"benchmark {name} failed (exit {proc.returncode})")


def main(argv):
    names = argv or all_benchmarks()
    path = ROOT / "bench" / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    for name in names:
        start = time.perf_counter()
        figures = run_one(name)
        for key, fig in figures.items():
            extra = "".join(f" {k}={v}" for k, v in fig.items() if k not in ("value", "unit", "n"))
            print(f"{key:<34} {fig['value']:>12,.1f} {fig['unit']:<12} n={fig['n']:,}{extra}", flush=True)
        results.update(figures)
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"  ({name}: {time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
