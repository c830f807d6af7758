#!/usr/bin/env python3
"""Make Trunk's dist/ fit the page's strict Content-Security-Policy.

Trunk 0.21 starts the wasm with an inline <script type="module">; `script-src 'self'` forbids inline
scripts, so this moves each inline script into its own file beside index.html and references it.
It then checks that no inline script or inline event handler is left.

usage: python3 scripts/finalize_dist.py dist
"""
import hashlib
import pathlib
import re
import sys

INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


def main(dist: pathlib.Path) -> None:
    index = dist / "index.html"
    html = index.read_text(encoding="utf-8")

    def externalise(m: re.Match) -> str:
        attrs, body = m.group("attrs"), m.group("body")
        if "src=" in attrs or not body.strip():
            return m.group(0)
        name = "boot-" + hashlib.sha256(body.encode()).hexdigest()[:16] + ".js"
        (dist / name).write_text(body, encoding="utf-8")
        return f'<script{attrs} src="./{name}"></script>'

    html = INLINE.sub(externalise, html)
    leftovers = [m.group(0)[:80] for m in INLINE.finditer(html) if "src=" not in m.group("attrs") and m.group("body").strip()]
    if leftovers or re.search(r"\son[a-z]+=", html):
        sys.exit(f"inline script left in {index}: {leftovers}")
    index.write_text(html, encoding="utf-8")
    print(f"finalize_dist: {index} has no inline scripts")
    check_lazy_workers(dist, html)


# Workers the page starts only when a view needs them (the SQL console's, on the first visit to
# #/sql): they must be built, and index.html must not name them, or the first load would fetch
# (or preload) them.
LAZY_WORKERS = ["agent-ledger-sql"]


def check_lazy_workers(dist: pathlib.Path, html: str) -> None:
    for name in LAZY_WORKERS:
        files = [f"{name}_loader.js", f"{name}.js", f"{name}_bg.wasm"]
        missing = [f for f in files if not (dist / f).is_file()]
        if missing:
            sys.exit(f"{dist}: the worker {name} is not built: {missing} missing")
        if name in html:
            sys.exit(f"{dist}/index.html names {name}: it must load only when its view opens")
        size = (dist / f"{name}_bg.wasm").stat().st_size
        print(f"finalize_dist: {name} is built ({size:,} bytes of wasm) and loads on demand")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist"))
