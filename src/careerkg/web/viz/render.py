"""The page: one template, filled in a single pass, with the view's data as escaped JSON.

The template (``static/viz/page.html``) has five placeholders: ``{{title}}``, ``{{style}}``,
``{{data}}``, ``{{vis}}`` and ``{{app}}``. They are all replaced in ONE pass over the template,
so text that is pasted in (a label ``{{vis}}`` inside the data, say) is never searched for
placeholders again. The data goes in a ``<script type="application/json">`` block with ``<``,
``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes, so no label can close the block.

>>> json_for_script({"label": "</script>"})
'{"label":"\\\\u003c/script\\\\u003e"}'
>>> fill("{{a}} {{b}} {{c}}", {"a": "{{b}}", "b": "B"})
'{{b}} B {{c}}'
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ...errors import InputError
from .assets import asset, vis_network_js

__all__ = [
    "PLACEHOLDER",
    "export_js",
    "fill",
    "inline_script",
    "json_for_script",
    "render_page",
    "save_page",
]

#: A template placeholder: ``{{name}}``.
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

_SCRIPT_ESCAPES = str.maketrans(
    {"&": "\\u0026", "<": "\\u003c", ">": "\\u003e", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def fill(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{{name}}`` replaced by ``values[name]``, in one pass.

    Replacements are not searched again, and unknown placeholders stay as they are.

    >>> fill("<b>{{x}}</b>", {"x": "$x \\\\1 {{x}}"})
    '<b>$x \\\\1 {{x}}</b>'
    """
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def json_for_script(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element (see the module doc)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def inline_script(code: str) -> str:
    """A ``<script>`` element holding ``code``, which cannot end it early.

    >>> inline_script("a = '</script>'")
    "<script>a = '<\\\\/script>'</script>"
    """
    return "<script>" + code.replace("</script", "<\\/script") + "</script>"


def export_js() -> str:
    """The picture export script (``static/viz/export.js``: the PNG and SVG buttons), which
    every view and the whole-graph map load before their own script.

    >>> "careerkgPicture" in export_js()
    True
    """
    return resources.files("careerkg.web").joinpath("static", "viz", "export.js").read_text(encoding="utf-8")


def render_page(payload: dict[str, Any], *, asset_base: str | None = None) -> str:
    """The page for ``payload`` (see :meth:`~careerkg.web.viz.GraphView.payload`).

    Scripts are inlined unless ``asset_base`` (a same-site URL path serving ``vis-network.min.js``,
    ``export.js`` and ``viz.js``) is given.
    """
    if asset_base is None:
        vis = inline_script(vis_network_js())
        app = inline_script(export_js()) + "\n" + inline_script(asset("viz.js"))
    else:
        base = html.escape(asset_base.rstrip("/"), quote=True)
        vis = f'<script src="{base}/vis-network.min.js"></script>'
        app = f'<script src="{base}/export.js"></script>\n<script src="{base}/viz.js"></script>'
    values = {
        "title": html.escape(payload["title"]),
        "style": asset("viz.css"),
        "data": json_for_script(payload),
        "vis": vis,
        "app": app,
    }
    return fill(asset("page.html"), values)


def save_page(path: str | Path, page: Callable[[], str], *, example: str) -> Path:
    """Write ``page()`` to ``path`` (only that file) and return it.

    :class:`~careerkg.errors.InputError` when ``path`` is a folder (``example`` is the file
    name suggested in it), its folder does not exist, or the file cannot be written; the page
    is made only once ``path`` was checked.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a folder: give a file name such as {target / example}")
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist", file=target)
    text = page()
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror}", file=target) from e
    return target
