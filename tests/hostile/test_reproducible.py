"""Reproducible builds: same inputs and SOURCE_DATE_EPOCH give byte-identical output, except the
Pagefind filter indexes, whose entries come out in hash-map order (see README, Reproducibility)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .support import ROOT, pagefind_file, project_args, run_cli, tree_digest

# The only files allowed to differ, and why: Pagefind 1.5.2 writes each filter's values in the
# order of a Rust HashMap (random per process), so each part's filter/*.pf_filter differ in order
# and therefore in name (a hash of the content); its pagefind.*.pf_meta lists those names and is
# itself named by its hash, which its pagefind-entry.json records. test_the_exclusion_is_order_only proves
# they hold the same content.
ORDER_ONLY = re.compile(r"^pagefind/[^/]+/(?:filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled seeds built twice, in different folders, with different hash seeds."""
    sites = []
    for n, seed in enumerate(("1", "2")):
        cwd = tmp_path_factory.mktemp(f"build{n}")
        result = run_cli(["build", "--seeds", str(ROOT / "seeds"), *project_args()], cwd,
                         env={"SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        sites.append(cwd / "output")
    return sites[0], sites[1]


def test_same_inputs_give_identical_files(two_builds):
    a, b = (tree_digest(s) for s in two_builds)
    assert len(a) > 100
    same = {k for k in a if not ORDER_ONLY.match(k)}
    assert same == {k for k in b if not ORDER_ONLY.match(k)}, "file lists differ"
    differ = sorted(k for k in same if a[k] != b[k])
    assert not differ, differ
    assert any(re.match(r"pagefind/[^/]+/fragment/", k) for k in same)  # Pagefind's bulk is compared bytewise


def _parts(site: Path) -> list[Path]:
    return [site / "pagefind" / name for name in json.loads((site / "pagefind/shards.json").read_text())["shards"]]


def _filters(part: Path) -> dict:
    out = {}
    for f in sorted((part / "filter").glob("*.pf_filter")):
        name, values = pagefind_file(f)
        out[name] = sorted((value, tuple(pages)) for value, pages in values)
    return out


def _meta(part: Path):
    [meta_file] = part.glob("pagefind.*.pf_meta")
    meta = pagefind_file(meta_file)
    # Position 3 lists (filter name, file hash); the hashes are what order changes.
    filters = meta[3]
    assert all(isinstance(f, list) and len(f) == 2 for f in filters), filters
    return meta[:3] + [sorted(name for name, _hash in filters)] + meta[4:], meta_file.name


def test_the_exclusion_is_order_only(two_builds):
    parts = [_parts(site) for site in two_builds]
    assert parts[0] and [p.name for p in parts[0]] == [p.name for p in parts[1]]
    for a, b in zip(*parts):
        assert _filters(a) == _filters(b) and _filters(a), f"{a.name}: filter indexes differ in content, not only order"
        (meta_a, name_a), (meta_b, name_b) = _meta(a), _meta(b)
        assert meta_a == meta_b
        entry_a, entry_b = (json.loads((part / "pagefind-entry.json").read_text()) for part in (a, b))
        for entry, name in ((entry_a, name_a), (entry_b, name_b)):
            [lang] = entry["languages"].values()
            assert name == f"pagefind.{lang['hash']}.pf_meta"
            lang["hash"] = "meta"
        assert entry_a == entry_b
