"""A probe in a fresh interpreter: what a piece of code prints when nothing is imported
yet (which modules a start pulls in, say)."""

import subprocess
import sys


def fresh_python(code: str) -> str:
    """Run `code` with `python -c`; it must succeed. Returns what it printed, stripped."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
