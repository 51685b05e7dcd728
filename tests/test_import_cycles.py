"""No import cycles between modules, at any depth.

import-linter's acyclic_siblings contract checks siblings inside one package; the service packages
import each other (finalising an attempt feeds progress, competitions and quality), so a cycle
could run across them unnoticed. This walks the whole import graph (grimp, import-linter's own
graph, which counts imports inside functions too) and names any cycle it finds."""
from __future__ import annotations

import grimp
import pytest


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: every group of two or more modules that import each other round."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while not group or group[-1] != node:
                        group.append(stack.pop())
                        on_stack.discard(group[-1])
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif target not in index:
                index[target] = low[target] = len(index)
                stack.append(target)
                on_stack.add(target)
                work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target) & modules))))
            elif target in on_stack:
                low[node] = min(low[node], index[target])
    return groups


@pytest.mark.parametrize("package", ["quizapp", "question_bank"])
def test_no_module_imports_itself_back(package):
    graph = grimp.build_graph(package)
    assert strongly_connected(graph, {module for module in graph.modules if module.startswith(package)}) == []


def test_the_check_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c", "d"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    graph.add_import(importer="c", imported="d")
    assert strongly_connected(graph, {"a", "b", "c", "d"}) == [["a", "b", "c"]]
