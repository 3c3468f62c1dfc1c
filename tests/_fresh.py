"""Code run in a fresh interpreter with this checkout first on the path and its own cache folder: for what
one process imports or leaves switched on, which a test process that has imported everything cannot show."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_python(code: str, cache_dir: Path) -> list[str]:
    """The lines ``code`` prints, run by a new interpreter; fails the test with its stderr if it fails."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
               AUDIT_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()


def modules_after_audit(sample: Path, cache_dir: Path, names: tuple[str, ...], then: str = "memo.to_json(r)") -> list[str]:
    """Which of ``names`` a fresh process has imported once it has audited ``sample`` and run ``then``."""
    code = ("import sys\nfrom audit import pipeline, memo\n"
            f"r = pipeline.audit({str(sample)!r}, cache=False)\n{then}\n"
            "assert r.findings is not None\n"
            f"print(sorted(m for m in {names!r} if m in sys.modules))\n")
    return fresh_python(code, cache_dir)
