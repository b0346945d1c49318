"""Installs as a product: the wheel built from the repo carries the corpora, the model and the migrations,
and the demo runs from it in a folder outside the checkout (no path leads back to the source tree)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_runs_the_demo_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    [wheel] = dist.glob("jiebang-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    for needed in ("corpora/userdict.txt", "corpora/campaigns/liaoning-2023.yaml", "corpora/samples/demands.jsonl",
                   "models/jiebang-static-zh/model.safetensors", "models/router/router.json", "models/router/lexical.npz",
                   "corpora/taxonomy/disciplines.yaml", "api/store/migrations/versions/0001_initial_schema.py",
                   "api/store/migrations/script.py.mako"):
        assert needed in names, needed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no JIEBANG_* variables
    where = subprocess.run([sys.executable, "-c", "import api, corpora, models, nlp; "
                            "print(api.__file__, corpora.CORPORA_DIR, models.DEFAULT_EMBED_MODEL, nlp.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    demo = subprocess.run([sys.executable, "-m", "api.cli", "-q", "demo", "--home", str(tmp_path / "demo-home")],
                          cwd=elsewhere, env=env, capture_output=True, text=True)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert (tmp_path / "demo-home" / "jiebang-demo.xlsx").is_file()
    assert "查重 duplicates" in demo.stdout and "专家组 panels" in demo.stdout
    assert not (elsewhere / "var").exists()
