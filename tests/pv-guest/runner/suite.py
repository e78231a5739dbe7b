"""The suite: every scenario's spec.py, checked against the tests the image registers.

A scenario is a folder of tests/pv-guest/ holding a spec.py; its main.c registers the guest
test of the same name. spec.py defines ENTRIES, a list of runner.entry.Entry, each named after
the scenario or "<scenario>-<variant>". The build lists the registered tests in
BUILD/tests.list, one a line; every registered test must have its scenario and every scenario
its registered test.
"""

import importlib.util
import os
import re
import traceback
from dataclasses import fields

from . import RunnerError
from .entry import MODELS, Entry

TESTS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def shown(scenario):
    return f"tests/pv-guest/{scenario}/spec.py"


def scenarios():
    """Every folder of tests/pv-guest/ holding a spec.py, by name."""
    return sorted(d for d in os.listdir(TESTS) if os.path.isfile(os.path.join(TESTS, d, "spec.py")))


def registered(build):
    """The tests the image registers, from BUILD/tests.list."""
    path = os.path.join(build, "tests.list")
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        raise RunnerError(f"{path} not found: build the image with make (it lists the tests the image registers)")
    return [name.strip() for name in text.replace("\0", "\n").splitlines() if name.strip()]


def failure(scenario, e):
    """One line for an exception raised while loading a spec: where, and what."""
    path = os.path.join(TESTS, scenario, "spec.py")
    if isinstance(e, SyntaxError) and e.filename == path:
        return f"{shown(scenario)}:{e.lineno}: {e.msg}"
    lines = [f.lineno for f in traceback.extract_tb(e.__traceback__) if f.filename == path]
    where = shown(scenario) + (f":{lines[-1]}" if lines else "")
    m = re.search(r"unexpected keyword argument '(\w+)'", str(e))
    if isinstance(e, TypeError) and m:
        return (f"{where}: unknown Entry field '{m.group(1)}' (a new one goes in runner/entry.py); "
                f"fields: {', '.join(f.name for f in fields(Entry))}")
    if isinstance(e, ValueError):   # Entry's own checks say what is wrong
        return f"{where}: {e}"
    return f"{where}: {type(e).__name__}: {e}"


def load_spec(scenario):
    """The entries of one scenario, each with its test filled in."""
    path = os.path.join(TESTS, scenario, "spec.py")
    located = importlib.util.spec_from_file_location("spec_" + re.sub(r"\W", "_", scenario), path)
    module = importlib.util.module_from_spec(located)
    try:
        located.loader.exec_module(module)
    except RunnerError:
        raise
    except Exception as e:
        raise RunnerError(failure(scenario, e))
    entries = getattr(module, "ENTRIES", None)
    if not entries:
        raise RunnerError(f"{shown(scenario)}: no ENTRIES (a list of Entry, one per test)")
    for entry in entries:
        if not isinstance(entry, Entry):
            raise RunnerError(f"{shown(scenario)}: ENTRIES holds {entry!r}, not an Entry")
        if entry.name != scenario and not entry.name.startswith(scenario + "-"):
            raise RunnerError(f"{shown(scenario)}: entry '{entry.name}': a name is '{scenario}' "
                              f"or starts with '{scenario}-'")
        entry.test = entry.test or scenario
    return entries


def built_model(build):
    """The TLB model the image holds, from BUILD/model (make writes it)."""
    path = os.path.join(build, "model")
    try:
        with open(path) as f:
            model = f.read().strip()
    except FileNotFoundError:
        raise RunnerError(f"{path} not found: build the image with make (it names the TLB model built)")
    if model not in MODELS:
        raise RunnerError(f"{path} says '{model}', not one of {', '.join(MODELS)}: rebuild with make")
    return model


def load_suite(build):
    """Every entry of every scenario that the image's TLB model runs, once the scenarios match
    the image's tests; and the entries left out for the model."""
    names = registered(build)
    found = scenarios()
    for name in names:
        if name not in found:
            raise RunnerError(f"test '{name}' is registered in the image ({build}/tests.list) "
                              f"but {shown(name)} does not exist")
    for scenario in found:
        if scenario not in names:
            raise RunnerError(f"{shown(scenario)}: the image registers no test '{scenario}' "
                              f"({build}/tests.list; rebuild with make?)")
    model = built_model(build)
    suite, other_models, where = [], [], {}
    for scenario in found:
        for entry in load_spec(scenario):
            if entry.name in where:
                raise RunnerError(f"{shown(scenario)}: entry '{entry.name}' is already in {where[entry.name]}")
            where[entry.name] = shown(scenario)
            (suite if model in entry.models else other_models).append(entry)
    return suite, other_models
