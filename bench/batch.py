#!/usr/bin/env python3
"""kobun over a large batch, against its peers, in one run.

Builds a corpus of at least --documents documents and --pages pages from fixtures/reports
and ../shared/corpus (text, pdf, real when present): PDFs and UTF-8 text reports copied
under new names with a few bytes appended, so every copy is a distinct document. Then
reports, each measured in this run on this machine:

  pdftotext -layout, one process per PDF       pages/s (the poppler floor)
  kobun run -j 1 over the PDFs                  pages/s, and its ratio to pdftotext
  kobun run -j 2 over the PDFs                  ratio to -j 1
  kobun run -j 1 over the text reports          MB/s per core, end to end
  kobun run over everything, then kobun extract wall seconds, ratio
  the same ratio over ../shared/corpus alone, medians of five runs
  peak RSS of each kobun command
  dates: kobun against chrono-node's Japanese parser (bench/node; `npm install` there)
         on ../shared/corpus/text: seconds and, against ../shared/corpus/gold, P/R/F1

A benchmark, not a test: the numbers depend on the machine and what else it is doing.
"""
import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "corpus")


def run(cmd, stdout=subprocess.DEVNULL, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def pdf_pages(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def sources():
    pdfs, texts = [], []
    for folder in [os.path.join(ROOT, "fixtures", "reports"), os.path.join(SHARED, "text"),
                   os.path.join(SHARED, "pdf"), os.path.join(SHARED, "real")]:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.endswith(".pdf"):
                pages = pdf_pages(path)
                if pages > 0:
                    pdfs.append((path, pages))
            elif name.endswith(".txt"):
                data = open(path, "rb").read()
                try:
                    data.decode("utf-8")
                    texts.append(path)
                except UnicodeDecodeError:
                    pass  # copies are made by appending UTF-8
    return pdfs, texts


def build_corpus(work, documents, pages):
    pdfs, texts = sources()
    if not pdfs or not texts:
        sys.exit("no PDFs or text reports to copy")
    os.makedirs(os.path.join(work, "pdf"))
    os.makedirs(os.path.join(work, "txt"))
    pdf_pages_total, n = 0, 0
    while pdf_pages_total < pages:
        path, count = pdfs[n % len(pdfs)]
        data = open(path, "rb").read() + b"\n%% copy %d\n" % n
        open(os.path.join(work, "pdf", "%05d-%s" % (n, os.path.basename(path))), "wb").write(data)
        pdf_pages_total += count
        n += 1
    pdf_files, text_bytes, m = n, 0, 0
    while pdf_files + m < documents:
        path = texts[m % len(texts)]
        data = open(path, "rb").read() + ("\n整理番号 %d\n" % m).encode()
        open(os.path.join(work, "txt", "%05d-%s" % (m, os.path.basename(path))), "wb").write(data)
        text_bytes += len(data)
        m += 1
    return pdf_files, pdf_pages_total, m, text_bytes


def kobun_dates_by_document(db):
    con = sqlite3.connect(db)
    out = collections.defaultdict(list)
    for path, start, end, precision in con.execute(
            "SELECT d.source_path, x.start_date, x.end_date, x.precision FROM dates x"
            " JOIN documents d ON d.id = x.document_id WHERE x.start_date IS NOT NULL"):
        out[os.path.splitext(os.path.basename(path))[0]].append((start, end, precision))
    return out


def score(found, gold_dir):
    """P, R, F1 of (start, end, precision) triples against gold, as multisets per document."""
    tp = fp = fn = 0
    for name, items in found.items():
        gold_path = os.path.join(gold_dir, name + ".json")
        if not os.path.exists(gold_path):
            continue
        gold = collections.Counter((d["start"], d["end"], d["precision"]) for d in json.load(open(gold_path))["dates"])
        mine = collections.Counter(items)
        hit = sum((gold & mine).values())
        tp += hit
        fp += sum(mine.values()) - hit
        fn += sum(gold.values()) - hit
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, fp, fn


def dates_side_by_side(kobun, work):
    text_dir, gold_dir = os.path.join(SHARED, "text"), os.path.join(SHARED, "gold")
    chrono = os.path.join(HERE, "node", "chrono_dates.mjs")
    if not (os.path.isdir(text_dir) and os.path.isdir(gold_dir)):
        return "dates side by side: skipped (no ../shared/corpus/text and gold)"
    if not os.path.isdir(os.path.join(HERE, "node", "node_modules", "chrono-node")):
        return "dates side by side: skipped (run `npm install` in bench/node for chrono-node)"
    files = [os.path.join(text_dir, f) for f in sorted(os.listdir(text_dir)) if f.endswith(".txt")]
    db = os.path.join(work, "dates.db")
    seconds, _, _ = run([kobun, "run", "-j", "1", "--db", db] + files)
    con = sqlite3.connect(db)
    kobun_extract_seconds = sum(json.loads(c)["seconds"]["extract_dates"] for (c,) in con.execute("SELECT counts FROM runs"))
    out = subprocess.run(["node", chrono] + files, capture_output=True, text=True, cwd=os.path.join(HERE, "node"))
    result = json.loads(out.stdout)
    chrono_found = {name: [(d["start"], d["end"], d["precision"]) for d in items] for name, items in result["files"].items()}
    lines = ["dates on ../shared/corpus/text (%d reports) against gold: (start, end, precision) per document" % len(files)]
    for label, found, secs in [("kobun (dates stage)", kobun_dates_by_document(db), kobun_extract_seconds),
                               ("chrono-node ja", chrono_found, result["seconds"])]:
        p, r, f1, tp, fp, fn = score(found, gold_dir)
        lines.append("  %-20s %7.3f s   P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d)" % (label, secs, p, r, f1, tp, fp, fn))
    lines.append("  (kobun run end to end over them: %.3f s)" % seconds)
    return "\n".join(lines)


def shared_corpus_reextraction(kobun, work, repeat=5):
    """Issue 8's measure: `kobun extract` over ../shared/corpus against the `kobun run` that
    ingested it, both with the default -j, median of `repeat` runs each into fresh copies."""
    paths = [os.path.join(SHARED, d) for d in ("text", "pdf", "real") if os.path.isdir(os.path.join(SHARED, d))]
    if not paths:
        return "shared corpus re-extraction: skipped (no ../shared/corpus)"
    db, copy = os.path.join(work, "shared.db"), os.path.join(work, "shared-extract.db")
    runs, extracts = [], []
    for _ in range(repeat):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        runs.append(run([kobun, "run", "--db", db] + paths)[0])
        for _ in range(repeat):
            shutil.copyfile(db, copy)
            extracts.append(run([kobun, "extract", "--db", copy])[0])
    r, e = sorted(runs)[len(runs) // 2], sorted(extracts)[len(extracts) // 2]
    return ("shared corpus (%s): kobun run median %.3f s, kobun extract median %.3f s = %.1f x (target >= 10)"
            % (", ".join(os.path.basename(p) for p in paths), r, e, r / e))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kobun", default=os.path.join(ROOT, "build", "release", "kobun"))
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--pages", type=int, default=20000)
    ap.add_argument("--keep", help="build the corpus here and keep it")
    a = ap.parse_args()
    if not os.path.exists(a.kobun):
        sys.exit(f"no kobun at {a.kobun}: run `make build` first")
    work = a.keep or tempfile.mkdtemp(prefix="kobun-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        pdf_files, pdf_pages_total, text_files, text_bytes = build_corpus(work, a.documents, a.pages)
        pdf_dir, txt_dir = os.path.join(work, "pdf"), os.path.join(work, "txt")
        print("corpus: %d documents (%d PDFs, %d pages; %d text reports, %.1f MB)"
              % (pdf_files + text_files, pdf_files, pdf_pages_total, text_files, text_bytes / 1e6))

        start = time.perf_counter()
        for name in sorted(os.listdir(pdf_dir)):
            subprocess.run(["pdftotext", "-layout", os.path.join(pdf_dir, name), "-"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        floor = pdf_pages_total / (time.perf_counter() - start)

        rows = []
        def kobun_run(label, jobs, path, db):
            secs, rss, code = run([a.kobun, "run", "-j", str(jobs), "--max-pages", "100000", "--db", db, path])
            rows.append((label, secs, rss, code))
            return secs
        j1 = kobun_run("run -j 1, PDFs", 1, pdf_dir, os.path.join(work, "pdf1.db"))
        j2 = kobun_run("run -j 2, PDFs", 2, pdf_dir, os.path.join(work, "pdf2.db"))
        t1 = kobun_run("run -j 1, text reports", 1, txt_dir, os.path.join(work, "txt1.db"))
        all_db = os.path.join(work, "all.db")
        secs, rss, code = run([a.kobun, "run", "--max-pages", "100000", "--db", all_db, pdf_dir, txt_dir])
        rows.append(("run, everything", secs, rss, code))
        full = secs
        secs, rss, code = run([a.kobun, "extract", "--db", all_db])
        rows.append(("extract, everything", secs, rss, code))
        extract = secs

        print("\n%-26s %9s %10s %5s" % ("command", "seconds", "peak MiB", "exit"))
        for label, secs, rss, code in rows:
            print("%-26s %9.2f %10.1f %5d" % (label, secs, rss, code))
        peak = max(r[2] for r in rows)
        print("\npdftotext -layout          %8.1f pages/s" % floor)
        print("kobun run -j 1             %8.1f pages/s  = %.2f x pdftotext   (target >= 0.8)" % (pdf_pages_total / j1, floor and pdf_pages_total / j1 / floor))
        print("kobun run -j 2             %8.1f pages/s  = %.2f x -j 1        (target >= 1.7)" % (pdf_pages_total / j2, j1 / j2))
        print("text reports, -j 1         %8.1f MB/s per core             (target >= 30)" % (text_bytes / 1e6 / t1))
        print("kobun extract              %8.2f s       = %.1f x faster than kobun run (target >= 10)" % (extract, full / extract))
        print("peak RSS                   %8.1f MiB                       (target <= 300)" % peak)
        print(shared_corpus_reextraction(a.kobun, work))
        print()
        print(dates_side_by_side(a.kobun, work))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
