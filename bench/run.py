"""Run every bench/bench_*.py, each in its own process (what `make bench` runs).

    python bench/run.py                 # all benchmarks
    python bench/run.py catalog_list    # only those whose name contains an argument

Each benchmark builds its own throwaway database and never touches the development one; see the
docstring of each script for the environment variables it reads.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(word in s.stem for word in argv)]
    if not scripts:
        print("No benchmark matches.", file=sys.stderr)
        return 2
    failed = []
    for script in scripts:
        print(f"== {script.stem} ==", flush=True)
        started = time.monotonic()
        # The interpreter and our own scripts, not user input.
        code = subprocess.run([sys.executable, str(script)], check=False).returncode  # noqa: S603
        outcome = "ok" if code == 0 else f"failed ({code})"
        print(f"== {script.stem}: {outcome} in {time.monotonic() - started:.0f} s\n")
        if code:
            failed.append(script.stem)
    if failed:
        print("Failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
