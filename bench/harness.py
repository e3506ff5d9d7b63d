"""Side-by-side command timing for ferry's benchmarks: wall time and peak RSS per run.

Each case runs every tool in turn (interleaved, so machine noise hits all tools alike) and
reports the median wall time, the ratio to a reference tool and the peak RSS. Timing is done
here, in a script, never in the test suite.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def setup(suite, files, big_mib):
    """Parse the common options (--runs, --files, --big-mib, --ferry) and make the work
    directory, on tmpfs by default so the figures measure the tools rather than this VM's disk.
    Returns (args, absolute path of the ferry binary, work directory)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--files", type=int, default=files)
    ap.add_argument("--big-mib", type=int, default=big_mib)
    ap.add_argument("--ferry", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "ferry"))
    args = ap.parse_args()
    return args, os.path.abspath(args.ferry), workdir(suite)


def workdir(suite):
    """A fresh work directory, on tmpfs by default so the figures measure the tools rather than
    this VM's disk."""
    work = tempfile.mkdtemp(prefix=f"ferry-bench-{suite}-", dir=os.environ.get("BENCH_DIR", "/dev/shm"))
    os.chmod(work, 0o755)
    return work


def out(work, label, case):
    """The output directory of one tool in one case (no spaces: lftp takes paths unquoted)."""
    return os.path.join(work, f"out-{case}-{label}".replace(" ", "_"))


def fresh(path):
    """A setup step that leaves `path` an empty directory."""
    def setup(*_):
        drop_tree(path)
        os.makedirs(path)
    return setup


def make_tree(files, root):
    """`files` random 4 KiB files spread over 20 directories below root (d00/f00000.dat, ...)."""
    for i in range(files):
        d = os.path.join(root, f"d{i % 20:02d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i:05d}.dat"), "wb") as f:
            f.write(os.urandom(4096))


def run_once(cmd, cwd=None, env=None):
    """Run cmd under GNU time; return (wall seconds, peak RSS in KiB). Raises on failure.

    GNU time (a small process) reports the child's own peak RSS; rusage taken from this
    Python process would count the forked interpreter's pages instead.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *cmd], cwd=cwd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - start
        if p.returncode != 0:
            raise RuntimeError(f"{cmd!r} exited {p.returncode}: {p.stderr.decode(errors='replace').strip()[:500]}")
        return wall, int(rss.read().strip().splitlines()[-1])


def drop_tree(path):
    shutil.rmtree(path, ignore_errors=True)


def case(name, tools, runs, setup=None):
    """tools: list of (label, argv). setup(label) runs before each timed run, untimed."""
    results = {label: [] for label, _ in tools}
    for _ in range(runs):
        for label, argv in tools:
            if setup:
                setup(label)
            results[label].append(run_once(argv))
    rows = []
    for label, _ in tools:
        walls = [w for w, _ in results[label]]
        rss = max(r for _, r in results[label])
        rows.append((label, statistics.median(walls), rss, walls))
    return name, rows


def version(argv):
    """The first line a tool prints about its version (stdout, or stderr for `ssh -V`)."""
    p = subprocess.run(argv, capture_output=True, text=True)
    return (p.stdout.strip() or p.stderr.strip()).splitlines()[0]


def report(title, runs, version_cmds, cases):
    """Print the BENCHMARKS.md section: heading with date, host and run count, versions, table."""
    import datetime
    import platform
    print(f"## {title} ({datetime.date.today()}, {platform.node()}, {os.cpu_count()} cores, median of {runs})\n")
    print("Versions: " + "; ".join(version(v) for v in version_cmds) + "\n")
    print(table(cases))


def table(cases, ferry_label="ferry"):
    """Markdown: one row per tool per case, with ferry's ratio to each peer."""
    out = ["| case | tool | median s | ferry / tool | peak RSS MiB | runs (s) |", "|---|---|---:|---:|---:|---|"]
    for name, rows in cases:
        ferry = next(m for label, m, _, _ in rows if label == ferry_label)
        for label, med, rss, walls in rows:
            ratio = "" if label == ferry_label else f"{ferry / med:.2f}"
            runs = " ".join(f"{w:.2f}" for w in walls)
            out.append(f"| {name} | {label} | {med:.3f} | {ratio} | {rss / 1024:.1f} | {runs} |")
    return "\n".join(out)
