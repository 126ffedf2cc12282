#!/usr/bin/env python3
"""PDF throughput of `kobun run` against `pdftotext -layout`, in the same run.

Builds a corpus of PDFs (fixtures/reports, ../shared/corpus/pdf and ../shared/corpus/real
when present), repeated --rounds times under different names, then times:
  - pdftotext -layout over every file, one process per file (how it is used in scripts);
  - kobun run --force -j 1 and -j N into a fresh database each time.
Prints pages/s for each, the ratios, and each command's peak RSS. A benchmark, not a test:
numbers depend on the machine and on what else it is doing.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def page_count(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kobun", default=os.path.join(ROOT, "build", "release", "kobun"))
    ap.add_argument("--rounds", type=int, default=5, help="copies of the corpus (default 5)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    if not os.path.exists(a.kobun):
        sys.exit(f"no kobun at {a.kobun}: run `make build` first")

    sources = []
    for folder in [os.path.join(ROOT, "fixtures", "reports"),
                   os.path.join(ROOT, "..", "shared", "corpus", "pdf"),
                   os.path.join(ROOT, "..", "shared", "corpus", "real")]:
        if os.path.isdir(folder):
            sources += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".pdf")]
    readable = [p for p in sources if page_count(p) > 0]
    work = tempfile.mkdtemp(prefix="kobun-bench-")
    try:
        corpus = os.path.join(work, "corpus")
        os.makedirs(corpus)
        files, pages = [], 0
        for r in range(a.rounds):
            for p in readable:
                dst = os.path.join(corpus, f"r{r}_{os.path.basename(p)}")
                os.symlink(os.path.abspath(p), dst)
                files.append(dst)
                pages += page_count(p)
        print(f"corpus: {len(files)} PDFs, {pages} pages ({len(readable)} distinct files x {a.rounds})")

        t_pdftotext, rss_pdftotext = 0.0, 0.0
        for f in files:
            s, rss, _ = run(["pdftotext", "-layout", f, "-"])
            t_pdftotext += s
            rss_pdftotext = max(rss_pdftotext, rss)

        results = {}
        for jobs in sorted({1, a.jobs}):
            db = os.path.join(work, f"j{jobs}.db")
            s, rss, code = run([a.kobun, "run", "--force", "-j", str(jobs), "--db", db, corpus])
            results[jobs] = (s, rss, code)

        print(f"{'command':<28}{'seconds':>9}{'pages/s':>10}{'peak RSS MiB':>14}")
        print(f"{'pdftotext -layout':<28}{t_pdftotext:>9.2f}{pages / t_pdftotext:>10.1f}{rss_pdftotext:>14.1f}")
        for jobs, (s, rss, code) in results.items():
            note = "" if code == 0 else f"  (exit {code})"
            print(f"{'kobun run -j ' + str(jobs):<28}{s:>9.2f}{pages / s:>10.1f}{rss:>14.1f}{note}")
        s1 = results[1][0]
        print(f"kobun -j 1 / pdftotext: {t_pdftotext / s1:.2f}x the pages/s")
        if a.jobs != 1:
            print(f"kobun -j {a.jobs} / -j 1: {s1 / results[a.jobs][0]:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
