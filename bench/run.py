"""Serve Newsroom with gunicorn and measure its public URLs with wrk: one command, one table.

Usage (from the repository root, after the README's install):

    .venv/bin/python bench/run.py [--articles 100000] [--duration 10] [--connections 16]
                                  [--json bench/results-sqlite.json]

Steps: prepare the database (a SQLite file under bench/.data/, or the database in DATABASE_URL)
with `migrate` and `load_demo --articles N` (skipped when it already holds N articles);
`collectstatic`; then, for each mode, start gunicorn with production settings (DEBUG=0, one
worker per core, 127.0.0.1 on a free port, WhiteNoise serving static files; REDIS_URL passed
through) and drive each URL with wrk for a fixed time, after a short unmeasured warm-up.

Modes (see bench/README.md for the full definitions):
  cold  gunicorn runs with PAGE_CACHE_SECONDS=0 and PAGE_CACHE_STALE_SECONDS=0, so the page
        cache stores nothing (Django's cache timeout 0 means "expire at once") and every request
        renders the page: the cost of a cache miss. The cache is purged before the run.
  warm  the normal settings (pages kept PAGE_CACHE_SECONDS); the warm-up fills the cache.
Before the runs an in-process check requests every URL twice with Django's test client and
counts the SQL queries of the second request: > 0 in cold mode proves that nothing was served
from a cache; 0 in warm mode shows that the page is served from the page cache.

The floor, `/healthz`, runs before the first URL and after each one: every URL is compared
with the mean of the floor runs on either side of it, because the shared machine's speed drifts.
It prints a table (requests/s, p50 and p99 latency, errors, ratio to the floor), the peak RSS
of each gunicorn worker, and whether the targets of issue 7 are met; it writes every figure as
JSON. gunicorn is always stopped (also on Ctrl+C).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
DATA_DIR = BENCH_DIR / ".data"
SQLITE_PATH = DATA_DIR / "bench.sqlite3"

MB = 1_000_000  # figures are in MB (10^6 bytes), as the 150 MB target is stated
RSS_LIMIT_MB = 150
MODES = ("cold", "warm")
# Anonymous API clients are throttled per IP (120/min by default): wrk is one IP, so the
# throttle is raised, not removed: its bookkeeping still runs on every API request.
API_ANON_RATE = "1000000/s"
ANSWER = "BENCH_ANSWER "  # how a child process's answer line starts

# wrk calls done() once at the end: print the figures as one JSON line (times in µs).
WRK_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "connect": %.0f, '
    .. '"read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f, "p50_us": %.0f, '
    .. '"p90_us": %.0f, "p99_us": %.0f, "mean_us": %.1f, "max_us": %.0f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
"""


# --- figures -------------------------------------------------------------------------------


@dataclass
class WrkResult:
    """What wrk measured for one URL in one mode."""

    requests: int
    duration_s: float
    rps: float
    p50_ms: float | None  # None when no request completed
    p99_ms: float | None
    non_2xx_3xx: int  # wrk counts responses with a status of 400 or more
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())


@dataclass
class Row:
    """One line of the table."""

    name: str
    path: str
    mode: str
    result: WrkResult
    ratio: float | None = None  # requests/s divided by floor_rps
    floor_rps: float | None = None  # mean of the floor runs just before and just after
    floor_range: tuple[float, float] | None = None  # the floor row: slowest and fastest run
    cached: bool | None = None  # second request ran no SQL (from the in-process check)
    status: int | None = None  # of one plain request just before the run
    bytes: int | None = None  # its body's size


@dataclass
class Target:
    name: str
    measured: float | None
    limit: float
    unit: str
    met: bool | None  # None: not measured in this run

    def describe(self) -> str:
        if self.met is None:
            return f"{self.name}: not measured"
        op = "≤" if self.unit == "MB" else "≥"
        if self.unit == "MB":
            value, limit = f"{self.measured:.0f} MB", f"{self.limit:.0f} MB"
            margin = f"{self.measured - self.limit:+.0f} MB"
        else:
            value, limit = f"{self.measured:.1%}", f"{self.limit:.0%}"
            margin = f"{(self.measured - self.limit) * 100:+.0f} points"
        verdict = "met" if self.met else "MISSED"
        return f"{self.name}: {value} (target {op} {limit}, {margin}) → {verdict}"


# --- parsing wrk ---------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(text: str) -> float:
    """'812.00us', '1.25ms', '2.01s' → milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Read wrk's output: the JSON line printed by WRK_LUA, else the `--latency` text."""
    for line in output.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line[len("WRK_JSON ") :])
            seconds = data["duration_us"] / 1e6
            done = int(data["requests"]) > 0
            return WrkResult(
                requests=int(data["requests"]),
                duration_s=round(seconds, 3),
                rps=round(data["requests"] / seconds, 1) if seconds else 0.0,
                p50_ms=round(data["p50_us"] / 1000, 2) if done else None,
                p99_ms=round(data["p99_us"] / 1000, 2) if done else None,
                non_2xx_3xx=int(data["status"]),
                socket_errors={k: int(data[k]) for k in ("connect", "read", "write", "timeout")},
            )
    return parse_wrk_text(output)


def parse_wrk_text(output: str) -> WrkResult:
    """Fallback: parse wrk's human-readable report (needs `--latency` for p50/p99)."""
    percentiles = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.M))
    done = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", output, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not (done and rps and {"50", "99"} <= percentiles.keys()):
        raise ValueError(f"cannot read wrk's output:\n{output}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    names = ("connect", "read", "write", "timeout")
    return WrkResult(
        requests=int(done.group(1)),
        duration_s=round(_to_ms(done.group(2)) / 1000, 3),
        rps=float(rps.group(1)),
        p50_ms=round(_to_ms(percentiles["50"]), 2),
        p99_ms=round(_to_ms(percentiles["99"]), 2),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=dict(zip(names, map(int, sockets.groups()), strict=True))
        if sockets
        else dict.fromkeys(names, 0),
    )


# --- running things ------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bench_env() -> dict[str, str]:
    """The environment of every Django process: production settings on loopback."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-" + "k" * 50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on loopback; no proxy sets X-Forwarded-Proto
        STATIC_ROOT=str(DATA_DIR / "staticfiles"),
        MEDIA_ROOT=str(DATA_DIR / "media"),
        API_ANON_RATE=API_ANON_RATE,
        # Without Redis the content version lives in a file cache shared by every process of
        # the checkout: our own, so that other processes' purges do not empty the bench's cache.
        CACHE_VERSIONS_DIR=str(DATA_DIR / "cache-versions"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if env.get("REDIS_URL"):
        # Our own keys, so a shared Redis never mixes the bench with a development server.
        env.setdefault("CACHE_KEY_PREFIX", "newsroom-bench")
    return env


def mode_env(env: dict[str, str], mode: str) -> dict[str, str]:
    """The settings that differ between cold and warm runs."""
    if mode == "cold":
        return env | {"PAGE_CACHE_SECONDS": "0", "PAGE_CACHE_STALE_SECONDS": "0"}
    return env


def manage(env: dict[str, str], *argv: str, capture: bool = False) -> str:
    """Run `manage.py` with this Python; return its stdout when `capture`."""
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "manage.py"), *argv],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def inside(env: dict[str, str], task: str, *argv: str) -> object:
    """Run one of this script's in-Django tasks (see `django_task`) in a child process."""
    done = subprocess.run(
        [sys.executable, __file__, "--inside", task, *argv],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    answers = [line for line in done.stdout.splitlines() if line.startswith(ANSWER)]
    if not answers:
        raise RuntimeError(f"{task}: no answer from the child process:\n{done.stdout}")
    return json.loads(answers[-1][len(ANSWER) :])


def prepare_database(env: dict[str, str], articles: int) -> int:
    """Migrate, top the demo archive up to `articles` unless it is there; return the count."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    log(f"database: {describe_database(env['DATABASE_URL'])}")
    manage(env, "migrate", "--noinput", "-v", "0")
    count = inside(env, "count")
    if count >= articles:
        log(f"{count:,} articles already there: not generating")
    else:
        log(f"{count:,} articles: generating up to {articles:,} (load_demo; minutes for 100,000)")
        output = manage(env, "load_demo", "--articles", str(articles), capture=True)
        for line in output.splitlines():  # not the demo accounts' passwords
            if line.startswith(("Articles in", "Gazetteer")):
                log(line)
        count = inside(env, "count")
    log("collectstatic")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    return count


def describe_database(url: str) -> str:
    """The database URL without its password."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command() -> list[str]:
    """gunicorn next to the running Python (so .venv/bin/python uses .venv/bin/gunicorn)."""
    script = Path(sys.executable).parent / "gunicorn"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]


class Gunicorn:
    """A gunicorn master on 127.0.0.1, in its own session so that we alone stop it."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path, extra: list[str]):
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        command = [
            *gunicorn_command(),
            "newsroom.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={workers}",
            f"--error-logfile={log_path}",
            "--no-control-socket",  # gunicorn 27 otherwise shares ~/.gunicorn/gunicorn.ctl
            *extra,
        ]
        if Path("/dev/shm").is_dir():
            command.append("--worker-tmp-dir=/dev/shm")  # heartbeat files off the disk
        self.command = command
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, start_new_session=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until every worker is up and /healthz answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}:\n{self.log_tail()}")
            if self.answers() and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in {timeout:.0f} s:\n{self.log_tail()}")

    def answers(self, timeout: float = 30) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/healthz", timeout=timeout) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_idle(self, timeout: float = 300) -> float:
        """Wait until no request is left in gunicorn; return the seconds waited.

        wrk stops at its deadline, but gunicorn still serves what it has accepted or has
        queued: a slow page would otherwise eat into the next URL's run. Every such request
        holds a TCP connection to our port, so wait until there is none.
        """
        started = time.monotonic()
        while time.monotonic() - started < timeout and self.open_connections():
            time.sleep(0.1)
        return time.monotonic() - started

    def open_connections(self) -> int:
        """Server-side connections to our port that a worker has still to answer or close
        (ESTABLISHED, SYN_RECV, CLOSE_WAIT in /proc/net/tcp)."""
        local = f"0100007F:{self.port:04X}"
        with contextlib.suppress(OSError):
            lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
            return sum(1 for line in lines if _tcp_is_open(line.split(), local))
        return 0

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        return ""

    def worker_pids(self) -> list[int]:
        """The master's children, from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                # The fields after the command name (which may hold spaces) in parentheses.
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    pids.append(int(stat.parent.name))
        return sorted(pids)

    def memory(self) -> dict:
        """Peak (VmHWM) and current (VmRSS) resident memory of the master and each worker."""
        return {
            "master": read_memory(self.process.pid),
            "workers": [read_memory(pid) for pid in self.worker_pids()],
        }

    def stop(self) -> None:
        """SIGTERM the master (graceful), then SIGKILL its process group if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def _tcp_is_open(fields: list[str], local: str) -> bool:
    return len(fields) > 3 and fields[1] == local and fields[3] in {"01", "03", "08"}


def read_memory(pid: int) -> dict:
    """VmHWM and VmRSS of a process in MB (None when it is gone)."""
    figures: dict = {"pid": pid, "peak_rss_mb": None, "rss_mb": None}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in {"VmHWM", "VmRSS"}:
                kilobytes = int(value.split()[0])
                name = "peak_rss_mb" if key == "VmHWM" else "rss_mb"
                figures[name] = round(kilobytes * 1024 / MB, 1)
    return figures


@contextlib.contextmanager
def serve(env: dict[str, str], args: argparse.Namespace, mode: str):
    """Run gunicorn for the duration of the block; always stop it."""
    server = Gunicorn(env, args.workers, DATA_DIR / f"gunicorn-{mode}.log", args.gunicorn_arg)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def fetch(url: str) -> tuple[int, int]:
    """Status and body size of one GET, redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, len(response.read())
    finally:
        connection.close()


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is not installed: `apt-get install wrk` (Debian) and run again.")
    return path


def run_wrk(url: str, seconds: float, args: argparse.Namespace, lua: Path) -> WrkResult:
    """Drive `url` (loopback only) for a bounded time and return the figures."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"refusing to load anything but 127.0.0.1: {url}")
    command = [
        wrk_path(),
        f"--threads={min(args.threads, args.connections)}",
        f"--connections={args.connections}",
        f"--duration={seconds:g}s",
        f"--timeout={args.timeout:g}s",
        "--latency",
        f"--script={lua}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


# --- the benchmark -------------------------------------------------------------------------


def pick_urls(env: dict[str, str], search: str | None) -> list[tuple[str, str]]:
    """(name, path) of every URL measured (the floor, /healthz, runs between them)."""
    t = inside(env, "targets")
    query = urllib.parse.quote_plus(search or t["entity_name"])
    return [
        ("home", "/"),
        ("section", f"/sections/{t['section']}/"),
        ("article", f"/articles/{t['article_slug']}/"),
        ("entity", f"/entities/{t['entity_kind']}/{t['entity_slug']}/"),
        ("search", f"/search/?q={query}"),
        ("api-list", "/api/v1/articles/?page_size=20"),
        ("api-detail", f"/api/v1/articles/{t['article_id']}/"),
        ("json-feed", "/feed.json"),
    ]


def check_cache_use(env: dict[str, str], mode: str, urls: list[tuple[str, str]]) -> dict:
    """For each path: status and SQL queries of a first and a second request (in-process)."""
    inside(env, "purge")
    return inside(mode_env(env, mode), "probe", *(path for _, path in urls))


def measure_mode(
    env: dict[str, str], mode: str, urls: list[tuple[str, str]], args, lua: Path, probe: dict
) -> tuple[list[Row], dict]:
    """Serve in `mode` and measure every URL between two runs of the floor; return the rows
    (the floor's summary first) and the workers' memory.

    The machine is shared, so its speed drifts from minute to minute: each URL is compared
    with the mean of the floor runs just before and just after it, not with one floor run.
    """
    inside(env, "purge")  # nothing cached from an earlier run (matters with Redis)
    rows: list[Row] = []
    load_before = os.getloadavg()[0]
    with serve(mode_env(env, mode), args, mode) as server:
        log(f"{mode}: gunicorn pid {server.process.pid}, {args.workers} workers, {server.base_url}")
        floors = [measure_url(server, mode, "floor", "/healthz", args, lua, warmup=False)]
        for name, path in urls:
            result, status, size = measure_url(server, mode, name, path, args, lua)
            floors.append(measure_url(server, mode, "floor", "/healthz", args, lua, warmup=False))
            floor_rps = (floors[-2][0].rps + floors[-1][0].rps) / 2
            rows.append(
                Row(
                    name, path, mode, result,
                    ratio=round(result.rps / floor_rps, 4) if floor_rps else None,
                    floor_rps=round(floor_rps, 1),
                    cached=probe[path]["queries_second"] == 0,
                    status=status,
                    bytes=size,
                )
            )  # fmt: skip
        memory = server.memory()
    memory["load_average_1min"] = {"before": load_before, "after": os.getloadavg()[0]}
    runs = [result for result, _, _ in floors]
    summary = Row("floor", "/healthz", mode, summarise(runs), ratio=1.0, status=floors[0][1])
    summary.floor_range = (min(r.rps for r in runs), max(r.rps for r in runs))
    summary.floor_rps, summary.bytes = summary.result.rps, floors[0][2]
    memory["floor_runs"] = [asdict(r) for r in runs]
    return [summary, *rows], memory


def measure_url(
    server: Gunicorn, mode: str, name: str, path: str, args, lua: Path, warmup: bool = True
) -> tuple[WrkResult, int, int]:
    """One GET (must be 200), the warm-up, the measured wrk run; then wait for the queue."""
    url = server.base_url + path
    status, size = fetch(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200")
    if warmup and args.warmup:
        run_wrk(url, args.warmup, args, lua)  # unmeasured: fills caches, connections
        server.wait_idle()
    with profiling(server, args, f"{mode}-{name}"):
        result = run_wrk(url, args.duration, args, lua)
    if (waited := server.wait_idle()) > 1:
        log(f"waited {waited:.0f} s for gunicorn to finish the requests left queued")
    log(
        f"{mode:<4} {name:<10} {result.rps:>8.1f} req/s  p50 {_ms(result.p50_ms)} ms  "
        f"p99 {_ms(result.p99_ms)} ms  errors {result.errors}"
    )
    return result, status, size


def summarise(runs: list[WrkResult]) -> WrkResult:
    """The floor's row: mean requests/s of its runs, median latencies, errors summed."""
    return WrkResult(
        requests=sum(r.requests for r in runs),
        duration_s=round(sum(r.duration_s for r in runs), 3),
        rps=round(statistics.fmean(r.rps for r in runs), 1),
        p50_ms=statistics.median(r.p50_ms or 0 for r in runs),
        p99_ms=statistics.median(r.p99_ms or 0 for r in runs),
        non_2xx_3xx=sum(r.non_2xx_3xx for r in runs),
        socket_errors={
            k: sum(r.socket_errors.get(k, 0) for r in runs) for k in runs[0].socket_errors
        },
    )


@contextlib.contextmanager
def profiling(server: Gunicorn, args, label: str):
    """With --profile, record every worker with py-spy while the block runs (a flame graph
    per URL and mode in the --profile directory); otherwise do nothing."""
    if not args.profile or label.endswith("-floor"):
        yield
        return
    py_spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if not py_spy:
        sys.exit("--profile needs py-spy (pip install py-spy) next to this Python or on PATH")
    args.profile.mkdir(parents=True, exist_ok=True)
    suffix = {"flamegraph": "svg", "raw": "txt", "speedscope": "json"}[args.profile_format]
    output = args.profile / f"{label}.{suffix}"
    command = [
        py_spy,
        "record",
        "--subprocesses",
        "--nonblocking",
        "--pid",
        str(server.process.pid),
    ]
    command += [f"--format={args.profile_format}", f"--output={output}"]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
        with contextlib.suppress(subprocess.TimeoutExpired):
            recorder.wait(timeout=30)
        if recorder.poll() is None:
            recorder.kill()
        log(f"profile: {output}")


def check_targets(rows: list[Row], memory: dict[str, dict]) -> list[Target]:
    """The targets of issue 7 that apply to what was measured."""

    def ratio(name: str, mode: str, limit: float, label: str) -> Target:
        row = next((r for r in rows if r.name == name and r.mode == mode), None)
        if row is None or row.ratio is None:
            return Target(label, None, limit, "ratio", None)
        return Target(label, row.ratio, limit, "ratio", row.ratio >= limit)

    targets = [
        ratio("article", "warm", 0.70, "cached article ≥ 70% of floor"),
        ratio("home", "warm", 0.70, "cached home ≥ 70% of floor"),
        ratio("article", "cold", 0.25, "uncached article ≥ 25% of floor"),
        ratio("api-list", "cold", 0.20, "uncached API list of 20 ≥ 20% of floor"),
    ]
    peaks = [w["peak_rss_mb"] for m in memory.values() for w in m["workers"] if w["peak_rss_mb"]]
    label = f"each worker's peak RSS ≤ {RSS_LIMIT_MB} MB"
    if peaks:
        targets.append(Target(label, max(peaks), RSS_LIMIT_MB, "MB", max(peaks) <= RSS_LIMIT_MB))
    else:
        targets.append(Target(label, None, RSS_LIMIT_MB, "MB", None))
    return targets


def format_table(rows: list[Row]) -> str:
    """The figures as a Markdown table (paste it into bench/README.md as it is)."""
    columns = [
        "URL", "mode", "req/s", "p50 ms", "p99 ms", "non-2xx/3xx", "socket errors",
        "floor req/s", "vs floor", "from cache", "KB",
    ]  # fmt: skip
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        r = row.result
        sockets = ", ".join(f"{k} {v}" for k, v in r.socket_errors.items() if v) or "0"
        if row.floor_range:  # the floor's own row
            floor, ratio = "{:,.0f}–{:,.0f}".format(*row.floor_range), "–"
        else:
            floor, ratio = f"{row.floor_rps:,.0f}", _percent(row.ratio)
        cells = [
            row.name, row.mode, f"{r.rps:,.1f}", _ms(r.p50_ms), _ms(r.p99_ms),
            str(r.non_2xx_3xx), sockets, floor, ratio,
            {True: "yes", False: "no", None: "–"}[row.cached],
            f"{row.bytes / 1000:,.1f}" if row.bytes is not None else "",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _percent(ratio: float | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio:.0%}" if ratio >= 0.1 else f"{ratio:.1%}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def format_memory(memory: dict[str, dict]) -> str:
    lines = []
    for mode, figures in memory.items():
        workers = ", ".join(
            f"pid {w['pid']}: peak {w['peak_rss_mb']} MB (now {w['rss_mb']} MB)"
            for w in figures["workers"]
        )
        master, load = figures["master"], figures["load_average_1min"]
        lines.append(
            f"{mode}: workers {workers}; master peak {master['peak_rss_mb']} MB; "
            f"machine load average {load['before']:.1f} before, {load['after']:.1f} after"
        )
    return "\n".join(lines)


def environment_facts(env: dict[str, str], args, articles: int) -> dict:
    url = env["DATABASE_URL"]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": {
            "cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "wrk": subprocess.run([wrk_path(), "-v"], capture_output=True, text=True)
            .stdout.splitlines()[0]
            .strip(),
        },
        "database": "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite",
        "database_url": describe_database(url),
        "articles": articles,
        "cache": "redis" if env.get("REDIS_URL") else "locmem (one per worker)",
        "gunicorn": {"workers": args.workers, "extra_args": args.gunicorn_arg},
        "wrk": {
            "threads": min(args.threads, args.connections),
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "timeout_s": args.timeout,
        },
        "cold": "PAGE_CACHE_SECONDS=0 and PAGE_CACHE_STALE_SECONDS=0: the page cache keeps "
        "nothing, every request renders; cache purged before the run",
        "warm": f"PAGE_CACHE_SECONDS={env.get('PAGE_CACHE_SECONDS', '300')}: the page cache "
        "is filled by the unmeasured warm-up",
        "api_anon_rate": API_ANON_RATE,
    }


def default_json_path(env: dict[str, str]) -> Path:
    vendor = "postgresql" if env["DATABASE_URL"].startswith(("postgres", "pgsql")) else "sqlite"
    return BENCH_DIR / f"results-{vendor}.json"


def run(args: argparse.Namespace) -> int:
    env = bench_env()
    wrk_path()
    articles = prepare_database(env, args.articles)
    if args.prepare_only:
        return 0
    urls = pick_urls(env, args.search)
    if args.only:
        urls = [u for u in urls if u[0] in args.only]
    for name, path in urls:
        log(f"{name:<10} {path}")

    rows: list[Row] = []
    memory: dict[str, dict] = {}
    probes: dict[str, dict] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="wrk-", dir=DATA_DIR) as lua:
        lua.write(WRK_LUA)
        lua.flush()
        for mode in args.modes:
            probes[mode] = check_cache_use(env, mode, urls)
            report_probe(mode, probes[mode])
            mode_rows, memory[mode] = measure_mode(
                env, mode, urls, args, Path(lua.name), probes[mode]
            )
            rows += mode_rows

    targets = check_targets(rows, memory)
    print()
    print("- floor: `/healthz` (before the first URL and after each one)")
    for name, path in urls:
        print(f"- {name}: `{path}`")
    print()
    print(format_table(rows))
    print()
    print("Peak RSS per gunicorn worker (VmHWM, read after the runs), and the machine's load:")
    print(format_memory(memory))
    print()
    print("Targets (issue 7):")
    for target in targets:
        print(f"  {target.describe()}")
    warn_about_errors(rows)

    results = {
        "environment": environment_facts(env, args, articles),
        "urls": {"floor": "/healthz", **dict(urls)},
        "cache_check": probes,
        "rows": [
            {k: v for k, v in asdict(row).items() if k != "result"} | asdict(row.result)
            for row in rows
        ],
        "memory": memory,
        "targets": [asdict(t) for t in targets],
    }
    json_path = args.json or default_json_path(env)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures written to {json_path}")
    return 0


def report_probe(mode: str, probe: dict) -> None:
    """Say what the in-process check found, and stop when a URL does not answer 200."""
    bad = {path: p["status"] for path, p in probe.items() if p["status"] != 200}
    if bad:
        raise SystemExit(f"these URLs do not answer 200: {bad}")
    no_sql = [path for path, p in probe.items() if path != "/healthz" and not p["queries_second"]]
    if mode == "warm":
        log(f"warm: served from the page cache on a repeat request: {no_sql or 'none'}")
    elif no_sql:
        log(f"WARNING: cold mode still served these from a cache (no SQL): {no_sql}")
    else:
        log("cold: every page ran SQL on a repeat request (nothing served from a cache)")


def warn_about_errors(rows: list[Row]) -> None:
    failing = [f"{r.mode} {r.name} ({r.result.errors})" for r in rows if r.result.errors]
    if failing:
        print(f"\nWARNING: errors during the runs, figures not trustworthy: {', '.join(failing)}")


# --- tasks run inside Django (child processes of this script) ------------------------------


def django_task(task: str, argv: list[str]) -> None:
    """Print one JSON line for the parent: `count`, `purge`, `targets` or `probe`."""
    sys.path.insert(0, str(REPO_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles.caching import purge
    from articles.models import Article, ArticleEntity, Entity

    if task == "count":
        answer: object = Article.objects.count()
    elif task == "purge":
        purge()
        answer = True
    elif task == "targets":
        answer = pick_targets(Article, ArticleEntity, Entity)
    elif task == "probe":
        answer = probe_paths(argv)
    else:
        raise SystemExit(f"unknown task {task!r}")
    print(ANSWER + json.dumps(answer))  # marked: apps may print on stdout too


def pick_targets(Article, ArticleEntity, Entity) -> dict:
    """The story of the day: the entity most linked from the newest 200 published articles
    (its entity page, its name as the search) and the newest article about it (its page,
    its section's page, its API detail)."""
    published = Article.objects.published().newest_first()
    newest = list(published.values_list("pk", flat=True)[:200])
    if not newest:
        raise SystemExit("no published article in the database")
    links = ArticleEntity.objects.filter(article_id__in=newest).values_list("entity_id", flat=True)
    entity = Entity.objects.get(pk=Counter(links).most_common(1)[0][0])
    article = published.mentioning(entity).select_related("section").first()
    return {
        "article_id": article.pk,
        "article_slug": article.slug,
        "section": article.section.slug,
        "entity_kind": entity.kind,
        "entity_slug": entity.slug,
        "entity_name": entity.name,
    }


def probe_paths(paths: list[str]) -> dict:
    """Request each path twice with the test client; count SQL queries of each request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    found = {}
    for path in paths:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries))
        found[path] = {
            "status": response.status_code,
            "queries_first": counts[0],
            "queries_second": counts[1],
        }
    return found


# --- command line --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure Newsroom's public URLs under gunicorn with wrk (see bench/README.md).",
    )
    parser.add_argument(
        "--articles", type=int, default=100_000, help="archive size (default 100000)"
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per URL (default 10)")
    parser.add_argument(
        "--warmup", type=float, default=2, help="unmeasured seconds before each URL (default 2)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=30, help="wrk: a slower response is an error (30 s)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="gunicorn workers (default: the number of usable cores)",
    )
    parser.add_argument(
        "--modes",
        type=lambda s: [m for m in s.split(",") if m],
        default=list(MODES),
        help="cold,warm (default both)",
    )
    parser.add_argument(
        "--only",
        type=lambda s: [m for m in s.split(",") if m],
        default=None,
        help="measure only these URLs (names as in the table; the floor always runs)",
    )
    parser.add_argument(
        "--search", default=None, help="search text (default: the name of the entity measured)"
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help="where to write the figures (default bench/results-<sqlite|postgresql>.json)",
    )
    parser.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        help="one more gunicorn option, repeatable, e.g. --gunicorn-arg=--worker-class=gthread",
    )
    parser.add_argument(
        "--prepare-only", action="store_true", help="prepare the database, then stop"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="record the workers with py-spy during each measured URL into this directory "
        "(the figures then include py-spy's overhead)",
    )
    parser.add_argument(
        "--profile-format",
        choices=["flamegraph", "raw", "speedscope"],
        default="flamegraph",
        help="py-spy's output: flamegraph (SVG, default), raw (collapsed stacks), speedscope",
    )
    parser.add_argument("--inside", help=argparse.SUPPRESS)  # internal: run a Django task
    args, rest = parser.parse_known_args(argv)
    if args.inside is None and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    if set(args.modes) - set(MODES):
        parser.error(f"--modes: choose from {', '.join(MODES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.inside:
        django_task(args.inside, args.rest)
        return 0

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # so `finally` stops gunicorn on SIGTERM too
    try:
        return run(args)
    except KeyboardInterrupt:
        print("\n[bench] interrupted: gunicorn stopped", file=sys.stderr)
        return 130
    except (subprocess.CalledProcessError, RuntimeError) as error:
        print(f"\n[bench] failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
