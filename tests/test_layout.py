"""The architecture the design asks for, checked on the source: the core (nlp/, matching/) never
imports the shell or the benchmarks and holds no process-wide caches; no import cycle among the
project's modules; one reader of the environment; no grab-bag files in api/."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "nlp", "matching", "corpora", "models")
CORE = ("nlp", "matching")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """Project modules ``path`` imports anywhere in it (``from a import b`` counts a.b when b is a module)."""
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update(n for n in names if n in known)
    return found - {module}


def _graph() -> nx.DiGraph:
    known = _modules()
    graph = nx.DiGraph()
    for module, path in known.items():
        graph.add_node(module)
        graph.add_edges_from((module, target) for target in _imports(path, module, known))
    return graph


def test_no_import_cycle_among_project_modules() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert cycles == []


def test_core_imports_neither_the_shell_nor_the_benchmarks() -> None:
    graph = _graph()
    bad = [(a, b) for a, b in graph.edges if a.split(".")[0] in CORE and b.split(".")[0] == "api"]
    assert bad == []
    for package in CORE:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "import bench" not in text and "from bench" not in text, path


def test_core_holds_no_process_wide_caches() -> None:
    for package in CORE:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            decorators = [ast.unparse(d) for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))
                          for d in n.decorator_list]
            assert not [d for d in decorators if "lru_cache" in d or d.endswith("cache")], path
            assigned = [t.id for n in tree.body if isinstance(n, (ast.Assign, ast.AnnAssign))
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)
                        and isinstance(n.value, (ast.Dict, ast.List, ast.Set)) and not t.id.isupper()
                        and not t.id.startswith("__")]
            assert assigned == [], f"{path}: module-level mutable state {assigned}"


def test_only_the_composition_root_reads_the_environment() -> None:
    readers = []
    for path in [*ROOT.joinpath("api").rglob("*.py"), *ROOT.joinpath("nlp").rglob("*.py"),
                 *ROOT.joinpath("matching").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if ".from_env(" in text or "os.environ" in text or "os.getenv" in text:
            readers.append(path.relative_to(ROOT).as_posix())
    assert sorted(readers) == ["api/compose.py", "api/config.py"]
    config = (ROOT / "api" / "config.py").read_text(encoding="utf-8")
    assert ".from_env(" not in config  # it defines from_env; only the root calls it


def test_no_grab_bag_files_in_the_shell_or_the_core() -> None:
    """api/, the core (nlp/, matching/) and the model scripts: each file one concept, at most 400 lines."""
    files = [p for folder in ("api", "nlp", "matching", "models") for p in ROOT.joinpath(folder).rglob("*.py")]
    long = {p.relative_to(ROOT).as_posix(): n for p in files
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
