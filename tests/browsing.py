"""A Chromium page for the browser tests: every request outside ``allow`` aborted and recorded,
console errors and dialogs collected. The viz and map tests subclass it with how their page
says it is ready."""

from __future__ import annotations


class BrowserSession:
    """A new browser context and page. ``allow``: the URL prefixes (one or a tuple) let through;
    ``csp``: keep the page's own Content-Security-Policy (by default Playwright bypasses it, as
    the page's CSP would refuse ``evaluate()``; escaping must hold without that safety net,
    and with ``csp=True`` tests read the DOM instead)."""

    def __init__(
        self, browser, allow: str | tuple[str, ...] = "file:", *, csp: bool = False, viewport=(1400, 900)
    ) -> None:
        self.context = browser.new_context(
            bypass_csp=not csp, viewport={"width": viewport[0], "height": viewport[1]}
        )
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.requests = 0
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def route(r) -> None:
            self.requests += 1
            if r.request.url.startswith(allow):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)

    def close(self) -> None:
        self.context.close()
