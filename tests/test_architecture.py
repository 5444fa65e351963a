"""The package's shape: a folder per layer, imports only downward, no cycles, no private names
taken from another module. Read from the source with ``ast`` (imports inside functions count).

The layers, bottom to top (docs/architecture.md draws them):

    core       errors, namespaces, resources, atomic (the one file writer)
    sparql     the query language: lexing, bindings, results, formats, policy, examples
    store      where triples live: backends, the store folder, snapshots, worker pools
    data       the curated data and its checks, the ontology, building the curated graph
    imports    O*NET, ESCO, crosswalk          pages   career pages in
    network    NetworkX views, names, traversal, profiles
    web        views (viz), explorer, server    quality   answer quality against ground truth
    facade     graph (CareerGraph), export, the package's __init__
    cli        thin: parse, call the library, print
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "careerkg"

LAYERS = {
    "errors": 0, "namespaces": 0, "resources": 0, "atomic": 0,
    "sparql": 1,
    "store": 2,
    "data": 3,
    "imports": 4, "pages": 4,
    "network": 5,
    "web": 6, "quality": 6,
    "graph": 7, "export": 7, "__init__": 7,
    "cli": 8,
}  # fmt: skip


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken, line) for every careerkg import in ``path``, however deep."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "careerkg":
                continue
            names = [alias.name for alias in node.names]
            submodules = [n for n in names if (PACKAGE.parent / target.replace(".", "/") / n).exists()
                          or (PACKAGE.parent / (target.replace(".", "/") + "/" + n + ".py")).exists()]
            for sub in submodules:
                found.append((f"{target}.{sub}", [], node.lineno))
            rest = [n for n in names if n not in submodules]
            if rest or not submodules:
                found.append((target, rest, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "careerkg":
                    found.append((alias.name, [], node.lineno))
    return found


def import_graph() -> tuple[nx.DiGraph, dict[tuple[str, str], list[tuple[list[str], int]]]]:
    graph = nx.DiGraph()
    where: dict[tuple[str, str], list[tuple[list[str], int]]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        here = module_name(path)
        graph.add_node(here)
        for target, names, line in imports_of(path):
            if target != here:
                graph.add_edge(here, target)
                where[here, target].append((names, line))
    return graph, where


GRAPH, WHERE = import_graph()


def test_every_module_is_in_a_known_layer() -> None:
    unknown = sorted(m for m in GRAPH if layer_of(m) not in LAYERS)
    assert not unknown, f"modules outside the layers of the architecture: {unknown}"


def test_no_import_cycles() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(GRAPH) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_imports_only_go_downward() -> None:
    upward = [
        f"{a} -> {b} (line {WHERE[a, b][0][1]})"
        for a, b in GRAPH.edges
        if LAYERS[layer_of(a)] < LAYERS[layer_of(b)]
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_private_name_is_imported_across_modules() -> None:
    private = [
        f"{a} takes {name} from {b} (line {line})"
        for (a, b), uses in WHERE.items()
        for names, line in uses
        for name in names
        if name.startswith("_") and name != "__version__"
    ]
    assert not private, "private names imported across modules:\n" + "\n".join(private)


@pytest.mark.parametrize(
    "backend", ["careerkg.store.memory", "careerkg.store.oxigraph", "careerkg.store.remote"]
)
def test_backends_are_told_apart_only_inside_the_store_package(backend: str) -> None:
    users = sorted(a for a, b in GRAPH.edges if b == backend and not a.startswith("careerkg.store"))
    assert not users, f"{backend} is imported outside careerkg.store by {users}: use the GraphStore seam"


def test_backend_classes_are_not_taken_from_the_store_package_outside_it() -> None:
    backends = {"MemoryStore", "OxigraphStore", "RemoteStore", "VirtuosoStore"}
    users = sorted(
        f"{a} takes {name} (line {line})"
        for (a, b), uses in WHERE.items()
        if b == "careerkg.store" and not a.startswith("careerkg.store")
        for names, line in uses
        for name in names
        if name in backends
    )
    assert not users, "backend classes used outside careerkg.store:\n" + "\n".join(users)


def test_the_test_sees_imports_inside_functions() -> None:
    # graph.py imports its traversal functions inside methods; they must be among the edges.
    assert ("careerkg.graph", "careerkg.network.traverse") in GRAPH.edges
