"""SafeHub's production stack on this machine (`make serve-prod`, ADR 0029): PostgreSQL (a
database of its own on the server at DATABASE_URL, created if missing, migrated, the demo
council loaded if empty), Redis as the shared cache, gunicorn with the production settings,
the outbox relay, the audit sealer and the job worker (ADR 0038) as processes of their
own, and nginx ending TLS in front. Prints where it serves; Ctrl-C (or SIGTERM) stops
everything it started.

    .venv/bin/python scripts/serve_prod.py [--port 8443] [--database-url URL] [--state-dir DIR]

Everything it writes (keys, certificate, Redis data, nginx's files, each process's log) is
under the state directory, var/prod by default. A real host runs the same processes under
systemd (docs/how-to/deploy.md)."""

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/safehub_prod"
# The line a caller (tests/deploy) waits for; everything before it is set-up.
SERVING = "SafeHub production stack is serving at"


class StackError(Exception):
    """Something the stack needs is missing or failed; the message says what to do."""


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def find_program(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if not found:
        raise StackError(f"{name} is not installed: apt-get install {package}")
    return found


# --- Set-up: keys, certificate, database --------------------------------------------------


def load_secrets(state: Path) -> dict[str, str]:
    """SECRET_KEY and AUDIT_SEAL_KEY, made once and kept (mode 600) so that sessions and
    the audit seals survive a restart. A real host keeps them in its secret store."""
    path = state / "secrets.env"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(
            f"SECRET_KEY={secrets.token_urlsafe(48)}\nAUDIT_SEAL_KEY={secrets.token_urlsafe(48)}\n"
        )
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return dict(pairs)


def make_certificate(state: Path, openssl: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost; a real host has the council's."""
    cert, key = state / "tls" / "cert.pem", state / "tls" / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    cert.parent.mkdir(parents=True, exist_ok=True)
    run(
        [
            *[openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "365"],
            *["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            *["-keyout", str(key), "-out", str(cert)],
        ],
        what="make the TLS certificate",
    )
    key.chmod(0o600)
    return cert, key


def ensure_database(database_url: str) -> bool:
    """Create the database if the server lacks it. True if it was created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            if connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                return False
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.OperationalError as error:
        raise StackError(
            f"PostgreSQL did not answer at {parts.hostname}:{parts.port or 5432} ({error}). "
            "Start it, or give another server with --database-url."
        ) from error


def run(argv: list[str], *, what: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"Could not {what}:\n{result.stdout}{result.stderr}")


# --- nginx -----------------------------------------------------------------------------


NGINX_CONF = """\
# Written by scripts/serve_prod.py for this run; deploy/nginx/safehub.conf is a real host's.
{user}worker_processes 1;
# Each signed-in user keeps a connection open between pages, and each request proxied holds
# a second one to gunicorn: at 256 a 700-user load test had connections dropped and nginx's
# own 500s. The limit on open files must allow the connections.
worker_rlimit_nofile 16384;
pid {dir}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 8192; }}
http {{
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {root}/deploy/nginx/safehub-http.conf;
    access_log {logs}/nginx-access.log safehub_json;
    upstream safehub_app {{ server 127.0.0.1:{app}; }}
    server {{
        listen {host}:{https} ssl;
        server_name _;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        include {root}/deploy/nginx/safehub-proxy.conf;
    }}
}}
"""


def write_nginx_conf(state: Path, **values: object) -> Path:
    directory = state / "nginx"
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / "tmp" / temp).mkdir(parents=True, exist_ok=True)
    # Run as root, nginx's workers would become `nobody`, who cannot reach the state
    # directory; on a real host they run as www-data (deploy/nginx/safehub.conf).
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = directory / "nginx.conf"
    logs = state / "logs"
    conf.write_text(NGINX_CONF.format(user=user, dir=directory, root=ROOT, logs=logs, **values))
    return conf


# --- The processes ---------------------------------------------------------------------


def _die_with_parent() -> None:
    """Each child gets SIGTERM if this script dies without stopping it (Linux), so nothing
    is left running on its ports."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Stack:
    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.processes: list[tuple[str, subprocess.Popen[bytes], int]] = []

    def start(
        self, name: str, argv: list[str], env: dict[str, str], stop_signal: int = signal.SIGTERM
    ) -> None:
        with (self.logs / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script, which stops them in order
                preexec_fn=_die_with_parent,
            )
        self.processes.append((name, process, stop_signal))

    def exited(self) -> str | None:
        for name, process, _ in self.processes:
            if process.poll() is not None:
                return f"{name} exited with status {process.returncode}"
        return None

    def stop(self) -> None:
        """Newest first: the proxy stops taking requests, then the app, the workers, Redis."""
        for name, process, stop_signal in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(stop_signal)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop in 30 s; killed", flush=True)
                    process.kill()
                    process.wait()
        self.processes.clear()

    def tail(self, name: str, lines: int = 20) -> str:
        path = self.logs / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


def wait_until_ready(url: str, cafile: Path, stack: Stack, timeout: float = 90) -> None:
    context = ssl.create_default_context(cafile=str(cafile))
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if problem := stack.exited():
            raise StackError(f"{problem} before the stack was ready")
        try:
            with urllib.request.urlopen(f"{url}readyz", context=context, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            last = f"{error.code}: {error.read().decode(errors='replace')}"
        except OSError as error:
            last = str(error)
        time.sleep(0.5)
    raise StackError(f"Not ready at {url}readyz after {timeout:.0f} s ({last})")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443, help="HTTPS port; 0 picks a free one")
    parser.add_argument(
        "--database-url", default=os.environ.get("SERVE_PROD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var" / "prod")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: 2 x cores + 1)")
    parser.add_argument(
        "--seal-interval", default="30", help="seconds between the audit sealer's passes"
    )
    parser.add_argument("--scale", default="small", help="demo council's size if loaded")
    parser.add_argument("--as-of", help="the demo council's day (YYYY-MM-DD; default today)")
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace, stack: Stack) -> tuple[str, Path]:
    """Everything up to a ready stack; returns its address and the certificate to trust."""
    programs = {name: find_program(name, name) for name in ("nginx", "redis-server", "openssl")}
    state = args.state_dir.resolve()
    (state / "logs").mkdir(parents=True, exist_ok=True)
    (state / "redis").mkdir(exist_ok=True)
    if args.port and not port_is_free(args.host, args.port):
        raise StackError(f"Port {args.port} on {args.host} is in use: PROD_PORT={args.port + 1}")
    ports = {"https": args.port or free_port(args.host), "app": free_port(), "redis": free_port()}
    url = f"https://{args.host}:{ports['https']}/"
    cert, key = make_certificate(state, programs["openssl"])
    env = environment(args, state, url, ports)
    set_up_database(args, env)
    start_processes(args, stack, state, env, programs, ports)
    stack.start(
        "nginx",
        [
            programs["nginx"],
            *["-g", "daemon off;", "-p", str(state / "nginx")],
            # nginx's first messages, before it has read its configuration, go to the log too.
            *["-e", str(state / "logs" / "nginx-error.log")],
            *["-c", str(write_nginx_conf(state, **ports, host=args.host, cert=cert, key=key))],
        ],
        env,
        signal.SIGQUIT,  # graceful: finish the requests in flight
    )
    wait_until_ready(url, cert, stack)
    subprocess.run(
        [PYTHON, "manage.py", "demo_signins", "--url", url], cwd=ROOT, env=env, check=False
    )
    print(f"Public form (no sign-in): {url}report/")
    print(f"Health: {url}healthz  Readiness: {url}readyz")
    print(f"Logs (JSON lines): {state / 'logs'}/  Certificate to trust: {cert}")
    print("Ctrl-C stops everything.")
    return url, cert


def environment(
    args: argparse.Namespace, state: Path, url: str, ports: dict[str, int]
) -> dict[str, str]:
    """Production's settings, as a real host's /etc/safehub/safehub.env gives them."""
    env = {
        **os.environ,
        **load_secrets(state),
        "DJANGO_SETTINGS_MODULE": "safehub.config.settings.production_demo",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "ALLOWED_HOSTS": f"{args.host},localhost",
        "TRUSTED_PROXY_COUNT": "1",  # nginx, which replaces X-Forwarded-For
        "SITE_URL": url.rstrip("/"),
        "STATIC_ROOT": str(state / "staticfiles"),
        "EMAIL_FILE_PATH": str(state / "mail"),
        "GUNICORN_BIND": f"127.0.0.1:{ports['app']}",
        "PYTHONUNBUFFERED": "1",
    }
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return env


def set_up_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    """Created if missing, migrated, assets collected, the demo council loaded if empty."""
    print(f"Database: {urlsplit(args.database_url).path.lstrip('/')}")
    if ensure_database(args.database_url):
        print("  created")
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v", "0"], what="migrate", env=env)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], what="collect assets", env=env)
    seed = [*manage, "seed_demo", "--scale", args.scale, "--if-empty", "--no-signins"]
    as_of = ["--as-of", args.as_of] if args.as_of else []
    run([*seed, *as_of], what="load the demo", env=env)
    figures = [*manage, "insight_figures", "--if-empty", *as_of]
    run(figures, what="work out the dashboard's figures", env=env)


def start_processes(
    args: argparse.Namespace,
    stack: Stack,
    state: Path,
    env: dict[str, str],
    programs: dict[str, str],
    ports: dict[str, int],
) -> None:
    """Redis, gunicorn, the outbox relay, the audit sealer and the job worker, each its own
    process."""
    stack.start(
        "redis",
        [
            *[programs["redis-server"], "--bind", "127.0.0.1", "--port", str(ports["redis"])],
            *["--dir", str(state / "redis"), "--save", "300 1"],
            # A cache: when full, the least recently used keys go.
            *["--maxmemory", "128mb", "--maxmemory-policy", "allkeys-lru"],
        ],
        env,
    )
    gunicorn_conf = str(ROOT / "deploy" / "gunicorn.conf.py")
    stack.start("gunicorn", [PYTHON, "-m", "gunicorn", "-c", gunicorn_conf], env)
    manage = [PYTHON, "manage.py"]
    stack.start("outbox-relay", [*manage, "outbox_relay", "--loop"], env)
    sealer = [*manage, "audit_seal", "--loop", "--interval", args.seal_interval]
    stack.start("audit-sealer", sealer, env)
    # The job queue's worker (django-q2's cluster; jobs live in PostgreSQL, ADR 0038).
    stack.start("job-worker", [*manage, "qcluster"], env)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Each line as it is printed, also when the output is a file or a pipe (a log, make).
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    stack = Stack(args.state_dir.resolve() / "logs")
    stopping: list[int] = []
    serving = False

    def request_stop(signum: int, frame: FrameType | None) -> None:
        # While setting up, stop at once (what has started is stopped below); once serving,
        # the loop below notices and stops everything in order.
        if not serving:
            raise StackError("interrupted before the stack was ready")
        stopping.append(signum)

    handler: Callable[[int, FrameType | None], None] = request_stop
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    try:
        url, _ = prepare(args, stack)
        serving = True
        print(f"{SERVING} {url}", flush=True)
        while not stopping:
            if problem := stack.exited():
                raise StackError(f"{problem}; stopping everything")
            time.sleep(0.5)
        print("Stopping…", flush=True)
        return 0
    except StackError as error:
        print(f"serve-prod: {error}", file=sys.stderr, flush=True)
        for name, _, _ in stack.processes:
            if tail := stack.tail(name):
                print(f"--- {name} log (last lines) ---\n{tail}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
