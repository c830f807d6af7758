#!/usr/bin/env python3
"""Fold the built page (a release dist/ after finalize_dist.py) into ONE self-contained HTML file.

The file must work opened from disk (file://) and make no request at all, not even to data: URLs,
so nothing is fetched, however it is encoded:
- the stylesheet becomes a <style>, allowed by its hash;
- the page's wasm-bindgen glue (an ES module) becomes one inline <script type="module">, allowed by
  its hash, followed by a boot that decodes the page's wasm from base64 to bytes and starts it with
  them (wasm-bindgen's init takes bytes and then never fetches);
- the workers' glue and wasm sit base64-encoded in <script type="application/octet-stream"> data
  blocks (never executed, only read); the boot defines `window.agentLedgerWorker`, which
  src/ui/client.rs calls instead of loading agent-ledger-worker_loader.js: it starts the worker from
  a Blob URL made of the glue, then posts the worker its wasm as bytes. Inside that worker,
  `self.agentLedgerWorker` starts more workers of the same binary from the same Blob URL (the zip's
  second worker, the parse pool); `window.agentLedgerSqlWorker` starts the SQL console's worker,
  decoding its blocks only then;
- the CSP drops 'self' (a file:// page has no origin worth naming) and says connect-src 'none'.

usage: python3 scripts/single_file.py DIST OUT.html
"""
import base64
import hashlib
import pathlib
import re
import sys

# Read the data blocks' base64 into bytes without fetch(): Chromium has Uint8Array.fromBase64 (140+);
# atob is the fallback.
BOOT = r"""
// ---- single-file boot (scripts/single_file.py) ----
const agentLedgerBytes = (id) => {
  const el = document.getElementById(id);
  const text = el.textContent.trim();
  el.remove();
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const bin = atob(text), out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};
{
  const glue = new TextDecoder().decode(agentLedgerBytes('agent-ledger-worker-js'));
  const wasmBytes = agentLedgerBytes('agent-ledger-worker-wasm');
  // The worker's first message is its wasm; it starts the engine with those bytes (no fetch). The
  // engine then installs its own onmessage and says `ready`; the page holds every command until then.
  // Inside, `self.agentLedgerWorker` starts another worker of the same binary the same way (the zip's
  // second worker, the parse pool: src/worker/io.rs, new_sibling). It makes a Blob URL of its own
  // from the script's text, handed over in the first message too: a worker of a file:// page has an
  // opaque origin of its own, and may not start a worker from the page's Blob URL.
  const start = `
self.onmessage = (e) => {
  self.onmessage = null;
  const { agentLedgerWasm: wasm, agentLedgerScript: script } = e.data;
  let url = null;
  self.agentLedgerWorker = (name) => {
    url = url || URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
    const worker = new Worker(url, { name });
    worker.postMessage({ agentLedgerWasm: wasm, agentLedgerScript: script });
    return worker;
  };
  wasm_bindgen({ module_or_path: wasm });
};`;
  const script = glue + start;
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  window.agentLedgerWorker = () => {
    const worker = new Worker(url, { name: 'agent-ledger-worker' });
    worker.postMessage({ agentLedgerWasm: wasmBytes, agentLedgerScript: script });
    return worker;
  };
}
// The SQL console's worker (#/sql): its 4.5 MB engine is decoded and started only when the console is
// first opened, as the served page fetches it only then (src/ui/client.rs).
window.agentLedgerSqlWorker = () => {
  const glue = new TextDecoder().decode(agentLedgerBytes('agent-ledger-sql-js'));
  const wasmBytes = agentLedgerBytes('agent-ledger-sql-wasm');
  const start = `
self.onmessage = (e) => { self.onmessage = null; wasm_bindgen({ module_or_path: e.data.agentLedgerWasm }); };`;
  const worker = new Worker(URL.createObjectURL(new Blob([glue, start], { type: 'text/javascript' })), { name: 'agent-ledger-sql' });
  worker.postMessage({ agentLedgerWasm: wasmBytes });
  window.agentLedgerSqlWorker = null;
  return worker;
};
const agentLedgerWasm = await __INIT__({ module_or_path: agentLedgerBytes('agent-ledger-wasm') });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: agentLedgerWasm } }));
"""


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def data_block(id_: str, data: bytes) -> str:
    b64 = base64.b64encode(data).decode("ascii")
    # One line of base64: only [A-Za-z0-9+/=], so nothing in it can end the element early.
    return f'<script type="application/octet-stream" id="{id_}">{b64}</script>'


def only(paths, what):
    paths = list(paths)
    if len(paths) != 1:
        sys.exit(f"single_file: expected one {what}, found {[p.name for p in paths]}")
    return paths[0]


def main(dist: pathlib.Path, out: pathlib.Path) -> None:
    html = (dist / "index.html").read_text(encoding="utf-8")

    # The page's glue and wasm, named by the boot script finalize_dist.py moved out of index.html.
    boot_name = only(re.findall(r'<script type="module" src="\./(boot-[0-9a-f]+\.js)"></script>', html), "boot script")
    boot = (dist / boot_name).read_text(encoding="utf-8")
    glue_name = only(re.findall(r"from '\./([^']+\.js)'", boot), "glue import")
    wasm_name = only(re.findall(r"module_or_path: '\./([^']+\.wasm)'", boot), "wasm path")
    glue = (dist / glue_name).read_text(encoding="utf-8")
    init = only(re.findall(r"export \{[^}]*\b(\w+) as default\b", glue), "default export of the glue")
    css_name = only(re.findall(r'<link rel="stylesheet" href="\./([^"]+\.css)"[^>]*/?>', html), "stylesheet")
    css = (dist / css_name).read_text(encoding="utf-8")
    worker_glue = (dist / "agent-ledger-worker.js").read_bytes()
    worker_wasm = (dist / "agent-ledger-worker_bg.wasm").read_bytes()
    sql_glue = (dist / "agent-ledger-sql.js").read_bytes()
    sql_wasm = (dist / "agent-ledger-sql_bg.wasm").read_bytes()
    for name, text in [("agent-ledger-worker.js", worker_glue), ("agent-ledger-sql.js", sql_glue)]:
        if b"wasm_bindgen" not in text:
            sys.exit(f"single_file: {name} is not wasm-bindgen's no-modules glue")

    module = glue + BOOT.replace("__INIT__", init)
    # Inline text ends at the first `</script` or `</style`; glue that held one would break the page.
    for name, text, end in [(glue_name, module, "</script"), (css_name, css, "</style")]:
        if end in text.lower() or "<!--" in text:
            sys.exit(f"single_file: {name} holds {end!r} or '<!--' and cannot be inlined as is")

    # The served page's CSP, with 'self' replaced by exactly what is inlined.
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy"\s+content="([^"]*)" />')
    served = only(meta.findall(html), "CSP meta")
    csp = (
        "default-src 'none'; "
        f"script-src {csp_hash(module)} 'wasm-unsafe-eval'; "
        f"style-src {csp_hash(css)}; "
        + re.search(r"style-src-attr [^;]+;", served).group(0)
        + " img-src data: blob:; connect-src 'none'; worker-src blob:; font-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    note = ("<!-- The single file (scripts/single_file.py): its one script and style are inline, allowed by hash;\n"
            "         no request at all: connect-src 'none', the worker from a Blob URL. -->\n    ")
    # The served page's note on its CSP ("no inline scripts") is not true of this file.
    html = re.sub(r"<!-- Log text is hostile.*?-->\s*", "", html, flags=re.S)
    html, n = meta.subn(lambda m: note + m.group(0).replace(served, csp), html)
    assert n == 1, "the CSP meta"

    # Drop what referenced files: the boot script, preloads, the stylesheet link.
    html = html.replace(f'<script type="module" src="./{boot_name}"></script>', "")
    html = re.sub(r'<link rel="(?:modulepreload|preload)"[^>]*>', "", html)
    blocks = "\n".join([
        f"<style>{css}</style>",
        data_block("agent-ledger-wasm", (dist / wasm_name).read_bytes()),
        data_block("agent-ledger-worker-wasm", worker_wasm),
        data_block("agent-ledger-worker-js", worker_glue),
        data_block("agent-ledger-sql-wasm", sql_wasm),
        data_block("agent-ledger-sql-js", sql_glue),
        f'<script type="module">{module}</script>',
    ])
    html, n = re.subn(r'<link rel="stylesheet" href="\./[^"]+\.css"[^>]*/?>', lambda _: blocks, html)
    assert n == 1, "the stylesheet link"

    left = re.findall(r'(?:src|href)="(?!data:,)[^"]*"', html)
    if left:
        sys.exit(f"single_file: references left in the page: {left}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    print(f"single_file: {out} ({out.stat().st_size / 1e6:.1f} MB), no reference to any other file")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
