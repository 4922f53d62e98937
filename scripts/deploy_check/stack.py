"""The whole production stack on this machine, as the README's "Deploying" steps
build it, inside one work folder.

Nothing here touches the machine's own services: the check runs its own
PostgreSQL cluster (initdb in the work folder, port DEPLOY_CHECK_PG_PORT) and its
own Redis (DEPLOY_CHECK_REDIS_PORT, no persistence), so a fault that stops or
restarts them never stops the database on 5432 or Redis on 6379.

The deploy/ files are used as a bureau installs them, with the production paths
substituted (``render``): /srv/portal → this checkout, /etc/portal/portal.env →
the work folder's env file, /var/lib/portal → its data folder, /var/log/portal →
its logs. gunicorn, the Celery worker and beat are started from the ExecStart
of their systemd units, with the variables of the unit's EnvironmentFile.

Usage::

    stack = Stack(report)
    stack.build()          # every step, reported; raises StackError when one fails
    ...
    stack.close()          # also on exceptions, Ctrl-C and exit
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .http import Session

CODE = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "yunfu-demo-2023"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
VENV_CACHE = CACHE / "portal-deploy-check"
# A fresh install from the wheelhouse that took longer than this (seconds) is
# not repeated on later runs: its cached venv is reused (the check has 10 minutes).
VENV_BUDGET = float(os.environ.get("DEPLOY_CHECK_VENV_BUDGET", 90))


class StackError(RuntimeError):
    """A step the rest of the check cannot do without failed."""


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _env_bool(name: str) -> bool:
    return (os.environ.get(name) or "").strip().lower() in {"1", "true", "yes", "on"}


def parse_env_file(text: str) -> dict:
    """KEY=value lines as systemd's EnvironmentFile= reads them (comments,
    blank lines, optional quotes, an optional ``export``)."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].strip()
        if "=" not in line:
            continue
        key, value = line.split("=", 1)
        key, value = key.strip(), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values…]}} (keys may repeat;
    backslash continuations joined)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    lines = text.splitlines()
    joined: list[str] = []
    buffer = ""
    for line in lines:
        stripped = line.strip()
        if not buffer and stripped.startswith(("#", ";")):
            continue
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        joined.append(buffer + stripped)
        buffer = ""
    if buffer:
        joined.append(buffer)
    for line in joined:
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        if current is None or "=" not in line:
            continue
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


class Process:
    """One server the stack started, in its own process group, its output
    appended to its log file."""

    def __init__(self, name: str, argv: list[str], *, log: Path, env: dict, cwd: Path):
        self.name = name
        self.argv = argv
        self.log = log
        self.env = env
        self.cwd = cwd
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            out.write(
                f"\n--- deploy-check: starting {self.name}: {shlex.join(self.argv)}\n".encode()
            )
            out.flush()
            self.popen = subprocess.Popen(
                self.argv,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
            )

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 20, sig: int = signal.SIGTERM) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.popen.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.popen.wait(10)
        # Children left in the group (a pool worker whose parent was killed).
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.popen = None


def _children(pid: int) -> list[int]:
    """Direct children of ``pid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class Stack:
    def __init__(self, report, *, dir: str | Path | None = None):
        self.report = report
        self.code = CODE
        self.deploy = CODE / "deploy"
        self.keep = _env_bool("DEPLOY_CHECK_KEEP")
        given = dir or os.environ.get("DEPLOY_CHECK_DIR")
        if given:
            self.dir = Path(given).resolve()
            self.dir.mkdir(parents=True, exist_ok=True)
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="portal-deploy-check-"))
        self._made_dir = not given
        if given:
            # A folder kept by an earlier run: start again from nothing (its
            # screenshots are replaced by this run's).
            for sub in (
                "pg",
                "data",
                "logs",
                "nginx",
                "redis",
                "venv",
                "wheelhouse",
                "systemd",
                "etc",
                "screenshots",
                "letsencrypt",
                "backups",
            ):
                shutil.rmtree(self.dir / sub, ignore_errors=True)
        # PostgreSQL runs as user postgres and must reach its folder inside.
        self.dir.chmod(0o755)
        self.https_port = _port("DEPLOY_CHECK_HTTPS_PORT", 443)
        self.http_port = _port("DEPLOY_CHECK_HTTP_PORT", 80)
        self.web_port = _port("DEPLOY_CHECK_WEB_PORT", 8001)
        self.pg_port = _port("DEPLOY_CHECK_PG_PORT", 5433)
        self.redis_port = _port("DEPLOY_CHECK_REDIS_PORT", 6380)
        self.logs = self.dir / "logs"
        self.data = self.dir / "data"
        self.etc = self.dir / "etc"
        self.pg_dir = self.dir / "pg"
        self.pg_data = self.pg_dir / "data"
        self.pg_socket = self.pg_dir / "socket"
        self.pg_bin = self._pg_bin()
        self.nginx_dir = self.dir / "nginx"
        self.screenshots = self.dir / "screenshots"
        for folder in (
            self.logs,
            self.data / "media",
            self.data / "jobfiles",
            self.etc,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        self.env_file = self.etc / "portal.env"
        self.venv: Path | None = None
        self.python: Path | None = None
        self.venv_note = ""
        self.env: dict = {}
        self.processes: dict[str, Process] = {}
        self.brotli = bool(
            list(Path("/etc/nginx/modules-enabled").glob("*brotli*"))
            if Path("/etc/nginx/modules-enabled").is_dir()
            else False
        )
        # What one step leaves for the next (the journey's URLs for the checks).
        self.facts: dict = {}
        self._closed = False
        self._redis_started = False
        self._pg_started = False
        atexit.register(self.close)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._on_signal)

    # --- paths and rendering ----------------------------------------------------

    @property
    def base_url(self) -> str:
        return "https://127.0.0.1" + (
            "" if self.https_port == 443 else f":{self.https_port}"
        )

    @property
    def http_url(self) -> str:
        return "http://127.0.0.1" + (
            "" if self.http_port == 80 else f":{self.http_port}"
        )

    def log_path(self, name: str) -> Path:
        names = {
            "nginx-access": "nginx-access.log",
            "nginx-error": "nginx-error.log",
        }
        return self.logs / names.get(name, f"{name}.log")

    def _pg_bin(self) -> Path:
        versions = sorted(
            (p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
            key=lambda p: (
                int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0
            ),
        )
        if not versions:
            raise StackError(
                "PostgreSQL 未安装（/usr/lib/postgresql/*/bin/initdb 不存在）"
            )
        return versions[-1].parent

    def substitutions(self) -> list[tuple[str, str]]:
        """Production paths → the work folder's, most specific first."""
        venv = str(self.venv) if self.venv else str(self.code / ".venv")
        return [
            ("/srv/portal/.venv", venv),
            ("/srv/portal", str(self.code)),
            ("/etc/portal/portal.env", str(self.env_file)),
            ("/etc/portal/tls", str(self.etc / "tls")),
            ("/etc/portal/backup.key", str(self.etc / "backup.key")),
            ("/etc/portal", str(self.etc)),
            ("/var/lib/portal", str(self.data)),
            ("/var/log/portal", str(self.logs)),
            ("/var/log/nginx/portal.access.log", str(self.log_path("nginx-access"))),
            ("/var/log/nginx/portal.error.log", str(self.log_path("nginx-error"))),
            ("/var/backups/portal", str(self.dir / "backups")),
            ("/var/www/letsencrypt", str(self.dir / "letsencrypt")),
            (
                "/etc/nginx/snippets/portal-brotli",
                str(self.nginx_dir / "snippets" / "portal-brotli"),
            ),
        ]

    def render(self, text: str) -> str:
        """One pass, so a path already put in is never substituted again."""
        pairs = self.substitutions()
        pattern = re.compile("|".join(re.escape(production) for production, _ in pairs))
        table = dict(pairs)
        return pattern.sub(lambda match: table[match.group(0)], text)

    # --- running things ---------------------------------------------------------

    def base_env(self) -> dict:
        """What a systemd service starts with: a PATH and a locale, no more."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "LANG": "C.UTF-8",
            "HOME": str(self.dir),
        }

    def run(
        self, argv, *, check=True, timeout=300, env=None, cwd=None, log=None, input=None
    ):
        """A command to completion; its output kept (and appended to ``log``)."""
        result = subprocess.run(
            [str(a) for a in argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd or self.code,
            input=input,
        )
        if log:
            with Path(log).open("a") as out:
                out.write(
                    f"\n$ {shlex.join(str(a) for a in argv)}\n{result.stdout}{result.stderr}"
                )
        if check and result.returncode != 0:
            tail = (result.stdout + result.stderr).strip()[-1500:]
            raise StackError(
                f"{shlex.join(str(a) for a in argv)} → {result.returncode}\n{tail}"
            )
        return result

    def manage(self, *args, check=True, timeout=300, env=None):
        merged = {**self.base_env(), **self.env, **(env or {})}
        return self.run(
            [self.python, self.code / "manage.py", *args],
            check=check,
            timeout=timeout,
            env=merged,
            log=self.logs / "manage.log",
        )

    def shell(self, code: str, timeout=300) -> str:
        return self.manage("shell", "-c", code, timeout=timeout).stdout

    def psql(self, query: str, database: str = "portal", check=True):
        return self.run(
            [
                self.pg_bin / "psql",
                "-h",
                self.pg_socket,
                "-p",
                self.pg_port,
                "-U",
                "postgres",
                "-d",
                database,
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                query,
            ],
            check=check,
            env={**self.base_env(), "PGCONNECT_TIMEOUT": "5"},
        )

    def sql(self, query: str) -> str:
        return self.psql(query).stdout.strip()

    # --- PostgreSQL ---------------------------------------------------------------

    def _as_postgres(self, argv, **kwargs):
        return self.run(["runuser", "-u", "postgres", "--", *argv], **kwargs)

    def postgres_init(self) -> None:
        if (self.pg_data / "PG_VERSION").exists():
            return
        self.pg_dir.mkdir(parents=True, exist_ok=True)
        self.pg_socket.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.pg_dir, "postgres", "postgres")
        shutil.chown(self.pg_socket, "postgres", "postgres")
        self._as_postgres(
            [
                self.pg_bin / "initdb",
                "-D",
                self.pg_data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            log=self.logs / "postgres-initdb.log",
        )
        with (self.pg_data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# deploy-check: its own cluster, on its own port and socket\n"
                f"port = {self.pg_port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.pg_socket}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "shared_buffers = 64MB\nmax_connections = 60\n"
            )

    def postgres_start(self) -> None:
        postgres_log = self.log_path("postgres")
        postgres_log.touch()
        shutil.chown(postgres_log, "postgres", "postgres")
        self._as_postgres(
            [
                self.pg_bin / "pg_ctl",
                "-D",
                self.pg_data,
                "-l",
                postgres_log,
                "-w",
                "-t",
                "60",
                "start",
            ],
            timeout=90,
        )
        self._pg_started = True

    def postgres_stop(self, mode: str = "fast") -> None:
        if not (self.pg_data / "postmaster.pid").exists():
            return
        self._as_postgres(
            [
                self.pg_bin / "pg_ctl",
                "-D",
                self.pg_data,
                "-m",
                mode,
                "-w",
                "-t",
                "60",
                "stop",
            ],
            check=False,
            timeout=90,
        )

    def postgres_restart(self, mode: str = "fast") -> None:
        self._as_postgres(
            [
                self.pg_bin / "pg_ctl",
                "-D",
                self.pg_data,
                "-l",
                self.log_path("postgres"),
                "-m",
                mode,
                "-w",
                "-t",
                "60",
                "restart",
            ],
            timeout=120,
        )

    def postgres_ready(self) -> bool:
        return (
            self.run(
                [
                    self.pg_bin / "pg_isready",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    self.pg_port,
                    "-q",
                ],
                check=False,
            ).returncode
            == 0
        )

    # --- Redis ----------------------------------------------------------------------

    def redis_start(self) -> None:
        redis_dir = self.dir / "redis"
        redis_dir.mkdir(exist_ok=True)
        process = Process(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(redis_dir),
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
            ],
            log=self.log_path("redis"),
            env=self.base_env(),
            cwd=redis_dir,
        )
        process.start()
        self.processes["redis"] = process
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.redis_ping():
                return
            if not process.alive():
                break
            time.sleep(0.2)
        raise StackError(
            f"redis-server 未在端口 {self.redis_port} 启动（{self.log_path('redis')}）"
        )

    def redis_ping(self) -> bool:
        return (
            self.run(
                ["redis-cli", "-h", "127.0.0.1", "-p", self.redis_port, "ping"],
                check=False,
                timeout=5,
            ).stdout.strip()
            == "PONG"
        )

    def redis_stop(self) -> None:
        process = self.processes.pop("redis", None)
        if process:
            process.stop()

    # --- the production venv ----------------------------------------------------------

    def requirements(self) -> Path:
        path = self.code / "requirements-runtime.txt"
        if path.exists():
            return path
        # Not written yet: a failure, and a stand-in (the runtime part of
        # requirements.txt) so the rest of the check still runs.
        self.report.fail(
            "requirements-runtime.txt 不存在：用 requirements.txt 的运行时部分代替"
        )
        lines = []
        for line in (self.code / "requirements.txt").read_text().splitlines():
            if line.strip().lower().startswith("# tests"):
                break
            lines.append(line)
        standin = self.dir / "standin-requirements-runtime.txt"
        standin.write_text("\n".join(lines) + "\n")
        return standin

    def wheelhouse(self, requirements: Path) -> Path:
        """``make wheelhouse`` (./wheelhouse); a stand-in made with pip when the
        Makefile has no such target yet (reported as a failure)."""
        makefile = (self.code / "Makefile").read_text()
        if re.search(r"^wheelhouse:", makefile, re.M):
            import fcntl

            # `make wheelhouse` empties ./wheelhouse first: two checks at once
            # (or one beside a hand-made wheelhouse) take turns, and each
            # installs from its own copy.
            copy = self.dir / "wheelhouse"
            with open(VENV_CACHE / "wheelhouse.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                self.run(
                    ["make", "wheelhouse"],
                    timeout=600,
                    log=self.logs / "wheelhouse.log",
                )
                shutil.rmtree(copy, ignore_errors=True)
                shutil.copytree(self.code / "wheelhouse", copy)
            sums = copy / "SHA256SUMS"
            if sums.exists():
                result = self.run(
                    ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=copy, check=False
                )
                self.report.check(
                    result.returncode == 0,
                    "wheelhouse SHA256SUMS verified",
                    result.stdout[-300:],
                )
            return copy
        self.report.fail("Makefile 没有 wheelhouse 目标：用 pip download 代替")
        standin = VENV_CACHE / "standin-wheelhouse"
        standin.mkdir(parents=True, exist_ok=True)
        self.run(
            [
                self.code / ".venv" / "bin" / "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "-d",
                standin,
                "-r",
                requirements,
            ],
            timeout=600,
            log=self.logs / "wheelhouse.log",
        )
        return standin

    def build_venv(self) -> None:
        """``make wheelhouse``, then a venv installed from it only (no index), as
        a server without internet does. Reused from the cache when a fresh
        install took longer than VENV_BUDGET seconds before."""
        requirements = self.requirements()
        digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
        cached = VENV_CACHE / f"venv-{digest}"
        record = VENV_CACHE / f"venv-{digest}.json"
        started = time.monotonic()
        VENV_CACHE.mkdir(parents=True, exist_ok=True)
        wheelhouse = self.wheelhouse(requirements)
        self.report.info(f"make wheelhouse: {time.monotonic() - started:.1f} s")
        previous = json.loads(record.read_text()) if record.exists() else None
        fresh = _env_bool("DEPLOY_CHECK_FRESH_VENV")
        if (
            previous
            and previous["seconds"] > VENV_BUDGET
            and (cached / "bin" / "python").exists()
            and not fresh
        ):
            self.venv = cached
            self.venv_note = (
                f"复用缓存的生产 venv {cached}（requirements-runtime.txt 的哈希 {digest}；"
                f"全新安装用时 {previous['seconds']:.0f} s，超过 {VENV_BUDGET:.0f} s 的预算）"
            )
            self.report.info(self.venv_note)
        else:
            # The first run installs into the cache folder (so a slow install can
            # be reused); later fast ones into the work folder, every time.
            target = cached if previous is None else self.dir / "venv"
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            self.run(["python3", "-m", "venv", target], log=self.logs / "venv.log")
            self.run(
                [
                    target / "bin" / "pip",
                    "install",
                    "--quiet",
                    "--no-index",
                    "--find-links",
                    wheelhouse,
                    "-r",
                    requirements,
                ],
                timeout=900,
                log=self.logs / "venv.log",
            )
            seconds = time.monotonic() - started
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps({"seconds": seconds, "at": time.time()}))
            self.venv = target
            self.venv_note = f"全新安装生产 venv {target}：{seconds:.1f} s（只从 wheelhouse，--no-index）"
            self.report.info(self.venv_note)
        self.python = self.venv / "bin" / "python"

    # --- the environment file -----------------------------------------------------------

    def check_values(self) -> dict:
        hosts = "127.0.0.1,localhost"
        return {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": hosts,
            "DJANGO_CSRF_TRUSTED_ORIGINS": self.base_url,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/portal",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_ROOT": str(self.data / "media"),
            "JOBS_ROOT": str(self.data / "jobfiles"),
            "MEDIA_ACCEL_REDIRECT": "/protected-media/",
            "JOBS_VISIBILITY_TIMEOUT": "20",
            "TRUSTED_PROXY_IPS": "127.0.0.1",
            "PORTAL_BASE_URL": self.base_url,
            "DJANGO_LOG_FORMAT": "json",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }

    def write_env(self, extra: dict | None = None) -> None:
        """deploy/portal.env.example with the check's values put in (its other
        settings kept, paths substituted), written where the units read it."""
        example = self.deploy / "portal.env.example"
        values = self.check_values()
        values.update(extra or {})
        lines = []
        seen = set()
        if example.exists():
            for line in self.render(example.read_text()).splitlines():
                match = re.match(r"^\s*#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line)
                if match and match.group(1) in values and match.group(1) not in seen:
                    seen.add(match.group(1))
                    lines.append(f"{match.group(1)}={values[match.group(1)]}")
                else:
                    lines.append(line)
        else:
            self.report.fail("deploy/portal.env.example 不存在")
        missing = [key for key in values if key not in seen]
        if missing:
            lines.append("\n# deploy-check: values the example does not name")
            lines += [f"{key}={values[key]}" for key in missing]
        self.env_file.write_text("\n".join(lines) + "\n")
        self.env_file.chmod(0o600)
        self.env = parse_env_file(self.env_file.read_text())

    def set_env(self, **values) -> None:
        """Changes settings in the env file (restart the servers to apply)."""
        self.write_env(
            {
                **{k: v for k, v in self.env.items() if k in self.check_values()},
                **values,
            }
        )

    # --- systemd units -------------------------------------------------------------------

    def unit(self, name: str) -> dict:
        path = self.deploy / "systemd" / name
        if not path.exists():
            raise StackError(f"deploy/systemd/{name} 不存在")
        return parse_unit(self.render(path.read_text()))

    def unit_process(self, key: str, unit_name: str, log_name: str) -> Process:
        unit = self.unit(unit_name)
        service = unit.get("Service", {})
        exec_start = service.get("ExecStart", [""])[-1]
        exec_start = exec_start.lstrip("-@+!:")
        argv = shlex.split(exec_start)
        env = self.base_env()
        for env_file in service.get("EnvironmentFile", []):
            env_file = env_file.lstrip("-")
            if Path(env_file).exists():
                env.update(parse_env_file(Path(env_file).read_text()))
        for assignment in service.get("Environment", []):
            for item in shlex.split(assignment):
                if "=" in item:
                    name, value = item.split("=", 1)
                    env[name] = value
        cwd = Path(service.get("WorkingDirectory", [str(self.code)])[-1].lstrip("-"))
        return Process(key, argv, log=self.log_path(log_name), env=env, cwd=cwd)

    def _start_unit(self, key: str, unit_name: str) -> Process:
        old = self.processes.pop(key, None)
        if old:
            old.stop()
        process = self.unit_process(key, unit_name, key)
        process.start()
        self.processes[key] = process
        return process

    def web_start(self, wait: bool = True) -> None:
        self._start_unit("web", "portal-web.service")
        if wait:
            self._wait_port(self.web_port, "gunicorn", self.processes["web"])

    def web_stop(self) -> None:
        process = self.processes.pop("web", None)
        if process:
            process.stop()

    def worker_start(self) -> None:
        self._start_unit("worker", "portal-worker.service")

    def worker_stop(self, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop("worker", None)
        if process:
            process.stop(timeout=30, sig=sig)

    def worker_pids(self) -> tuple[int | None, list[int]]:
        process = self.processes.get("worker")
        if not process or not process.alive():
            return None, []
        return process.pid, _children(process.pid)

    def worker_ready(self, timeout: float = 60) -> bool:
        """The worker logged that it is ready (``celery@… ready.``)."""
        deadline = time.monotonic() + timeout
        log = self.log_path("worker")
        start = log.stat().st_size if log.exists() else 0
        while time.monotonic() < deadline:
            if log.exists():
                with log.open("rb") as f:
                    f.seek(max(0, start - 20000))
                    if b" ready." in f.read():
                        return True
            process = self.processes.get("worker")
            if not process or not process.alive():
                return False
            time.sleep(0.5)
        return False

    def beat_start(self) -> None:
        self._start_unit("beat", "portal-beat.service")

    def beat_stop(self) -> None:
        process = self.processes.pop("beat", None)
        if process:
            process.stop()

    def systemd_verify(self) -> None:
        """``systemd-analyze verify`` on rendered copies of every unit and timer."""
        source = self.deploy / "systemd"
        units = sorted(
            p for p in source.glob("*") if p.suffix in {".service", ".timer"}
        )
        if not units:
            self.report.fail("deploy/systemd/ 下没有 unit")
            return
        target = self.dir / "systemd"
        target.mkdir(exist_ok=True)
        for path in units:
            (target / path.name).write_text(self.render(path.read_text()))
        rendered = [target / p.name for p in units]
        result = self.run(
            ["systemd-analyze", "verify", "--man=no", *rendered],
            check=False,
            timeout=120,
            env={**self.base_env(), "SYSTEMD_LOG_COLOR": "0"},
        )
        output = (result.stdout + result.stderr).strip()
        # Lines about our own files; systemd also talks about the machine's units.
        ours = [
            line
            for line in output.splitlines()
            if any(p.name in line for p in rendered) or str(target) in line
        ]
        names = ", ".join(p.name for p in units)
        if result.returncode == 0 and not ours:
            self.report.ok(f"systemd-analyze verify: {names}")
        else:
            self.report.fail(
                f"systemd-analyze verify ({result.returncode}): "
                + " | ".join(ours or output.splitlines()[-5:])
            )

    # --- nginx ----------------------------------------------------------------------------

    def make_certificate(self) -> None:
        tls = self.etc / "tls"
        tls.mkdir(parents=True, exist_ok=True)
        if (tls / "fullchain.pem").exists():
            return
        self.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                tls / "privkey.pem",
                "-out",
                tls / "fullchain.pem",
            ],
            log=self.logs / "openssl.log",
        )

    def render_nginx(self) -> Path:
        site = self.deploy / "nginx" / "portal.conf"
        if not site.exists():
            raise StackError("deploy/nginx/portal.conf 不存在")
        text = self.render(site.read_text())
        text = re.sub(
            r"server_name\s+[^;]+;", "server_name 127.0.0.1 localhost _;", text
        )
        text = re.sub(
            r"listen\s+(\[::\]:)?443\b", f"listen 127.0.0.1:{self.https_port}", text
        )
        text = re.sub(
            r"listen\s+(\[::\]:)?80\b", f"listen 127.0.0.1:{self.http_port}", text
        )
        # The two listen lines (IPv4 and IPv6) now say the same: keep one.
        lines, seen = [], set()
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith("server {"):
                seen = set()
            elif stripped.startswith("listen "):
                if stripped in seen:
                    continue
                seen.add(stripped)
            lines.append(line)
        text = "\n".join(lines) + "\n"
        text = text.replace("127.0.0.1:8001", f"127.0.0.1:{self.web_port}")
        if self.https_port != 443:
            text = text.replace(
                "https://$host$request_uri",
                f"https://$host:{self.https_port}$request_uri",
            )
        base = self.nginx_dir
        for sub in ("snippets", "sites", "tmp"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        # Debian's module snippets name their .so relative to nginx's prefix.
        modules = base / "modules"
        if not modules.exists() and Path("/usr/lib/nginx/modules").is_dir():
            modules.symlink_to("/usr/lib/nginx/modules")
        snippet = self.deploy / "nginx" / "brotli.conf"
        target_snippet = base / "snippets" / "portal-brotli.conf"
        if self.brotli and snippet.exists():
            target_snippet.write_text(self.render(snippet.read_text()))
        elif target_snippet.exists():
            target_snippet.unlink()
        (base / "sites" / "portal.conf").write_text(text)
        (self.dir / "letsencrypt").mkdir(exist_ok=True)
        modules = "include /etc/nginx/modules-enabled/*.conf;" if self.brotli else ""
        # Debian's own nginx.conf, as far as the site depends on it (its http
        # block turns gzip on and sets the MIME types); everything it writes is
        # in the work folder.
        conf = f"""# deploy-check: Debian's nginx.conf reduced to what the site needs
user root;
worker_processes 2;
pid {base}/nginx.pid;
error_log {self.logs}/nginx-main-error.log;
{modules}
events {{ worker_connections 512; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {self.logs}/nginx-other-access.log;
    gzip on;
    client_body_temp_path {base}/tmp/body;
    proxy_temp_path {base}/tmp/proxy;
    fastcgi_temp_path {base}/tmp/fastcgi;
    uwsgi_temp_path {base}/tmp/uwsgi;
    scgi_temp_path {base}/tmp/scgi;
    include {base}/sites/portal.conf;
}}
"""
        (base / "nginx.conf").write_text(conf)
        return base / "nginx.conf"

    def nginx_argv(self, *extra) -> list[str]:
        return [
            "nginx",
            "-c",
            str(self.nginx_dir / "nginx.conf"),
            "-p",
            str(self.nginx_dir),
            "-e",
            str(self.logs / "nginx-main-error.log"),
            *extra,
        ]

    def nginx_test(self) -> None:
        result = self.run(self.nginx_argv("-t"), check=False)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0:
            raise StackError(f"nginx -t: {output}")
        self.report.ok("nginx -t: " + output.splitlines()[-1])

    def nginx_start(self) -> None:
        old = self.processes.pop("nginx", None)
        if old:
            old.stop()
        process = Process(
            "nginx",
            self.nginx_argv("-g", "daemon off;"),
            log=self.logs / "nginx-stdout.log",
            env=self.base_env(),
            cwd=self.nginx_dir,
        )
        process.start()
        self.processes["nginx"] = process
        self._wait_port(self.https_port, "nginx", process)

    def nginx_reload(self) -> None:
        self.run(self.nginx_argv("-s", "reload"))
        time.sleep(1)

    def nginx_stop(self) -> None:
        process = self.processes.pop("nginx", None)
        if process:
            process.stop(timeout=10, sig=signal.SIGQUIT)

    def _wait_port(
        self, port: int, what: str, process: Process, timeout: float = 60
    ) -> None:
        import socket

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                pass
            if not process.alive():
                raise StackError(f"{what} 退出了（{process.log}）")
            time.sleep(0.3)
        raise StackError(
            f"{what} 未在 {timeout:.0f} s 内监听端口 {port}（{process.log}）"
        )

    # --- HTTP ---------------------------------------------------------------------------

    def session(self, username: str | None = None) -> Session:
        session = Session(self.base_url)
        if username:
            session.get("/accounts/login/")
            answer = session.post(
                "/accounts/login/",
                {"username": username, "password": DEMO_PASSWORD, "next": "/staff/"},
            )
            if answer.status != 302 or not session.cookie("sessionid"):
                raise StackError(f"{username} 无法登录：{answer.status}")
        return session

    def wait_http(self, path: str = "/healthz", status: int = 200, timeout: float = 60):
        session = Session(self.base_url, timeout=10)
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = session.get(path)
                if last.status == status:
                    return last
            except OSError as error:
                last = error
            time.sleep(0.5)
        raise StackError(
            f"{path} 在 {timeout:.0f} s 内没有答 {status}（最后：{last!r}）"
        )

    # --- the whole build ----------------------------------------------------------------

    def build(self) -> None:
        """Every step of the README's "Deploying", each timed; raises StackError
        on a step the rest cannot do without."""
        report = self.report
        report.section("stack: PostgreSQL and Redis of the check")
        report.info(f"work folder {self.dir}")
        self.postgres_init()
        self.postgres_start()
        self.psql("CREATE DATABASE portal", database="postgres")
        report.ok(
            f"PostgreSQL {self.pg_bin.parent.name} on 127.0.0.1:{self.pg_port} (own cluster)"
        )
        self.redis_start()
        report.ok(f"Redis on 127.0.0.1:{self.redis_port} (no persistence)")

        report.section("stack: production venv from the wheelhouse")
        self.build_venv()
        report.ok(f"production python {self.python}")

        report.section("stack: env file, check --deploy, migrate, collectstatic, demo")
        self.write_env()
        report.info(f"env file {self.env_file} (from deploy/portal.env.example)")
        result = self.manage("check", "--deploy", check=False)
        output = (result.stdout + result.stderr).strip()
        report.check(
            result.returncode == 0
            and "no issues" in output
            and "WARNINGS" not in output,
            "manage.py check --deploy: no issues",
            output[-800:],
        )
        started = time.monotonic()
        self.manage("migrate", "--noinput", timeout=600)
        report.ok(f"migrate ({time.monotonic() - started:.1f} s)")
        started = time.monotonic()
        self.manage("collectstatic", "--noinput", timeout=600)
        report.ok(f"collectstatic ({time.monotonic() - started:.1f} s)")
        started = time.monotonic()
        self.manage("load_demo", timeout=600)
        report.ok(f"load_demo ({time.monotonic() - started:.1f} s)")

        report.section("stack: systemd units, gunicorn, Celery, nginx")
        self.systemd_verify()
        self.web_start()
        report.ok(
            f"gunicorn (portal-web.service ExecStart) on 127.0.0.1:{self.web_port}"
        )
        self.worker_start()
        self.beat_start()
        if self.worker_ready(90):
            report.ok("Celery worker ready (portal-worker.service)")
        else:
            report.fail(f"Celery worker not ready in 90 s ({self.log_path('worker')})")
        time.sleep(1)
        report.check(
            self.processes["beat"].alive(), "Celery beat running (portal-beat.service)"
        )
        self.make_certificate()
        self.render_nginx()
        self.nginx_test()
        self.nginx_start()
        report.info(
            "brotli module " + ("loaded" if self.brotli else "not installed: gzip only")
        )
        answer = self.wait_http("/healthz", 200, timeout=60)
        report.ok(
            f"{self.base_url}/healthz → {answer.status} {answer.text.strip()[:120]}"
        )

    # --- the end ----------------------------------------------------------------------

    def _on_signal(self, signum, frame):
        self.report.info(f"signal {signum}: stopping the stack")
        self.close()
        raise SystemExit(128 + signum)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for name in ("nginx", "beat", "worker", "web"):
            process = self.processes.pop(name, None)
            if process:
                try:
                    process.stop()
                except Exception as error:  # noqa: BLE001 - stop the rest anyway
                    print(f"stopping {name}: {error}", file=sys.stderr)
        self.redis_stop()
        for process in list(self.processes.values()):
            process.stop()
        self.processes.clear()
        if self._pg_started:
            self.postgres_stop("fast")
        if self.keep:
            print(f"DEPLOY_CHECK_KEEP=1: work folder kept: {self.dir}", flush=True)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
