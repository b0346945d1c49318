"""A label hierarchy (技术领域 / 行业 / 产业链 taxonomies) as a typed, validated value.

Taxonomies are data (``corpora/taxonomy/*.json``, read by :mod:`api.io.taxonomy_files`): a list of
records ``{code, name, parent, level?, description?}``. :meth:`Taxonomy.from_records` checks them
once (unknown parent, duplicate code, cycle, a stated level that disagrees with the depth) so every
classifier and router can trust parents, children and paths without re-checking. A node's
*label text* (name, description and its parents' names) is what zero-shot classification reads.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class TaxonomyError(ValueError):
    """The records do not form a tree; ``message_zh`` / ``message_en`` say why (``code`` names the node)."""

    def __init__(self, message_zh: str, message_en: str, code: str | None = None):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en
        self.code = code


@dataclass(frozen=True)
class Node:
    """One label: ``code`` (unique), ``name``, ``level`` (1 = top), ``parent`` code, ``description``."""

    code: str
    name: str
    level: int
    parent: str | None = None
    description: str = ""

    def to_record(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level, "parent": self.parent,
                "description": self.description}


class Taxonomy:
    """An immutable tree (forest) of :class:`Node` with parent/children/path look-ups.

    Build it with :meth:`from_records`; the constructor takes already-built nodes in any order and
    validates them the same way."""

    def __init__(self, nodes: Iterable[Node], name: str = ""):
        self.name = name
        nodes = list(nodes)
        by_code: dict[str, Node] = {}
        for n in nodes:
            if not n.code:
                raise TaxonomyError("节点缺少代码", "a node has no code")
            if n.code in by_code:
                raise TaxonomyError(f"重复的代码 {n.code}", f"duplicate code {n.code}", n.code)
            by_code[n.code] = n
        for n in nodes:
            if n.parent is not None and n.parent not in by_code:
                raise TaxonomyError(f"节点 {n.code} 的上级 {n.parent} 不存在",
                                    f"node {n.code} has an unknown parent {n.parent}", n.code)
        depth: dict[str, int] = {}
        for n in nodes:  # walk up to a node of known depth (or the top), then number the way back down
            chain: list[str] = []
            cur: str | None = n.code
            while cur is not None and cur not in depth:
                if cur in chain:
                    raise TaxonomyError(f"上下级关系成环（{cur}）", f"the parent links form a cycle at {cur}", cur)
                chain.append(cur)
                cur = by_code[cur].parent
            level = 0 if cur is None else depth[cur]
            for code in reversed(chain):
                level += 1
                depth[code] = level
        fixed = []
        for n in nodes:
            if n.level not in (0, depth[n.code]):
                raise TaxonomyError(f"节点 {n.code} 的层级 {n.level} 与其位置（第 {depth[n.code]} 层）不符",
                                    f"node {n.code} says level {n.level} but sits at level {depth[n.code]}", n.code)
            fixed.append(n if n.level else Node(n.code, n.name, depth[n.code], n.parent, n.description))
        self._nodes: dict[str, Node] = {n.code: n for n in fixed}
        self._children: dict[str | None, list[str]] = {}
        for n in fixed:
            self._children.setdefault(n.parent, []).append(n.code)

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]], name: str = "") -> "Taxonomy":
        """Records ``{code, name, parent?, level?, description?}`` (codes are read as strings;
        an empty parent means a top-level node; a missing level is computed from the parents)."""
        nodes = []
        for i, r in enumerate(records, 1):
            code = str(r.get("code") or "").strip()
            label = str(r.get("name") or "").strip()
            if not code or not label:
                raise TaxonomyError(f"第 {i} 条记录缺少代码或名称", f"record {i} has no code or no name", code or None)
            parent = r.get("parent")
            parent = str(parent).strip() if parent not in (None, "") else None
            try:
                level = int(r.get("level") or 0)
            except (TypeError, ValueError):
                raise TaxonomyError(f"节点 {code} 的层级不是整数", f"node {code} has a non-integer level", code) from None
            nodes.append(Node(code, label, level, parent or None, str(r.get("description") or "").strip()))
        return cls(nodes, name=name)

    def to_records(self) -> list[dict[str, Any]]:
        """The nodes as records, in their original order (what :meth:`from_records` reads)."""
        return [n.to_record() for n in self._nodes.values()]

    # ------------------------------------------------------------------ look-ups
    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def __contains__(self, code: object) -> bool:
        return code in self._nodes

    def __getitem__(self, code: str) -> Node:
        try:
            return self._nodes[code]
        except KeyError:
            raise KeyError(f"未知的领域代码 / unknown code {code!r}") from None

    @property
    def codes(self) -> list[str]:
        return list(self._nodes)

    @property
    def depth(self) -> int:
        """The deepest level (0 for an empty taxonomy)."""
        return max((n.level for n in self._nodes.values()), default=0)

    def parent(self, code: str) -> Node | None:
        p = self[code].parent
        return None if p is None else self._nodes[p]

    def children(self, code: str | None) -> list[Node]:
        """Direct children of ``code`` (``None``: the top-level nodes)."""
        return [self._nodes[c] for c in self._children.get(code, [])]

    def is_leaf(self, code: str) -> bool:
        return not self._children.get(code)

    def path(self, code: str) -> list[Node]:
        """From the top-level ancestor down to ``code`` itself."""
        out = [self[code]]
        while out[-1].parent is not None:
            out.append(self._nodes[out[-1].parent])
        return out[::-1]

    def ancestor_at(self, code: str, level: int) -> Node | None:
        """The node on ``code``'s path at ``level`` (``None`` when ``code`` is shallower)."""
        path = self.path(code)
        return path[level - 1] if 1 <= level <= len(path) else None

    def at_level(self, level: int) -> list[Node]:
        """The labels of a classifier that predicts ``level``: the nodes at that level, plus the
        leaves above it (a branch that stops early is still a label)."""
        return [n for n in self._nodes.values() if n.level == level or (n.level < level and self.is_leaf(n.code))]

    def label_text(self, code: str) -> str:
        """Name, description and the parents' names: the text zero-shot classification compares with."""
        path = self.path(code)
        node = path[-1]
        parts = [node.name]
        if node.description and node.description != node.name:
            parts.append(node.description)
        if len(path) > 1:
            parts.append(" ".join(p.name for p in reversed(path[:-1])))
        return "。".join(p.rstrip("。") for p in parts) + "。"


__all__ = ["Node", "Taxonomy", "TaxonomyError"]
