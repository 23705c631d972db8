"""Files added or changed since a git ref, with merge-base semantics (like `git diff REF...HEAD`), plus local edits."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """git is missing, the corpus is not in a repository, or the ref cannot be resolved."""


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --changed-since)") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree that holds `path`."""
    start = path.resolve()
    folder = start if start.is_dir() else start.parent
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()
    except GitError as exc:
        raise GitError(f"{path}: not inside a git repository ({exc})") from None


def merge_base(root: Path, ref: str) -> str:
    """The commit where HEAD's history and REF's meet."""
    if ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git ref")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"unknown git ref {ref!r} (in CI, fetch the history: actions/checkout with fetch-depth: 0)") from None
    try:
        return _git(root, "merge-base", ref, "HEAD").strip()
    except GitError as exc:
        raise GitError(f"no common ancestor of {ref!r} and HEAD ({exc}); a shallow clone? fetch the full history") from None


def changed_files(path: Path, ref: str) -> set[Path]:
    """Absolute paths of files added, copied, modified, renamed or retyped since merge-base(REF, HEAD).

    Committed changes, staged and unstaged edits and untracked files (not ignored) all count, so the same
    command works in CI and before a commit. Deleted files are not listed: there is nothing to check in them.
    """
    root = repo_root(path)
    base = merge_base(root, ref)
    diff = _git(root, "diff", "--name-only", "-z", "--diff-filter=ACMRT", "--find-renames", base, "--")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    names = [n for n in (diff + untracked).split("\0") if n]
    return {(root / n).resolve() for n in names}
