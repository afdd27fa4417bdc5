"""The production stack for load and fault runs, and where its CPU goes.

`serve` brings up `scripts/serve_prod.py` (nginx, gunicorn, Redis, the relay, the sealer and
the job worker) on a database and port of the caller's choosing and stops it afterwards;
`CpuSampler` adds up, every couple of seconds, the CPU time of gunicorn, PostgreSQL's backends
for that database, Locust (this process) and the rest of the stack, beside the machine's."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parents[2]
SERVING = "SafeHub production stack is serving at"


@dataclass
class Served:
    url: str
    cafile: Path
    state: Path
    process: subprocess.Popen[bytes]
    database_url: str


@contextlib.contextmanager
def serve(
    database_url: str,
    *,
    port: int,
    state: Path,
    scale: str = "small",
    workers: int | None = None,
    as_of: str | None = None,
    extra_env: dict[str, str] | None = None,
    startup_seconds: float = 900,
) -> Iterator[Served]:
    """The stack, serving; stopped (Ctrl-C, as a person would) when the block ends."""
    state.mkdir(parents=True, exist_ok=True)
    output = state / "serve-prod.out"
    argv = [sys.executable, "scripts/serve_prod.py", "--port", str(port), "--scale", scale]
    argv += ["--database-url", database_url, "--state-dir", str(state)]
    if workers:
        argv += ["--workers", str(workers)]
    if as_of:
        argv += ["--as-of", as_of]
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        },
        **(extra_env or {}),
    }
    with output.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = _wait_for_serving(process, output, startup_seconds)
        yield Served(url, state / "tls" / "cert.pem", state, process, database_url)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_serving(process: subprocess.Popen[bytes], output: Path, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for line in output.read_text(errors="replace").splitlines():
            if line.startswith(SERVING):
                return line.removeprefix(SERVING).strip()
        if process.poll() is not None:
            raise RuntimeError(f"serve_prod.py exited {process.returncode}:\n{output.read_text()}")
        time.sleep(0.5)
    raise RuntimeError(f"not serving after {seconds:.0f} s:\n{output.read_text()}")


def stack_processes(serve_pid: int) -> dict[str, list[psutil.Process]]:
    """serve_prod's children by part: gunicorn (master and workers), nginx, redis, relay…"""
    parts: dict[str, list[psutil.Process]] = defaultdict(list)
    with contextlib.suppress(psutil.NoSuchProcess):
        for child in psutil.Process(serve_pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                parts[_part(" ".join(child.cmdline()))].append(child)
    return parts


def _part(cmdline: str) -> str:
    for needle, part in (
        ("gunicorn", "gunicorn"),
        ("nginx", "nginx"),
        ("redis-server", "redis"),
        ("outbox_relay", "outbox-relay"),
        ("audit_seal", "audit-sealer"),
        ("qcluster", "job-worker"),
    ):
        if needle in cmdline:
            return part
    return "other"


def postgres_backends(database: str) -> list[psutil.Process]:
    """PostgreSQL's server processes serving `database` (their title names it)."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["name"] == "postgres" and f" {database} " in f"{cmdline} ":
            found.append(process)
    return found


@dataclass
class CpuSampler:
    """CPU seconds by part over a window, summed from each process's own counters."""

    serve_pid: int
    database_url: str
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _last: dict[int, float] = field(default_factory=dict)
    _machine: tuple[float, float] = (0.0, 0.0)
    _started: float = 0.0

    def start(self) -> None:
        self.seconds.clear()
        self._last.clear()
        self._started = time.monotonic()
        self._machine = _machine_cpu()
        self.sample()
        self.seconds.clear()

    def sample(self) -> None:
        database = urlsplit(self.database_url).path.lstrip("/")
        parts = dict(stack_processes(self.serve_pid))
        parts["postgresql"] = postgres_backends(database)
        parts["locust"] = [psutil.Process(os.getpid())]
        for part, processes in parts.items():
            for process in processes:
                with contextlib.suppress(psutil.Error):
                    times = process.cpu_times()
                    total = times.user + times.system
                    self.seconds[part] += total - self._last.get(process.pid, total)
                    self._last[process.pid] = total

    def result(self) -> dict[str, object]:
        """Each part's share of the machine's cores (1.0 = one core busy), and the machine's."""
        self.sample()
        wall = max(time.monotonic() - self._started, 1e-6)
        busy, total = _machine_cpu()
        machine = (busy - self._machine[0]) / max(total - self._machine[1], 1e-6)
        cores = {part: round(s / wall, 2) for part, s in sorted(self.seconds.items())}
        ours = sum(cores.values())
        return {
            "cores_used_by": cores,
            "machine_busy_fraction": round(machine, 2),
            "others_on_machine_cores": round(max(machine * psutil.cpu_count() - ours, 0), 2),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }


def _machine_cpu() -> tuple[float, float]:
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    total = sum(times)
    return total - idle, total


def limit(cpu: dict[str, object], cores: int) -> str:
    """What held the step back: the part using the most of the machine, or the machine
    itself when others had most of it."""
    used: dict[str, float] = cpu["cores_used_by"]  # type: ignore[assignment]
    app = {k: used.get(k, 0.0) for k in ("gunicorn", "postgresql", "locust")}
    top = max(app, key=lambda k: app[k])
    others = float(cpu["others_on_machine_cores"])  # type: ignore[arg-type]
    if others > max(app.values()):
        return f"the machine's other work ({others:.1f} of {cores} cores), then {top}"
    return f"{top} ({app[top]:.2f} of {cores} cores)"
