#!/usr/bin/env python3
"""What the extract stage adds to `kobun run`: the same corpus run with the default
pipeline and with a pipeline that has no rule files, each --repeat times into a fresh
database, median wall time of each and the difference. A benchmark, not a test.

usage: bench/extract_overhead.py [--repeat N] [--jobs N] [PATH ...]
(default PATHs: ../shared/corpus/text ../shared/corpus/pdf ../shared/corpus/real)
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed_run(kobun, pipeline, paths, jobs, work):
    db = os.path.join(work, "bench.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    start = time.perf_counter()
    subprocess.run([kobun, "run", "-j", str(jobs), "--pipeline", pipeline, "--db", db, *paths],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kobun", default=os.path.join(ROOT, "build", "release", "kobun"))
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--baseline-rules", nargs="*", default=[],
                    help="rule files (relative to pipelines/) the baseline keeps, e.g. rules/dates.toml "
                         "to measure what the other extractors add")
    ap.add_argument("paths", nargs="*")
    a = ap.parse_args()
    paths = a.paths or [os.path.join(ROOT, "..", "shared", "corpus", d) for d in ("text", "pdf", "real")]
    paths = [p for p in paths if os.path.exists(p)]
    if not paths:
        sys.exit("nothing to run over")
    with tempfile.TemporaryDirectory(prefix="kobun-bench-") as work:
        bare = os.path.join(ROOT, "pipelines", ".bench-baseline.toml")
        with open(bare, "w") as f:
            listed = ", ".join(f'"{r}"' for r in a.baseline_rules)
            f.write(f'name = "baseline"\n[extract]\nrules = [{listed}]\n')
        default = os.path.join(ROOT, "pipelines", "default.toml")
        with_rules, without = [], []
        for _ in range(a.repeat):  # interleaved, so drift in the machine hits both alike
            without.append(timed_run(a.kobun, bare, paths, a.jobs, work))
            with_rules.append(timed_run(a.kobun, default, paths, a.jobs, work))
        os.remove(bare)
    m_with, m_without = statistics.median(with_rules), statistics.median(without)
    print(f"corpus: {' '.join(paths)}  (-j {a.jobs}, {a.repeat} runs each)")
    print(f"baseline rules: {a.baseline_rules or 'none'}")
    print(f"baseline            median {m_without:.3f} s")
    print(f"with extraction     median {m_with:.3f} s")
    print(f"extraction adds     {m_with - m_without:+.3f} s = {100 * (m_with - m_without) / m_without:+.1f}%")


if __name__ == "__main__":
    main()
