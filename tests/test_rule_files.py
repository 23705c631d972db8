"""Rule files: every error names the file, the line and the key, and stops the run with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.rules.loader import RuleError, load_rules
from checker.rules.schema import KINDS, json_schema

ROOT = Path(__file__).resolve().parent.parent
GOOD = """rules:
  - id: spelling-names
    kind: spelling
    severity: warning
    message: "{subject}: {variants}"
"""


def _write(tmp_path: Path, text: str, name: str = "r.yml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _error(tmp_path: Path, text: str) -> RuleError:
    with pytest.raises(RuleError) as exc:
        load_rules([_write(tmp_path, text)])
    return exc.value


def test_good_file_loads(tmp_path):
    rules = load_rules([_write(tmp_path, GOOD)])
    assert [r.id for r in rules] == ["spelling-names"] and rules[0].kind == "spelling"


def test_malformed_yaml_names_file_and_line(tmp_path):
    err = _error(tmp_path, "rules:\n  - id: x\n    kind: [spelling\n")
    assert "r.yml" in str(err) and err.line is not None and "malformed YAML" in str(err)


def test_unknown_key_suggests_the_right_one(tmp_path):
    err = _error(tmp_path, GOOD + "    entity_typs: [person]\n")
    assert err.line == 6 and "entity_typs" in str(err) and "did you mean 'entity_types'" in str(err)


def test_wrong_type_names_the_key(tmp_path):
    err = _error(tmp_path, GOOD.replace("severity: warning", "severity: loud"))
    assert err.line == 4 and "severity" in str(err)


def test_unknown_kind_lists_or_suggests(tmp_path):
    err = _error(tmp_path, GOOD.replace("kind: spelling", "kind: speling"))
    assert err.line == 3 and "did you mean 'spelling'" in str(err)


def test_duplicate_ids(tmp_path):
    with pytest.raises(RuleError) as exc:
        load_rules([_write(tmp_path, GOOD, "a.yml"), _write(tmp_path, GOOD, "b.yml")])
    assert "duplicate rule id 'spelling-names'" in str(exc.value) and "a.yml" in str(exc.value)


def test_yaml_objects_are_never_constructed(tmp_path):
    err = _error(tmp_path, "rules: !!python/object/apply:os.system ['echo hacked']\n")
    assert "malformed YAML" in str(err)


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    lines.append("rules: *a9")
    start = time.process_time()
    err = _error(tmp_path, "\n".join(lines) + "\n")
    assert "aliases" in str(err)
    assert time.process_time() - start < 5  # refused before expansion, not after


def test_cli_exits_2_with_file_line_and_key(tmp_path):
    rules = _write(tmp_path, GOOD + "    entity_typs: [person]\n")
    out = subprocess.run([sys.executable, "-m", "checker", "check", str(ROOT / "fixtures" / "seeds"), "--rules", str(rules)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    assert f"{rules}:6" in out.stderr and "entity_typs" in out.stderr and "Traceback" not in out.stderr


def test_schema_lists_every_kind():
    schema = json.dumps(json_schema())
    for kind in KINDS:
        assert f'"{kind}"' in schema


def test_installed_rules_work_from_another_folder(tmp_path):
    out = subprocess.run([sys.executable, "-m", "checker", "check", str(ROOT / "fixtures" / "seeds"), "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1, out.stderr
    assert json.loads(out.stdout)["findings"]
