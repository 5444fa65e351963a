"""The files a page is made of: the package's own page, style and script, and vis-network.

vis-network is not vendored: it is the standalone build that the pyvis package ships in its
``templates/lib`` folder (not a pyvis API, so a missing file is a clear error, not a crash).

>>> "{{data}}" in asset("page.html")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ...errors import StoreError

__all__ = ["ASSETS", "asset", "vis_network_js"]

#: The files under ``careerkg/web/static/viz`` a page uses.
ASSETS = ("page.html", "viz.css", "viz.js")


def asset(name: str) -> str:
    """The text of ``name`` (one of :data:`ASSETS`) from ``careerkg/web/static/viz``."""
    if name not in ASSETS:
        raise KeyError(f"not a viz asset: {name!r}")
    return resources.files("careerkg.web").joinpath("static", "viz", name).read_text(encoding="utf-8")


@cache
def vis_network_js() -> str:
    """vis-network's standalone script, as bundled by pyvis (read once)."""
    from importlib.util import find_spec

    # Located, not imported: importing pyvis imports IPython (0.4 s).
    spec = find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise StoreError("the pyvis package (which ships vis-network) is not installed")
    lib = Path(spec.origin).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"), reverse=True)
    if not candidates:
        raise StoreError(f"vis-network is missing from the pyvis package at {lib}")
    return candidates[0].read_text(encoding="utf-8")
