"""Reading taxonomy and office files (分类体系与处室归口): JSON, YAML or CSV by suffix.

A taxonomy file is a list of nodes ``{code, name, parent, level?, description?}`` (or an object
``{"name": ..., "nodes": [...]}``); a CSV has those columns. Any file in this shape loads without
code changes — the shipped ones live in ``corpora/taxonomy`` (:data:`DEFAULT_TAXONOMY_DIR`,
packaged with the wheel). Problems come back as :class:`~api.errors.ConfigError` with zh/en messages.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from api.errors import ConfigError
from corpora import TAXONOMY_DIR
from matching.disciplines import DisciplineMap
from matching.routing import Offices
from matching.taxonomy import Taxonomy, TaxonomyError

DEFAULT_TAXONOMY_DIR = TAXONOMY_DIR
DEFAULT_TAXONOMY = DEFAULT_TAXONOMY_DIR / "high_tech_domains_2016.json"
DEFAULT_OFFICES = DEFAULT_TAXONOMY_DIR / "offices.yaml"
DEFAULT_DISCIPLINES = DEFAULT_TAXONOMY_DIR / "disciplines.yaml"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
#: what staff read instead of a file stem (a taxonomy not listed shows its own name)
TITLES = {"high_tech_domains_2016": "国家重点支持的高新技术领域（2016）",
          "gbt4754_2011": "国民经济行业分类（GB/T 4754-2011）",
          "csl_categories": "学科门类（CSL）", "industry_chains_liaoning": "辽宁省产业链"}


def _read_structured(path: Path) -> Any:
    """Parsed JSON / YAML, or CSV rows as dicts (first row = header)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"无法读取文件 {path}", f"cannot read {path}: {exc}") from exc
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            return json.loads(raw.decode("utf-8-sig"))
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(raw.decode("utf-8-sig"))
        if suffix == ".csv":
            for encoding in CSV_ENCODINGS:
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ConfigError(f"无法识别 {path.name} 的编码", f"unknown text encoding in {path.name}")
            return [{k.strip(): (v or "").strip() for k, v in row.items() if k}
                    for row in csv.DictReader(io.StringIO(text))]
    except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"文件 {path.name} 格式错误", f"{path.name} is not valid {suffix[1:]}: {exc}") from exc
    raise ConfigError(f"不支持的文件类型 {suffix}（支持 .json / .yaml / .csv）",
                      f"unsupported file type {suffix} (use .json, .yaml or .csv)")


def read_taxonomy(path: str | Path) -> Taxonomy:
    """A :class:`~matching.taxonomy.Taxonomy` from a JSON, YAML or CSV file (named after the file)."""
    path = Path(path)
    data = _read_structured(path)
    name = path.stem
    if isinstance(data, dict):
        name = str(data.get("name") or name)
        data = data.get("nodes")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ConfigError(f"{path.name} 应为节点列表", f"{path.name} must hold a list of nodes")
    try:
        return Taxonomy.from_records(data, name=name)
    except TaxonomyError as exc:
        raise ConfigError(f"{path.name}：{exc.message_zh}", f"{path.name}: {exc.message_en}",
                          {"code": exc.code}) from exc


def read_offices(path: str | Path = DEFAULT_OFFICES, taxonomy: Taxonomy | None = None) -> Offices:
    """The office areas and their domain codes; with ``taxonomy``, every mapped code must exist in it."""
    path = Path(path)
    data = _read_structured(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} 应为处室配置对象", f"{path.name} must be a mapping of offices")
    try:
        offices = Offices.from_mapping(data)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{path.name} 处室配置无效", f"{path.name}: invalid offices ({exc})") from exc
    if taxonomy is not None:
        unknown = sorted(d for a in offices.areas for d in a.domains if d not in taxonomy)
        if unknown:
            raise ConfigError(f"{path.name} 中的领域代码不在分类体系中：{'、'.join(unknown)}",
                              f"{path.name} maps codes the taxonomy lacks: {', '.join(unknown)}", {"codes": unknown})
    return offices


def read_disciplines(path: str | Path, offices: Offices, taxonomy: Taxonomy | None = None) -> DisciplineMap:
    """The discipline → office / domain mapping (``disciplines.yaml``) over ``offices``' office names
    (in their order); with ``taxonomy``, every domain code must exist in it."""
    path = Path(path)
    data = _read_structured(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} 应为学科映射对象", f"{path.name} must be a mapping of disciplines")
    names = [a.office for a in offices.areas]
    try:
        return DisciplineMap.from_mapping(data, names, None if taxonomy is None else taxonomy.codes)
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(f"{path.name} 学科映射无效：{exc}", f"{path.name}: invalid discipline mapping ({exc})") from exc


def taxonomy_title(name: str) -> str:
    """The taxonomy's title for people (never the raw key such as ``high_tech_domains_2016``)."""
    return TITLES.get(name, name.replace("_", " "))


def shipped_taxonomies() -> dict[str, Path]:
    """The taxonomy files shipped in ``corpora/taxonomy`` by name (file stem)."""
    return {p.stem: p for p in sorted(DEFAULT_TAXONOMY_DIR.glob("*.json"))}


__all__ = ["DEFAULT_TAXONOMY_DIR", "DEFAULT_TAXONOMY", "DEFAULT_OFFICES", "read_taxonomy", "read_offices",
           "read_disciplines", "DEFAULT_DISCIPLINES", "shipped_taxonomies", "taxonomy_title"]
