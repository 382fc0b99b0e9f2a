#!/usr/bin/env python3
"""Runs the README's walk-throughs against a fresh service and checks what each step prints.

The README is the single source: this script reads its ```sh blocks, it does not hold commands
of its own. Every ```sh block is marked by the comment line above it,
`<!-- walkthrough: NAME -->`, and NAME must be one this script knows (KNOWN below): a block it
does not know fails the run, and so does a known block that is gone from the README.

Inside a block, lines starting with `#> ` after a command are what that command prints, line by
line (`…` matches any text within a line). The blocks marked `run` are executed in README order
in one bash shell (`set -euo pipefail`), in a scratch directory holding `examples/`, against a
service started here on a free port with its own DATA_DIR (SQLite); the README's address
`127.0.0.1:8080` is replaced by the service's, and `cargo run -q --release -p api --` by the
built binary (API_BIN), so the walk-through does not build a second copy of the service.

Usage: scripts/walkthrough.py [README.md]   (API_BIN defaults to target/debug/api)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

# What each marked block is to this script. `run`: executed and checked. Any other value: the
# reason it is not run here (it is run elsewhere, or would start what this script starts).
KNOWN = {
    "two-commands": "the set-up commands themselves: scripts/test.sh runs this script",
    "first-token": "run",
    "start": "run",
    "caseworker": "run",
    "finance": "run",
    "lost-earnings": "run",
    "agreement": "run",
    "payroll-firm": "run",
    "controller": "run",
    "bank": "run",
    "books-reference": "the same commands as the controller's walk-through, which runs them",
    "bench": "benchmarks take minutes each; scripts/test.sh runs every mode's smoke run",
}

MARK = re.compile(r"<!--\s*walkthrough:\s*([a-z0-9-]+)\s*-->")
# A fenced block of shell commands, however its language is written.
SHELL = re.compile(r"^\s*```\s*(sh|bash|shell|console|zsh)\b")


def blocks(readme):
    """(name, first line number, lines) of every ```sh block; fails on an unmarked one."""
    lines = open(readme, encoding="utf-8").read().split("\n")
    found, i, errors = [], 0, []
    while i < len(lines):
        if SHELL.match(lines[i]):
            start = i
            mark = None
            for back in range(max(0, i - 3), i):
                m = MARK.search(lines[back])
                if m:
                    mark = m.group(1)
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            if mark is None:
                errors.append(f"README.md:{start + 1}: a shell block without <!-- walkthrough: NAME --> above it")
            elif mark not in KNOWN:
                errors.append(f"README.md:{start + 1}: block {mark!r} is not known to scripts/walkthrough.py")
            else:
                found.append((mark, start + 1, lines[i + 1:j]))
            i = j
        i += 1
    names = {name for name, _, _ in found}
    for name in KNOWN:
        if name not in names:
            errors.append(f"block {name!r} is known to scripts/walkthrough.py but gone from the README")
    return found, errors


def steps(lines):
    """The block as (commands, expected lines) steps, in order."""
    out, cmd, exp = [], [], []
    for line in lines:
        if line.startswith("#>"):
            exp.append(line[2:].removeprefix(" "))
            continue
        if exp:
            out.append((cmd, exp))
            cmd, exp = [], []
        cmd.append(line)
    if cmd or exp:
        out.append((cmd, exp))
    return out


def pattern(expected):
    parts = [re.escape(p) for p in expected.rstrip().split("…")]
    return re.compile("^" + ".*".join(parts) + "$")


def main():
    readme = sys.argv[1] if len(sys.argv) > 1 else "README.md"
    root = os.path.dirname(os.path.abspath(readme))
    api_bin = os.path.abspath(os.environ.get("API_BIN", os.path.join(root, "target/debug/api")))
    found, errors = blocks(readme)
    if errors:
        print("\n".join(errors))
        return 1
    work = tempfile.mkdtemp(prefix="walkthrough-")
    os.symlink(os.path.join(root, "examples"), os.path.join(work, "examples"))
    env = dict(os.environ, DATA_DIR=os.path.join(work, "data"), BIND="127.0.0.1:0")
    env.pop("JWT_SECRET", None)
    env.pop("DATABASE_URL", None)
    service = subprocess.Popen([api_bin], cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=open(os.path.join(work, "service.log"), "w"), text=True)
    try:
        addr = None
        # A service that never says where it listens is a failure, not a hang.
        timer = threading.Timer(60, service.kill)
        timer.start()
        for line in service.stdout:
            if line.startswith("listening on http://"):
                addr = line.strip().removeprefix("listening on http://")
                break
        timer.cancel()
        if addr is None:
            print("the service did not start:\n" + open(os.path.join(work, "service.log")).read())
            return 1
        script, checks = ["set -euo pipefail"], []
        for name, first, lines in found:
            if KNOWN[name] != "run":
                print(f"-- {name} (README.md:{first}): not run here: {KNOWN[name]}")
                continue
            for cmd, exp in steps(lines):
                text = "\n".join(cmd)
                text = text.replace("cargo run -q --release -p api --", api_bin)
                text = text.replace("127.0.0.1:8080", addr).replace("localhost:8080", addr)
                # The service is started here, once: the README's start line is not run again.
                text = re.sub(r"^cargo run --release -p api &.*$", ": service started by the walk-through", text, flags=re.M)
                n = len(checks)
                checks.append((name, first, cmd, exp))
                script.append(f"echo '@@step {n}'")
                script.append(text)
                script.append(f"echo '@@end {n}'")
        run = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env,
                             capture_output=True, text=True, timeout=600)
        printed, ended, current = {}, set(), None
        for line in run.stdout.split("\n"):
            m = re.match(r"^@@(step|end) (\d+)$", line)
            if m:
                current = int(m.group(2)) if m.group(1) == "step" else None
                printed.setdefault(int(m.group(2)), [])
                if m.group(1) == "end":
                    ended.add(int(m.group(2)))
                continue
            if current is not None:
                printed[current].append(line.rstrip())
        failed = 0
        for n, (name, first, cmd, exp) in enumerate(checks):
            if n not in ended:
                # The step that began and never ended is the one that failed.
                print(f"FAIL {name} (README.md:{first}): this step failed (exit {run.returncode}):\n  "
                      + "\n  ".join(c for c in cmd if c.strip()) + "\nit printed:\n  "
                      + "\n  ".join(printed.get(n, [])) + f"\nstderr:\n{run.stderr[-3000:]}")
                return 1
            got = [l for l in printed[n] if l != ""] if exp else []
            if exp and (len(got) != len(exp) or not all(pattern(e).match(g) for e, g in zip(exp, got))):
                failed += 1
                print(f"FAIL {name} (README.md:{first}):\n  " + "\n  ".join(c for c in cmd if c.strip())
                      + "\nthe README says it prints:\n  " + "\n  ".join(exp)
                      + "\nit printed:\n  " + "\n  ".join(got))
        if run.returncode != 0 and not failed:
            print(f"the walk-through failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
            return 1
        total = sum(1 for c in checks if c[3])
        print(f"walk-through: {len(checks)} steps run, {total - failed} of {total} printed what the README says")
        return 1 if failed else 0
    finally:
        service.terminate()
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()
        if os.environ.get("KEEP_WALKTHROUGH"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
