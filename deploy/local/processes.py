"""Starting the platform as separate processes on loopback (for `make run` and the end-to-end
tests): migrate each database, start each process, wait until each is ready, stop them all."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from deploy.local.services import NAVIGATOR, SERVICES, LocalService


def die_with_parent() -> None:
    """Linux: get SIGTERM when the parent (make, a terminal, a supervisor) goes away."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@dataclass
class PlatformConfig:
    database_urls: dict[str, str]
    amqp_url: str
    district: str  # the installation's code, the region's (<PREFIX>_DISTRICT, stamped on every event)
    signing_key_pem: str
    public_key_pem: str
    ports: dict[str, int] = field(default_factory=lambda: {s.name: s.port for s in [*SERVICES, NAVIGATOR]})
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. bus names for a test
    workers: dict[str, int] = field(default_factory=dict)  # uvicorn worker processes, 1 where not named
    mail_port: int | None = None  # the local SMTP sink (deploy/local/mail_sink.py) notifications sends to
    navigator_secret: str = ""  # NAVIGATOR_SESSION_SECRET; the Navigator runs when its port is named and this is set

    @property
    def runs_navigator(self) -> bool:
        return NAVIGATOR.name in self.ports and bool(self.navigator_secret)

    def navigator_env(self) -> dict[str, str]:
        return dict(os.environ) | {
            "NAVIGATOR_GATEWAY_URL": f"http://127.0.0.1:{self.ports['gateway']}", "NAVIGATOR_HOST": "127.0.0.1",
            "NAVIGATOR_PORT": str(self.ports[NAVIGATOR.name]), "NAVIGATOR_SESSION_SECRET": self.navigator_secret}

    def env(self, s: LocalService) -> dict[str, str]:
        p = s.env_prefix
        env = dict(os.environ)
        env.update({
            f"{p}DATABASE_URL": self.database_urls[s.name], f"{p}AMQP_URL": self.amqp_url,
            f"{p}DISTRICT": self.district, f"{p}PORT": str(self.ports[s.name]), f"{p}HOST": "127.0.0.1",
            f"{p}JWT_PUBLIC_KEYS": json.dumps([self.public_key_pem]),
        })
        if s.name == "gateway" and self.runs_navigator:
            # The Navigator sends each visitor's address on: the login and reset throttles count people, not it.
            env["GATEWAY_TRUSTED_PROXIES"] = json.dumps(["127.0.0.1"])
        for other in SERVICES:  # where each service answers (the gateway and billing's report call others)
            if other.name in self.ports:  # a benchmark runs some of them only
                env[f"{p}{other.name.upper()}_URL"] = f"http://127.0.0.1:{self.ports[other.name]}"
        if s.name == "gateway":
            env["GATEWAY_SIGNING_KEY_PEM"] = self.signing_key_pem
        if s.name == "notifications":  # the mails' links lead to the Navigator's pages
            env["NOTIFICATIONS_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{self.ports.get(NAVIGATOR.name, 8080)}"
            if self.mail_port is not None:  # the sink speaks plain SMTP and wants no login
                env.update(NOTIFICATIONS_SMTP_HOST="127.0.0.1", NOTIFICATIONS_SMTP_PORT=str(self.mail_port),
                           NOTIFICATIONS_SMTP_TLS="none")
        for key, value in self.extra_env.items():
            env[key.replace("{P}", p)] = value
        return env


class Platform:
    def __init__(self, config: PlatformConfig, log_dir: Path | None = None) -> None:
        """`log_dir`: when given, each process's stdout and stderr go to `<log_dir>/<name>.log`
        (appended across restarts); otherwise they stay the runner's own."""
        self.config = config
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}

    def log_path(self, name: str) -> Path | None:
        return self.log_dir / f"{name}.log" if self.log_dir is not None else None

    def migrate(self) -> None:
        for s in SERVICES:
            subprocess.run([sys.executable, "-m", s.package, "migrate"], env=self.config.env(s), check=True,
                           stdout=subprocess.DEVNULL)

    def start(self, name: str | None = None, env_overrides: dict[str, str] | None = None) -> None:
        for s in [*SERVICES, NAVIGATOR] if self.config.runs_navigator else SERVICES:
            if name is None or s.name == name:
                env = (self.config.navigator_env() if s is NAVIGATOR else self.config.env(s)) | (env_overrides or {})
                command = [sys.executable, "-m", s.package, "serve", "--workers",
                           str(self.config.workers.get(s.name, 1))]
                output = None
                if (path := self.log_path(s.name)) is not None:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    output = path.open("ab")  # the child keeps its own copy of the descriptor
                try:
                    self.processes[s.name] = subprocess.Popen(
                        command, env=env, preexec_fn=die_with_parent, stdout=output,
                        stderr=subprocess.STDOUT if output else None)
                finally:
                    if output is not None:
                        output.close()

    def wait_ready(self, timeout_s: float = 60) -> list[str]:
        """Names of the processes that did not become ready in time."""
        deadline, late = time.monotonic() + timeout_s, []
        for name in self.processes:
            port = self.config.ports[name]
            while True:
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2)
                    # the service itself, not another process that holds its port
                    if answer.status_code == 200 and answer.json().get("service") == name:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or self.processes[name].poll() is not None:
                    late.append(name)
                    break
                time.sleep(0.2)
        return late

    def stop(self, name: str | None = None, sig: int = signal.SIGTERM) -> None:
        chosen = [n for n in self.processes if name is None or n == name]
        for n in chosen:
            if self.processes[n].poll() is None:
                self.processes[n].send_signal(sig)
        for n in chosen:
            try:
                self.processes[n].wait(20)
            except subprocess.TimeoutExpired:
                self.processes[n].kill()
            del self.processes[n]

    def all_running(self) -> bool:
        return all(p.poll() is None for p in self.processes.values())
