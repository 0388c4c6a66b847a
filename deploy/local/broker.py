"""RabbitMQ for `make run`: the one the operator names (PFDO_AMQP_URL), else the machine's on
127.0.0.1:5672, else — RabbitMQ installed but not running — a private node of our own under
./var/rabbitmq on 127.0.0.1:PFDO_RABBITMQ_PORT (5673), as `make run` does for PostgreSQL. The
private node is ours alone: its own node name, ports, data, logs and Erlang cookie; the machine's
RabbitMQ is never started, stopped or touched, and the node stops with `make run`."""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_PRIVATE_PORT = 5673
# Debian's /usr/sbin/rabbitmq-server is a wrapper that only root or the rabbitmq user may run (and it
# switches to that user, who cannot write ./var): the real script is this one.
DEBIAN_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
INSTALL_HINT = ("install RabbitMQ (Debian/Ubuntu: `apt-get install rabbitmq-server`; macOS: `brew install "
                "rabbitmq`) and `make run` starts a private node under ./var, or run one "
                "(`docker run -d -p 5672:5672 rabbitmq:3.13`), or set PFDO_AMQP_URL.")


@dataclass(frozen=True)
class BrokerPlan:
    action: str  # "use" | "start_private" | "fail"
    url: str
    reason: str


def private_url(port: int) -> str:
    return f"amqp://guest:guest@127.0.0.1:{port}/"


def plan(configured_url: str | None, answers: Callable[[str], bool], server: str | None,
         private_port: int = DEFAULT_PRIVATE_PORT) -> BrokerPlan:
    """What `make run` does for its broker. `answers(url)`: whether a broker accepts a connection there;
    `server`: the rabbitmq-server script when RabbitMQ is installed."""
    if configured_url:  # the operator's choice: never replaced by another broker
        if answers(configured_url):
            return BrokerPlan("use", configured_url, "PFDO_AMQP_URL")
        return BrokerPlan("fail", configured_url, f"RabbitMQ does not answer at PFDO_AMQP_URL ({configured_url}).")
    if answers(DEFAULT_URL):
        return BrokerPlan("use", DEFAULT_URL, "the machine's RabbitMQ")
    private = private_url(private_port)
    if answers(private):  # left running by another `make run` of this checkout
        return BrokerPlan("use", private, "the private node already running")
    if server:
        return BrokerPlan("start_private", private, f"RabbitMQ is installed ({server}) but does not answer at "
                                                    f"{DEFAULT_URL}")
    return BrokerPlan("fail", DEFAULT_URL, f"RabbitMQ does not answer at {DEFAULT_URL} and is not installed: "
                                           + INSTALL_HINT)


def installed_server() -> str | None:
    if DEBIAN_SERVER.exists():
        return str(DEBIAN_SERVER)
    return shutil.which("rabbitmq-server")


def broker_answers(url: str, timeout_s: float = 5) -> bool:
    import aio_pika

    async def attempt() -> bool:
        try:
            conn = await asyncio.wait_for(aio_pika.connect(url), timeout_s)
        except Exception:
            return False
        await conn.close()
        return True
    return asyncio.run(attempt())


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def private_env(var_dir: Path, port: int, dist_port: int | None = None) -> dict[str, str]:
    """The node's environment: everything of its own under `var_dir`/rabbitmq, nothing of the machine's node.
    `dist_port`: Erlang distribution's port (RabbitMQ's own default: the AMQP port + 20000)."""
    base = (var_dir / "rabbitmq").resolve()
    return {
        "HOME": str(base),  # its own Erlang cookie (.erlang.cookie), not the machine's
        "RABBITMQ_NODENAME": f"pfdo-run-{port}@localhost",
        "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
        "RABBITMQ_NODE_PORT": str(port),
        "RABBITMQ_DIST_PORT": str(dist_port or port + 20_000),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_PID_FILE": str(base / "node.pid"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),  # none: no management port to collide
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq"),  # absent: the defaults, not /etc/rabbitmq's
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
    }


class PrivateBroker:
    """A RabbitMQ node we start, own and stop; its output goes to ./var/rabbitmq/node.log."""

    def __init__(self, server: str, var_dir: Path, port: int = DEFAULT_PRIVATE_PORT, dist_port: int | None = None) -> None:
        self.server, self.var_dir, self.port, self.dist_port = server, var_dir, port, dist_port
        self.url = private_url(port)
        self.process: subprocess.Popen | None = None

    def start(self, preexec_fn: Callable[[], None] | None = None) -> None:
        env = self.env()
        base = Path(env["HOME"])
        for sub in ("mnesia", "log"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        Path(env["RABBITMQ_ENABLED_PLUGINS_FILE"]).write_text("[].\n")
        with (base / "node.log").open("ab") as log:
            self.process = subprocess.Popen([self.server], env=dict(os.environ) | env, cwd=base, stdout=log,
                                            stderr=subprocess.STDOUT, preexec_fn=preexec_fn)

    def env(self) -> dict[str, str]:
        return private_env(self.var_dir, self.port, self.dist_port)

    def rabbitmqctl(self) -> list[str]:
        """rabbitmqctl for this node (its cookie is under its own HOME)."""
        env = self.env()
        return ["env", f"HOME={env['HOME']}", str(Path(self.server).with_name("rabbitmqctl")),
                "-n", env["RABBITMQ_NODENAME"]]

    def wait_ready(self, timeout_s: float = 90, answers: Callable[[str], bool] = broker_answers) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            if _port_open(self.port) and answers(self.url):  # the port first: no AMQP error logged per try
                return True
            time.sleep(0.5)
        return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the node shuts down cleanly on SIGTERM
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
