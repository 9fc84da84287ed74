"""The folder tree is the architecture: stages import only lower stages, and only what a stage's package exports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "intake"

LAYERS: dict[str, int] = {
    "errors": 0, "models": 0, "folding": 0,
    "receiving": 1, "reading": 1,
    "judging": 2,
    "store": 3,
    "campaign": 4,
    "desk": 5,
    "notices": 6,
    "settings": 7,
    "pipeline": 8,
    "watch": 9, "web": 9,
    "cli": 10,
}
"""Each top-level module or stage subpackage of `intake` and its layer: a module may import only from its own stage
or from a lower layer (receiving and reading are side by side and do not import each other)."""


def _unit(path: Path) -> str:
    """The stage (subpackage) or top-level module a source file belongs to."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(path: Path) -> list[tuple[int, list[str], list[str]]]:
    """(line, target module path under intake as parts, imported names) of every intra-package import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = list(path.relative_to(PACKAGE).parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and (node.module == "intake" or node.module.startswith("intake.")):
                target = node.module.split(".")[1:]
            else:
                continue
            found.append((node.lineno, target, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("intake."):
                    found.append((node.lineno, alias.name.split(".")[1:], []))
    return found


def _violations() -> list[str]:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        assert unit in LAYERS or unit == "__init__", f"{path.relative_to(PACKAGE)}: no layer for {unit!r}"
        for line, target, names in _imports(path):
            where = f"{path.relative_to(PACKAGE)}:{line}"
            if not target:  # `from . import x` at the top of the package
                target = [names[0]]
            other = target[0]
            if other == unit:
                continue
            if other not in LAYERS:
                problems.append(f"{where}: imports unknown unit {other!r}")
                continue
            if LAYERS[other] >= LAYERS.get(unit, 99):
                problems.append(f"{where}: {unit} (layer {LAYERS.get(unit)}) imports {other} (layer {LAYERS[other]})")
            if (PACKAGE / other).is_dir() and len(target) > 1:
                problems.append(f"{where}: imports {'.'.join(target)}, a private module of stage {other!r}; "
                                f"import what `intake.{other}` exports")
    return problems


def test_stages_import_only_lower_stages_through_their_packages() -> None:
    problems = _violations()
    assert not problems, "\n".join(problems)


def test_every_stage_says_what_it_takes_gives_and_never_does() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 80 and "never" in doc.lower(), f"{init.relative_to(PACKAGE)}: docstring missing"


def test_every_stage_exports_what_other_stages_use() -> None:
    """What a stage's `__init__` lists in `__all__` exists (an import of it would fail otherwise)."""
    import importlib

    for init in sorted(PACKAGE.glob("*/__init__.py")):
        module = importlib.import_module(f"intake.{init.parent.name}")
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), f"intake.{init.parent.name} exports {name!r} but has no such name"


def test_modules_stay_small_and_classes_focused() -> None:
    """No module over ~500 lines without a reason at its top; no class over ~25 methods."""
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        lines = text.count("\n")
        doc = ast.get_docstring(tree) or ""
        assert lines <= 550 or "Over 500 lines because" in doc, f"{path.relative_to(PACKAGE)}: {lines} lines"
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                methods = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                assert len(methods) <= 25, f"{path.relative_to(PACKAGE)}: class {node.name} has {len(methods)} methods"
