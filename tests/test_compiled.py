"""Compiled kernels: their cache starts afresh when any module that defines kernels changes, and none takes a long
list of positional arguments.

numba keys a cached kernel by its own file, so a kernel calling one in another module kept the old machine code
after that module changed (and gave the old numbers, silently); ``sim.compiled`` names the cache folder by a hash of
every such module instead.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
from pathlib import Path

import sim.compiled as compiled

ROOT = Path(__file__).resolve().parents[1]
MOST_ARGUMENTS = 10  # more go in named groups (``sim.compiled``): a long positional list lets two numbers swap places
CALLEE = "from sim.compiled import kernel\n\n\n@kernel\ndef share(x):\n    return x * {}\n"
CALLER = "from sim.compiled import kernel\nfrom callee import share\n\n\n@kernel\ndef caller(x):\n    return share(x)\n"


def test_a_change_to_any_module_with_kernels_starts_a_fresh_cache(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(2))
    (tmp_path / "rules" / "caller.py").write_text(CALLER)
    (tmp_path / "report.py").write_text("TITLE = 'no kernels here'\n")
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    first = compiled.kernels_fingerprint()
    (tmp_path / "report.py").write_text("TITLE = 'still none'\n")
    assert compiled.kernels_fingerprint() == first  # a module without kernels: the cache stands
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(3))
    second = compiled.kernels_fingerprint()
    assert second != first
    # a module a kernel module imports from: its constants are compiled into the kernels
    (tmp_path / "states.py").write_text("ON_LICENCE = 1\n")
    (tmp_path / "rules" / "caller.py").write_text("from sim.states import ON_LICENCE\n" + CALLER)
    third = compiled.kernels_fingerprint()
    (tmp_path / "states.py").write_text("ON_LICENCE = 2\n")
    assert compiled.kernels_fingerprint() not in (second, third)


def test_a_kernel_sees_the_change_of_a_kernel_it_calls_in_another_module(tmp_path):
    """Run twice in fresh processes with the callee changed between: the second gives the new number.

    The edit keeps the file's size and modification time, as an edit within the same second does: numba's own index
    (keyed by them) would serve the old machine code, and so would Python's bytecode cache, which is therefore off
    here (that cache is Python's, not the kernels'; with it on the test failed whenever the first run took under a
    second)."""
    (tmp_path / "callee.py").write_text(CALLEE.format(2))
    (tmp_path / "caller.py").write_text(CALLER)
    first = os.stat(tmp_path / "callee.py")
    program = ("import sim.compiled as c, numba\nfrom pathlib import Path\nc.PACKAGE = Path('.')\n"
               "numba.config.CACHE_DIR = c.cache_folder()\nfrom caller import caller\nprint(caller(1.0))\n")
    env = {"PYTHONPATH": f"{tmp_path}:{ROOT}", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
           "PYTHONDONTWRITEBYTECODE": "1"}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True, timeout=120).stdout.strip()

    assert run() == "2.0"
    (tmp_path / "callee.py").write_text(CALLEE.format(3))
    os.utime(tmp_path / "callee.py", ns=(first.st_atime_ns, first.st_mtime_ns))
    assert run() == "3.0"


def test_the_caches_of_code_the_checkout_no_longer_holds_go_a_day_after_their_last_use(tmp_path, monkeypatch):
    """Each edit of a kernel module left a 2.5 MB cache folder behind in sim/__pycache__, never removed."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(2))
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    current = Path(compiled.cache_folder())
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(3))
    newer = Path(compiled.cache_folder())
    assert newer != current and current.is_dir()  # used a moment ago: kept
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(2))
    assert Path(compiled.cache_folder()) == current  # back on the first version: its kernels are still there
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(newer, (two_days_ago, two_days_ago))
    os.utime(current, (two_days_ago, two_days_ago))
    (tmp_path / "rules" / "callee.py").write_text(CALLEE.format(4))
    newest = Path(compiled.cache_folder())
    assert sorted(path.name for path in (tmp_path / "__pycache__").iterdir()) == [newest.name]


def test_no_kernel_takes_a_long_list_of_arguments():
    long = []
    for path in sorted((ROOT / "sim").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.FunctionDef) and any(isinstance(d, ast.Name) and d.id == "kernel"
                                                          for d in node.decorator_list)
                    and len(node.args.args) > MOST_ARGUMENTS):
                long.append(f"{path.relative_to(ROOT)}: {node.name} ({len(node.args.args)})")
    assert not long, f"group these kernels' arguments (typing.NamedTuple): {long}"
