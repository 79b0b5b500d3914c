"""What the contract fuzzers (klarna/fuzz.py, mollie/fuzz.py, proxy/fuzz.py) share: running
Schemathesis (the pin in klarna/requirements.txt) against a server.

Each script keeps what is its own (its document, the real objects it makes, its checks, phases
and options, and a docstring that says why); this module holds the runner around them:

- `limits`: `KASSA_FUZZ_EXAMPLES` (random cases per operation) and `KASSA_FUZZ_SECONDS` (each
  run's time limit), else the script's defaults;
- `arguments`: the command line `fuzz.py BASE_URL ... [more schemathesis run options]`;
- `http`, `expect`: a plain `requests` session for seeding, and a status check that stops the
  script with what the server answered;
- `config`: the `schemathesis.toml` of a run (base URL, one worker, deterministic generation and
  no example database, the checks, path parameters bound to dictionaries of real ids);
- `Runs`: a temporary working directory with that file, each `schemathesis run` in it as a
  subprocess with a hard time limit (a run that takes longer has hung and fails), and the
  closing line and exit status (0 only if every run passed).

The scripts import it through `sys.path` (this file's folder, their parent).
"""

import contextlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import requests

CONFIG_FILE = "schemathesis.toml"


def limits(examples, seconds):
    """At most how many random cases per operation, and how many seconds per run:
    `$KASSA_FUZZ_EXAMPLES` and `$KASSA_FUZZ_SECONDS`, else these defaults."""
    return (
        int(os.environ.get("KASSA_FUZZ_EXAMPLES") or examples),
        float(os.environ.get("KASSA_FUZZ_SECONDS") or seconds),
    )


def arguments(argv, names):
    """`fuzz.py NAME... [schemathesis run options]`: the positional values (the first, a base
    URL, without its final slash) and the options after them; None after the usage line if
    they are missing."""
    if len(argv) <= len(names) or argv[1].startswith("-"):
        print(f"usage: fuzz.py {' '.join(names)} [schemathesis run options]", file=sys.stderr)
        return None
    values = argv[1 : len(names) + 1]
    values[0] = values[0].rstrip("/")
    return values, argv[len(names) + 1 :]


def http(auth=None, headers=None):
    """A `requests` session for seeding that ignores proxy settings from the environment."""
    session = requests.Session()
    session.trust_env = False
    session.auth = auth
    session.headers.update(headers or {})
    return session


def expect(resp, status, what):
    """`resp` itself if it has `status`; else the script stops, saying what answered what."""
    if resp.status_code != status:
        raise SystemExit(f"{what} answered {resp.status_code}: {resp.text[:300]}")
    return resp


def toml_string(value):
    # A JSON string of printable ASCII is a TOML basic string.
    return json.dumps(str(value), ensure_ascii=True)


def config(base_url, *, max_examples, checks, parameters, ids, probability, basic_auth=None):
    """schemathesis.toml: everything about a run but the document and the command line's options.

    `parameters`: path parameter name -> the name of a dictionary in `ids` (dictionary name ->
    real ids), from which the parameter takes a value with `probability`."""
    lines = [
        f"base-url = {toml_string(base_url)}",
        "workers = 1",
        "request-timeout = 10",
        "continue-on-failure = true",
    ]
    if basic_auth:
        lines += [
            "",
            "[auth.basic]",
            f"username = {toml_string(basic_auth[0])}",
            f"password = {toml_string(basic_auth[1])}",
        ]
    lines += [
        "",
        "[generation]",
        f"max-examples = {max_examples}",
        "deterministic = true",
        'database = "none"',
        "",
        "[checks]",
        "enabled = false",
    ]
    lines += [f"{check}.enabled = true" for check in checks]
    lines += ["", "[parameters]"]
    for parameter, dictionary in parameters.items():
        lines.append(
            f'"path.{parameter}" = {{ dictionary = {toml_string(dictionary)}, probability = {probability} }}'
        )
    for dictionary, values in ids.items():
        lines += ["", f"[dictionaries.{dictionary}]", f"values = [{', '.join(toml_string(v) for v in values)}]"]
    return "\n".join(lines) + "\n"


def schemathesis_command():
    """The `schemathesis` entry point installed beside this interpreter."""
    beside = pathlib.Path(sys.executable).parent / "schemathesis"
    if beside.is_file():
        return [str(beside)]
    return [sys.executable, "-c", "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())"]


class Runs:
    """One script's `schemathesis run`s: made before seeding, so that the time it reports is the
    whole script's."""

    def __init__(self, name, timeout):
        self.name = name
        self.timeout = timeout
        self.started = time.monotonic()
        self.work = None
        self.ran = 0
        self.failed = []

    @contextlib.contextmanager
    def workdir(self, prefix, config_text):
        """A temporary directory with `schemathesis.toml`; the runs' working directory, so that
        nothing they write lands in the repository. Yields its path."""
        with tempfile.TemporaryDirectory(prefix=prefix) as work:
            self.work = pathlib.Path(work)
            (self.work / CONFIG_FILE).write_text(config_text, encoding="utf-8")
            try:
                yield self.work
            finally:
                self.work = None

    def run(self, label, target, options, env=None):
        """`schemathesis run TARGET OPTIONS` in the working directory, stopped after the time
        limit; its exit status, or "timeout"."""
        print(f"\n== schemathesis run: {label}", flush=True)
        started = time.monotonic()
        command = (
            schemathesis_command()
            + ["--config-file", str(self.work / CONFIG_FILE), "--no-color", "run", str(target)]
            + list(options)
        )
        env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false", **(env or {})}
        try:
            status = subprocess.run(command, cwd=self.work, env=env, timeout=self.timeout, check=False).returncode
        except subprocess.TimeoutExpired:
            print(f"schemathesis ran longer than {self.timeout:g} s ({label}) and was stopped", flush=True)
            status = "timeout"
        print(f"== {label}: exit {status} after {time.monotonic() - started:.1f}s", flush=True)
        self.ran += 1
        if status != 0:
            self.failed.append(f"{label} (exit {status})")
        return status

    def report(self):
        """The closing line; the script's exit status: 0 only if every run passed."""
        took = time.monotonic() - self.started
        if self.failed:
            print(f"\n{self.name} fuzz: FAILED in {took:.1f}s: {'; '.join(self.failed)}")
            return 1
        passed = {1: "passed", 2: "both runs passed"}.get(self.ran, f"all {self.ran} runs passed")
        print(f"\n{self.name} fuzz: {passed} in {took:.1f}s")
        return 0
