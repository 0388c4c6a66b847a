"""`make run`'s broker: the operator's, else the machine's, else — RabbitMQ installed but not
running — a private node under ./var (until issue 22 it stopped instead). The decision is tested with
stand-ins for "does a broker answer there"; the private node's environment keeps it apart from the
machine's node. No test here starts or stops a broker."""
from __future__ import annotations

from pathlib import Path

from deploy.local import broker
from deploy.local.broker import DEFAULT_URL, plan, private_env, private_url

SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def answering(*urls: str):
    asked: list[str] = []

    def answers(url: str) -> bool:
        asked.append(url)
        return url in urls
    answers.asked = asked
    return answers


def test_the_machine_s_running_broker_is_used():
    decision = plan(None, answering(DEFAULT_URL), SERVER)
    assert (decision.action, decision.url) == ("use", DEFAULT_URL)


def test_installed_but_not_running_starts_a_private_node_instead_of_stopping():
    answers = answering()
    decision = plan(None, answers, SERVER, private_port=5673)
    assert (decision.action, decision.url) == ("start_private", "amqp://guest:guest@127.0.0.1:5673/")
    assert answers.asked == [DEFAULT_URL, private_url(5673)]


def test_a_private_node_left_running_is_used_again():
    decision = plan(None, answering(private_url(5673)), SERVER, private_port=5673)
    assert (decision.action, decision.url) == ("use", private_url(5673))


def test_not_installed_and_not_running_stops_with_what_to_do():
    decision = plan(None, answering(), None)
    assert decision.action == "fail" and "apt-get install rabbitmq-server" in decision.reason


def test_the_operator_s_broker_is_never_replaced():
    url = "amqp://pfdo:secret@rabbit.example:5672/"
    assert plan(url, answering(url), SERVER).action == "use"
    answers = answering(DEFAULT_URL)
    decision = plan(url, answers, SERVER)
    assert decision.action == "fail" and answers.asked == [url]  # neither the machine's nor a private one


def test_the_private_node_keeps_everything_of_its_own_under_var(tmp_path):
    env = private_env(tmp_path, 5673)
    base = (tmp_path / "rabbitmq").resolve()
    assert env["RABBITMQ_NODE_PORT"] == "5673" and env["RABBITMQ_NODE_IP_ADDRESS"] == "127.0.0.1"
    assert env["RABBITMQ_DIST_PORT"] == "25673"  # not the machine node's 25672
    assert env["RABBITMQ_NODENAME"] != "rabbit@localhost" and env["RABBITMQ_NODENAME"].endswith("@localhost")
    for key in ("HOME", "RABBITMQ_MNESIA_BASE", "RABBITMQ_LOG_BASE", "RABBITMQ_ENABLED_PLUGINS_FILE",
                "RABBITMQ_CONFIG_FILE", "RABBITMQ_CONF_ENV_FILE", "RABBITMQ_PID_FILE"):
        assert Path(env[key]).is_relative_to(base), key


def test_debian_s_root_only_wrapper_is_not_the_script_started(monkeypatch):
    monkeypatch.setattr(broker, "DEBIAN_SERVER", Path("/nonexistent/rabbitmq-server"))
    monkeypatch.setattr(broker.shutil, "which", lambda name: f"/opt/homebrew/sbin/{name}")
    assert broker.installed_server() == "/opt/homebrew/sbin/rabbitmq-server"
    monkeypatch.setattr(broker, "DEBIAN_SERVER", Path(__file__))
    assert broker.installed_server() == __file__


def test_make_run_stops_only_when_no_broker_can_be_had(monkeypatch, capsys):
    from deploy.local import run

    monkeypatch.setattr(run, "CONFIGURED_AMQP_URL", None)
    monkeypatch.setattr(broker, "broker_answers", answering())
    monkeypatch.setattr(broker, "installed_server", lambda: None)
    assert run.prepare_broker() == (None, None)
    started = []

    class FakeNode:
        def __init__(self, server, var, port):
            self.url = private_url(port)

        def start(self, preexec_fn=None):
            started.append(self.url)

        def wait_ready(self):
            return True

    monkeypatch.setattr(broker, "installed_server", lambda: SERVER)
    monkeypatch.setattr(broker, "PrivateBroker", FakeNode)
    url, node = run.prepare_broker()
    assert url == private_url(run.PRIVATE_BROKER_PORT) and started == [url] and node is not None
    assert "starting a private node" in capsys.readouterr().out
