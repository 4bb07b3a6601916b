#!/usr/bin/env python3
"""Side-by-side benchmark comparison of Mote against peer runtimes (issue 5).

Runs every benchmark program under every selected engine, round-robin, and
prints a Markdown table of median wall times with the ratios that matter:
mote/wasmi (how far the interpreter is from the peer interpreter) and, with
--fuel, mote-fuel/mote (the cost of fuel metering). wasmtime is a JIT and is
listed only as a reference point.

Programs come from the shared benchmark set (../shared/bench, see its
README.md) and, when it exists, the project's own set in benches/programs/.
Every run's stdout must match the expected output exactly: a fast wrong
answer is not a result, so mismatches are reported and make the exit status
nonzero.

Peers are installed by `bash ../shared/bench/install-anchors.sh [DEST]`.

Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent

# name -> (small-scale argument, default-scale argument), from ../shared/bench/README.md.
SHARED_PROGRAMS = {
    "fib": ("37", "42"),
    "sieve": ("2", "18"),
    "nbody": ("300000", "3000000"),
    "matmul": ("330", "720"),
    "sha256": ("10", "96"),
    "quicksort": ("1", "5"),
}

# Arguments for counting instructions under callgrind, which runs programs
# about 50 times slower: small enough to take seconds, large enough for the
# interpreter loop to dominate start-up.
CALLGRIND_ARGS = {
    "fib": "27",
    "sieve": "1",
    "nbody": "30000",
    "matmul": "100",
    "sha256": "1",
    "quicksort": "1",
}

# Enough fuel never to run out: the point of mote-fuel is the metering overhead.
FUEL = "100000000000000"

DEFAULT_ANCHORS = [Path.home() / ".cache/mote-anchors/bin", Path("/work/anchors/bin")]
PEERS = ("wasmi", "wasmtime")
HELLO_WASM = REPO / "tests/wasi/wasm/hello.wasm"
HELLO_EXPECTED = REPO / "tests/wasi/expected/hello.stdout"


@dataclass
class Program:
    """One benchmark: a module, its arguments and the exact stdout it must print."""

    name: str
    wasm: Path
    args: list[str]
    expected: bytes


@dataclass
class Engine:
    """A runtime as a command prefix; the module path and its arguments follow it.

    `module` maps a program's module to the file this engine runs instead
    (mote-aot: the artifact `mote compile` made of it)."""

    name: str
    prefix: list[str]
    module: Callable[[Path], Path] | None = None

    def argv(self, program: Program) -> list[str]:
        wasm = self.module(program.wasm) if self.module else program.wasm
        return [*self.prefix, str(wasm), *program.args]


@dataclass
class Sample:
    """One timed process run; `error` is None when stdout and exit status were right."""

    program: str
    engine: str
    run: int
    seconds: float
    max_rss_kb: int
    error: str | None = None


@dataclass
class Results:
    """All samples of one invocation, plus what is needed to reproduce it."""

    scale: str
    runs: int
    engines: dict[str, list[str]]
    programs: dict[str, list[str]]
    rss_method: str
    started: str
    git: str
    samples: list[Sample] = field(default_factory=list)
    hello: list[Sample] = field(default_factory=list)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Compare Mote with wasmi and wasmtime on the benchmark programs.",
        epilog="Install the peers first: bash ../shared/bench/install-anchors.sh",
    )
    p.add_argument("--bench-dir", type=Path,
                   default=Path(os.environ.get("MOTE_BENCH_DIR", REPO.parent / "shared/bench")),
                   help="shared benchmark set (default: $MOTE_BENCH_DIR or ../shared/bench)")
    p.add_argument("--scale", choices=("small", "default"), default="small")
    p.add_argument("--runs", type=int, default=5, help="round-robin rounds (default 5)")
    p.add_argument("--warmup", type=int, default=1,
                   help="untimed runs of each engine and program first, so that compile caches "
                        "(wasmtime's, mote-jit's) are warm (default 1)")
    p.add_argument("--engines", default="mote,wasmi,wasmtime",
                   help="comma-separated: mote, mote-fuel, mote-jit (--mode jit, its compile "
                        "cache warm), mote-jit-cold (--no-cache), mote-aot (a precompiled "
                        "artifact), wasmi, wasmtime")
    p.add_argument("--fuel", action="store_true",
                   help="add mote-fuel (mote with --fuel) to measure the metering overhead")
    p.add_argument("--mote", type=Path, default=REPO / "target/release/mote",
                   help="the mote binary (default target/release/mote)")
    p.add_argument("--no-build", action="store_true", help="skip `cargo build --release`")
    p.add_argument("--anchors", type=Path, action="append",
                   help="directory holding peer binaries (default ~/.cache/mote-anchors/bin, "
                        "then /work/anchors/bin); repeatable")
    p.add_argument("--filter", action="append", default=[],
                   help="only these programs (comma-separated or repeated)")
    p.add_argument("--hello", action="store_true",
                   help="also measure hello-world process time and peak RSS")
    p.add_argument("--hello-runs", type=int, default=30)
    p.add_argument("--callgrind", action="store_true",
                   help="instead of timing, count each engine's instructions once under "
                        "valgrind --tool=callgrind (repeatable on a noisy machine), at reduced arguments")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per run before a kill")
    p.add_argument("--json", type=Path, help="write every raw sample to this file")
    return p.parse_args(argv)


# ---------------------------------------------------------------- programs

def shared_programs(bench_dir: Path, scale: str) -> list[Program]:
    """The shared set; a missing directory is an error since it is the main workload."""
    if not (bench_dir / "wasm").is_dir():
        sys.exit(f"compare.py: no benchmark set at {bench_dir} (use --bench-dir or MOTE_BENCH_DIR)")
    suffix = ".small.stdout" if scale == "small" else ".stdout"
    programs = []
    for name, (small, default) in SHARED_PROGRAMS.items():
        programs.append(Program(
            name=name,
            wasm=bench_dir / "wasm" / f"{name}.wasm",
            args=[small if scale == "small" else default],
            expected=(bench_dir / "expected" / f"{name}{suffix}").read_bytes(),
        ))
    return programs


def project_programs(directory: Path) -> list[Program]:
    """benches/programs/NAME.wasm with NAME.args and NAME.expected; optional, may not exist.

    Named `benches/NAME` so they cannot be confused with the shared programs.
    """
    programs = []
    for wasm in sorted(directory.glob("*.wasm")) if directory.is_dir() else []:
        args_file, expected_file = wasm.with_suffix(".args"), wasm.with_suffix(".expected")
        if not (args_file.is_file() and expected_file.is_file()):
            note(f"skipping {wasm}: needs {args_file.name} and {expected_file.name}")
            continue
        programs.append(Program(
            name=f"benches/{wasm.stem}",
            wasm=wasm,
            args=shlex.split(args_file.read_text()),
            expected=expected_file.read_bytes(),
        ))
    return programs


def select(programs: list[Program], filters: list[str]) -> list[Program]:
    """Keep the programs named by --filter (full name or bare stem); unknown names are errors."""
    wanted = {w for f in filters for w in f.split(",") if w}
    if not wanted:
        return programs
    known = {p.name for p in programs} | {p.name.rsplit("/", 1)[-1] for p in programs}
    if unknown := wanted - known:
        sys.exit(f"compare.py: unknown program(s) {', '.join(sorted(unknown))}; "
                 f"have {', '.join(p.name for p in programs)}")
    return [p for p in programs if p.name in wanted or p.name.rsplit("/", 1)[-1] in wanted]


# ---------------------------------------------------------------- engines

def build_mote() -> None:
    """Build the release binary so the numbers are for the current sources."""
    note("cargo build --release")
    if subprocess.run(["cargo", "build", "--release"], cwd=REPO).returncode != 0:
        sys.exit("compare.py: cargo build --release failed")


def snapshot_mote(mote: Path, workdir: Path) -> Path:
    """Copy the binary so that a rebuild during the (long) run cannot change it midway."""
    if not mote.is_file():
        sys.exit(f"compare.py: no mote binary at {mote}")
    copy = workdir / "mote"
    shutil.copy2(mote, copy)
    return copy


def find_peer(name: str, anchor_dirs: list[Path]) -> Path | None:
    for directory in anchor_dirs:
        candidate = directory.expanduser() / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def aot_compiler(mote: Path, workdir: Path) -> Callable[[Path], Path]:
    """Compiles each module once with `mote compile` into workdir; returns the artifact's path."""
    made: dict[Path, Path] = {}

    def artifact(wasm: Path) -> Path:
        if wasm not in made:
            out = workdir / f"{len(made)}-{wasm.stem}.aot"
            proc = subprocess.run([str(mote), "compile", str(wasm), "-o", str(out)], capture_output=True)
            if proc.returncode != 0:
                sys.exit(f"compare.py: mote compile {wasm} failed: {proc.stderr.decode(errors='replace')}")
            made[wasm] = out
        return made[wasm]
    return artifact


def engines(args: argparse.Namespace, mote: Path) -> list[Engine]:
    """The selected engines in a fixed order; peers not installed are skipped with a note.

    mote-jit's compile cache goes to a private directory beside the mote
    copy, so that only this invocation's warm-up fills it."""
    os.environ["MOTE_CACHE_DIR"] = str(mote.parent / "cache")
    names = [n for n in args.engines.split(",") if n]
    if args.fuel and "mote-fuel" not in names:
        names.insert(names.index("mote") + 1 if "mote" in names else 0, "mote-fuel")
    anchor_dirs = args.anchors or DEFAULT_ANCHORS
    chosen = []
    for name in names:
        if name == "mote":
            chosen.append(Engine(name, [str(mote), "run", "--mode", "interp"]))
        elif name == "mote-fuel":
            chosen.append(Engine(name, [str(mote), "run", "--mode", "interp", "--fuel", FUEL]))
        elif name == "mote-jit":
            chosen.append(Engine(name, [str(mote), "run", "--mode", "jit"]))
        elif name == "mote-jit-cold":
            chosen.append(Engine(name, [str(mote), "run", "--mode", "jit", "--no-cache"]))
        elif name == "mote-aot":
            chosen.append(Engine(name, [str(mote), "run"], aot_compiler(mote, mote.parent)))
        elif name in PEERS:
            path = find_peer(name, anchor_dirs)
            if path is None:
                note(f"{name}: not found in {', '.join(map(str, anchor_dirs))}; skipped")
                continue
            note(f"{name}: {path}")
            # wasmi 2.0 runs `_start` and passes the rest as WASI arguments by default.
            chosen.append(Engine(name, [str(path)] if name == "wasmi" else [str(path), "run"]))
        else:
            sys.exit(f"compare.py: unknown engine {name!r}")
    return chosen


# ---------------------------------------------------------------- running

@dataclass
class Measure:
    """How runs are measured: the kill deadline, and GNU time for peak RSS if installed."""

    timeout: float
    rss_tool: Path | None


def find_rss_tool() -> Path | None:
    """GNU time, the small launcher that makes peak RSS meaningful (see run_once).

    Without it, ru_maxrss from this script's own wait4 is floored at Python's
    RSS (about 14 MB): Linux carries the high-water mark of the memory image
    that exec replaces, which for a child of Python is Python's.
    """
    tool = shutil.which("time")
    if tool is None:
        return None
    probe = subprocess.run([tool, "--version"], capture_output=True, text=True)
    return Path(tool) if "GNU" in probe.stdout + probe.stderr else None


@dataclass
class Process:
    """What one finished process left behind."""

    seconds: float
    code: int
    stdout: bytes
    stderr: bytes
    max_rss_kb: int
    timed_out: bool


def spawn(argv: list[str], timeout: float) -> Process:
    """Run argv: wall time from spawn to reap, ru_maxrss from os.wait4.

    Popen + os.wait4 instead of subprocess.run because only wait4 gives this
    child's own rusage. Output goes to temporary files so no pipe can fill up
    and stall the child; a new session lets a timeout kill the whole group.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        timer = threading.Timer(timeout, kill_group, (proc.pid,))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timed_out = not timer.is_alive()
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Process(seconds, proc.returncode, out.read(), err.read(), usage.ru_maxrss, timed_out)


def kill_group(pid: int) -> None:
    """The timeout: kill the engine and any launcher; it may have just exited by itself."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_once(engine: Engine, program: Program, run: int, measure: Measure, wrap: bool) -> Sample:
    """One timed, checked run; with wrap, peak RSS comes from GNU time (`-f %M`).

    Wrapping adds about 1 ms of launcher start-up to the wall time, the same for
    every engine: noise for the benchmark programs, too much for hello world,
    which therefore pairs a bare run (time) with a wrapped one (RSS).
    """
    argv = engine.argv(program)
    with tempfile.NamedTemporaryFile("r") as rss_file:
        if wrap and measure.rss_tool:
            argv = [str(measure.rss_tool), "-f", "%M", "-o", rss_file.name, *argv]
        proc = spawn(argv, measure.timeout)
        rss = proc.max_rss_kb
        if wrap and measure.rss_tool:
            # GNU time puts a "Command exited with non-zero status" line first on failure.
            lines = rss_file.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if proc.timed_out:
        error = f"killed after {measure.timeout:g} s"
    else:
        error = check(proc.code, proc.stdout, proc.stderr, program.expected)
    return Sample(program.name, engine.name, run, proc.seconds, rss, error)


def run_paired(engine: Engine, program: Program, run: int, measure: Measure) -> Sample:
    """Wall time from a bare run, peak RSS from a wrapped one: for start-up measurements."""
    bare = run_once(engine, program, run, measure, wrap=False)
    if measure.rss_tool is None:
        return bare
    wrapped = run_once(engine, program, run, measure, wrap=True)
    return Sample(program.name, engine.name, run, bare.seconds, wrapped.max_rss_kb,
                  bare.error or wrapped.error)


def check(code: int, stdout: bytes, stderr: bytes, expected: bytes) -> str | None:
    """Describe what went wrong, or None: the exit status must be 0 and stdout exact."""
    if code != 0:
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        return f"exit status {code}" + (f": {' | '.join(tail)}" if tail else "")
    if stdout != expected:
        return f"stdout {stdout[:200]!r}, expected {expected[:200]!r}"
    return None


def round_robin(engines_: list[Engine], programs: list[Program], runs: int,
                one: Callable[[Engine, Program, int], Sample], label: str) -> list[Sample]:
    """Interleave engines and programs so slow drift in machine load hits all of them alike."""
    samples = []
    for run in range(1, runs + 1):
        for program in programs:
            for engine in engines_:
                s = one(engine, program, run)
                samples.append(s)
                status = "ok" if s.error is None else f"ERROR {s.error}"
                note(f"{label} {run}/{runs} {program.name:<12} {engine.name:<9} "
                     f"{s.seconds:9.4f} s {s.max_rss_kb / 1024:7.1f} MB  {status}")
    return samples


# ---------------------------------------------------------------- reporting

def median(samples: list[Sample], program: str, engine: str, key: str = "seconds") -> float | None:
    """Median of one cell; None if any of its runs failed, so that the cell reads "error"."""
    mine = [s for s in samples if s.program == program and s.engine == engine]
    if not mine or any(s.error for s in mine):
        return None
    return statistics.median(getattr(s, key) for s in mine)


def ratio_columns(engine_names: list[str]) -> list[tuple[str, str]]:
    """The ratios worth printing for the engines present, as (numerator, denominator)."""
    wanted = [("mote", "wasmi"), ("mote-fuel", "mote"), ("mote-jit", "wasmtime"),
              ("mote-jit-cold", "wasmtime"), ("mote-aot", "wasmtime")]
    return [(a, b) for a, b in wanted if a in engine_names and b in engine_names]


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def fmt_geomean(values: list[float]) -> str:
    """The geometric mean over the programs that ran cleanly under both engines."""
    return fmt(geomean(values), 2) if values else "n/a"


def fmt(value: float | None, digits: int = 3) -> str:
    return "error" if value is None else f"{value:.{digits}f}"


def programs_table(results: Results, engine_names: list[str]) -> str:
    """Median seconds per engine and the ratios, with a geometric-mean row of the ratios."""
    ratios = ratio_columns(engine_names)
    head = ["program", *[f"{e} s" for e in engine_names], *[f"{a}/{b}" for a, b in ratios]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    per_ratio: dict[tuple[str, str], list[float]] = {r: [] for r in ratios}
    for program, args in results.programs.items():
        medians = {e: median(results.samples, program, e) for e in engine_names}
        cells = [" ".join([program, *args])] + [fmt(medians[e]) for e in engine_names]
        for a, b in ratios:
            value = medians[a] / medians[b] if medians[a] and medians[b] else None
            if value is not None:
                per_ratio[(a, b)].append(value)
            cells.append(fmt(value, 2))
        lines.append("| " + " | ".join(cells) + " |")
    geo = ["geometric mean", *[""] * len(engine_names), *[fmt_geomean(per_ratio[r]) for r in ratios]]
    lines.append("| " + " | ".join(geo) + " |")
    return "\n".join(lines)


def hello_table(samples: list[Sample], engine_names: list[str]) -> str:
    """Whole-process start-up cost: median wall milliseconds and median peak RSS."""
    lines = ["| hello world | median ms | median peak RSS MB |", "|---|---|---|"]
    for e in engine_names:
        seconds = median(samples, "hello", e)
        rss_kb = median(samples, "hello", e, "max_rss_kb")
        ms = None if seconds is None else seconds * 1000
        mb = None if rss_kb is None else rss_kb / 1024
        lines.append(f"| {e} | {fmt(ms, 1)} | {fmt(mb, 1)} |")
    return "\n".join(lines)


def git_describe() -> str:
    """Which sources the numbers belong to (`-dirty`: with uncommitted changes)."""
    proc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO,
                          capture_output=True, text=True)
    return proc.stdout.strip() or "unknown"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_all(args: argparse.Namespace, programs: list[Program]) -> Results:
    """Every run of the invocation, against a private copy of the mote binary."""
    measure = Measure(args.timeout, find_rss_tool())
    if measure.rss_tool is None:
        note("GNU time not found: peak RSS is floored at this script's own RSS")
    with tempfile.TemporaryDirectory(prefix="mote-compare-") as workdir:
        chosen = engines(args, snapshot_mote(args.mote, Path(workdir)))
        results = Results(
            scale=args.scale, runs=args.runs,
            engines={e.name: e.prefix for e in chosen},
            programs={p.name: p.args for p in programs},
            rss_method=f"{measure.rss_tool} -f %M" if measure.rss_tool else "wait4, floored at Python's RSS",
            started=time.strftime("%Y-%m-%d %H:%M:%S %z"), git=git_describe(),
        )
        if args.warmup > 0:
            round_robin(chosen, programs, args.warmup,
                        lambda e, p, r: run_once(e, p, r, measure, wrap=False), "warm-up")
        results.samples = round_robin(chosen, programs, args.runs,
                                      lambda e, p, r: run_once(e, p, r, measure, wrap=True), "bench")
        if args.hello:
            hello = Program("hello", HELLO_WASM, [], HELLO_EXPECTED.read_bytes())
            startup = [e for e in chosen if e.name != "mote-fuel"]
            results.hello = round_robin(startup, [hello], args.hello_runs,
                                        lambda e, p, r: run_paired(e, p, r, measure), "hello")
    return results


def report(results: Results, hello_runs: int) -> str:
    """The Markdown output: the programs table, then the hello-world table if measured."""
    names = list(results.engines)
    parts = [f"Scale {results.scale}, median of {results.runs} runs, whole-process wall time in "
             f"seconds ({results.started}, {results.git}).\n",
             programs_table(results, names)]
    if results.hello:
        parts += [f"\nHello world ({HELLO_WASM.relative_to(REPO)}), whole process, median of "
                  f"{hello_runs} runs; peak RSS by {results.rss_method}.\n",
                  hello_table(results.hello, [n for n in names if n != "mote-fuel"])]
    return "\n".join(parts)


def count_instructions(engine: Engine, program: Program, timeout: float) -> int | None:
    """Instructions one run executes, as counted by callgrind; None if the run failed."""
    with tempfile.TemporaryDirectory(prefix="mote-callgrind-") as workdir:
        argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={workdir}/out", *engine.argv(program)]
        proc = subprocess.run(argv, capture_output=True, timeout=timeout)
    found = re.search(rb"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        note(f"{program.name} under {engine.name}: exit {proc.returncode} under callgrind")
        return None
    return int(found.group(1))


def callgrind_table(args: argparse.Namespace, programs: list[Program]) -> str:
    """Millions of instructions per engine and program, with the mote/wasmi ratio."""
    if shutil.which("valgrind") is None:
        sys.exit("compare.py: --callgrind needs valgrind")
    with tempfile.TemporaryDirectory(prefix="mote-compare-") as workdir:
        chosen = engines(args, snapshot_mote(args.mote, Path(workdir)))
        names = [e.name for e in chosen]
        lines = [f"Instructions executed (millions, callgrind), whole process ({git_describe()}).\n",
                 "| program | " + " | ".join(names) + (" | mote/wasmi |" if {"mote", "wasmi"} <= set(names) else " |"),
                 "|---" * (len(names) + 1 + ({"mote", "wasmi"} <= set(names))) + "|"]
        ratios = []
        for program in programs:
            stem = program.name.rsplit("/", 1)[-1]
            if stem in CALLGRIND_ARGS:
                program = Program(program.name, program.wasm, [CALLGRIND_ARGS[stem]], b"")
            counts = {e.name: count_instructions(e, program, args.timeout) for e in chosen}
            row = [f"{program.name} {' '.join(program.args)}"] + [fmt(c / 1e6 if c else None, 1) for c in counts.values()]
            if {"mote", "wasmi"} <= set(names):
                r = counts["mote"] / counts["wasmi"] if counts["mote"] and counts["wasmi"] else None
                if r:
                    ratios.append(r)
                row.append(fmt(r, 2))
            lines.append("| " + " | ".join(row) + " |")
        if ratios:
            lines.append("| geometric mean | " + " | " * len(names) + fmt_geomean(ratios) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    programs = select(shared_programs(args.bench_dir, args.scale)
                      + project_programs(REPO / "benches/programs"), args.filter)
    if not args.no_build:
        build_mote()
    if args.callgrind:
        print(callgrind_table(args, programs))
        return 0
    results = measure_all(args, programs)
    print(report(results, args.hello_runs))
    if args.json:
        args.json.write_text(json.dumps(asdict(results), indent=1) + "\n")
    errors = [s for s in results.samples + results.hello if s.error]
    for s in errors:
        note(f"error: {s.program} under {s.engine} (run {s.run}): {s.error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
