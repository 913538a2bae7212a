"""`python -m coursebook COMMAND`: every command reaches its feature's main(), and a wrong one gets the list."""

import importlib
import subprocess
import sys

import pytest

from coursebook.cli import COMMANDS, SCRIPTS, usage
from coursebook.layout import GENERATOR


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_has_a_main(command):
    assert callable(importlib.import_module(COMMANDS[command][0]).main), command


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_each_script_ships_with_the_package(command):
    assert (GENERATOR / SCRIPTS[command][0]).is_file(), command


def test_an_unknown_command_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "coursebook", "bild"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.strip() == usage()
