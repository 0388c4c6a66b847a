"""A process's own commands beside migrate|serve|dead-letters."""
import pytest

from pfdo_kit.cli import Command, service_main
from services.registry.settings import RegistrySettings


def test_an_own_command_gets_its_arguments_and_its_exit_code(capsys):
    seen = []
    commands = {"announce": Command("say it again", lambda argv: seen.append(argv) or 3)}
    with pytest.raises(SystemExit) as done:
        service_main("services.registry", RegistrySettings, "x:y", ["announce", "--all"], commands)
    assert (done.value.code, seen) == (3, [["--all"]])
    with pytest.raises(SystemExit):
        service_main("services.registry", RegistrySettings, "x:y", ["--help"], commands)
    assert "announce" in capsys.readouterr().out
