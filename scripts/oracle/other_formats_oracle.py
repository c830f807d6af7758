#!/usr/bin/env python3
"""Independent oracle for tests/other_formats.rs (Gemini CLI, tool-call audit, relay NDJSON,
Codex G1/G0 legacy).

Re-implements, in plain Python and without looking at the Rust code, the rules stated in the
module docs of src/formats/{gemini,tool_audit,relay,codex_legacy}.rs (from DESIGN.md section 1-2
and docs/formats.md sections 1.11, 3, 4), and prints for every file: the bucket counts, every
record the tables should hold, and token totals. The numbers are pasted into the Rust tests.

Usage: python3 scripts/oracle/other_formats_oracle.py [files...]
(default: the fixtures under tests/fixtures/ and the real Gemini files under ../shared/corpus/real)
"""
import datetime
import json
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def iso_ms(s):
    """RFC 3339 text -> epoch milliseconds, or None."""
    if not isinstance(s, str):
        return None
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)", s.strip())
    if not m:
        return None
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    frac = m.group(7) or ""
    ms = int((frac[1:] + "000")[:3]) if frac else 0
    tz = m.group(8)
    off = 0 if tz == "Z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[4:6]))
    dt = datetime.datetime(y, mo, d, h, mi, se, tzinfo=datetime.timezone.utc)
    return int(dt.timestamp()) * 1000 + ms - off * 60000


def num_text(v):
    """A JSON number, or a string holding one; None otherwise."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        t = v.strip()
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", t):
            return None
        return int(t) if re.fullmatch(r"[+-]?\d+", t) else float(t)
    return None


def loose_int(v):
    n = num_text(v)
    if n is None:
        return None
    if isinstance(n, float):
        return int(n) if n.is_integer() and abs(n) < 9.2e18 else None
    return n


def loose_time(v):
    n = num_text(v)
    if n is not None:
        return int(n * 1000) if abs(n) < 1e11 else int(n)
    return iso_ms(v)


class Report:
    def __init__(self, name):
        self.name = name
        self.lines = self.parsed = self.skipped = self.dup = self.malformed = 0
        self.malformed_lines = []
        self.notes = []
        self.rows = {"sessions": [], "queries": [], "usage": [], "tool_calls": [], "tool_audit": [], "api_calls": []}

    def count(self, line_no, bucket):
        self.lines += 1
        if bucket == "P":
            self.parsed += 1
        elif bucket == "S":
            self.skipped += 1
        elif bucket == "D":
            self.dup += 1
        else:
            self.malformed += 1
            self.malformed_lines.append(line_no)

    def show(self):
        print(f"== {self.name}")
        print(f"   lines={self.lines} parsed={self.parsed} skipped={self.skipped} "
              f"duplicates={self.dup} malformed={self.malformed} malformed_lines={self.malformed_lines}")
        for n in self.notes:
            print("   note:", n)
        for table, rows in self.rows.items():
            for r in rows:
                print(f"   {table}: {r}")
        u = self.rows["usage"]
        if u:
            keys = ["input", "cached", "output", "reasoning", "total"]
            print("   usage totals:", {k: sum(r[k] for r in u) for k in keys})
        a = self.rows["api_calls"]
        if a:
            print("   api totals:", {k: sum(r[k] for r in a) for k in ["in", "out", "think"]},
                  "cost:", round(sum(r["cost"] or 0 for r in a), 6))


def raw_value_after(raw, key, start):
    """The raw JSON text of the value of the next `"key":` in `raw` from `start`, and its end."""
    k = raw.find('"%s"' % key, start)
    if k < 0:
        return None, start
    p = raw.index(":", k) + 1
    while raw[p] in " \t\r\n":
        p += 1
    _, end = json.JSONDecoder().raw_decode(raw, p)
    return raw[p:end], end


def tool_spans(raw, calls):
    """(args, result) raw JSON texts of each tool call, in order, as they appear in `raw`.
    Good enough for the fixtures: no tool call nests another `"args"`/`"result"` key."""
    out, pos = [], raw.find('"toolCalls"')
    for c in calls:
        args = res = None
        if "args" in c:
            args, pos = raw_value_after(raw, "args", pos)
        if "result" in c:
            res, pos = raw_value_after(raw, "result", pos)
        out.append((args, res))
    return out


def obj_or_reason(line):
    try:
        v = json.loads(line)
    except ValueError as e:
        return None, f"not JSON: {e}"
    if not isinstance(v, dict):
        return None, "not an object"
    return v, None


# ---------------------------------------------------------------- Gemini
class GeminiChat:
    def __init__(self, rep, fmt):
        self.rep, self.fmt = rep, fmt
        self.sid = None
        self.header_line = None
        self.start = self.end = self.first_msg = None
        self.msgs = []  # [records]
        self.by_id = {}

    def raise_end(self, t):
        if t is not None and (self.end is None or t > self.end):
            self.end = t
            return True
        return False

    def header(self, r, line):
        if self.header_line is None:
            self.header_line = line
        if isinstance(r.get("sessionId"), str):
            self.sid = r["sessionId"]
        if iso_ms(r.get("startTime")) is not None:
            self.start = iso_ms(r.get("startTime"))
        self.raise_end(iso_ms(r.get("lastUpdated")))

    def records(self, m, line, raw):
        ts = iso_ms(m.get("timestamp"))
        spans = tool_spans(raw, m.get("toolCalls") or [])
        out = {"query": None, "usage": None, "tools": []}
        if m.get("type") == "user":
            c = m.get("content")
            text = "".join(p.get("text", "") for p in c if isinstance(p, dict) and isinstance(p.get("text"), str)) \
                if isinstance(c, list) else (c if isinstance(c, str) else "")
            if text.strip() and not text.lstrip().startswith("<session_context>"):
                out["query"] = {"line": line, "text": text, "ts": ts}
        elif m.get("type") == "gemini":
            t = m.get("tokens")
            if isinstance(t, dict):
                g = lambda k: t.get(k) or 0
                inp, outp = g("input") + g("tool"), g("output") + g("thoughts")
                out["usage"] = {"line": line, "model": m.get("model") or "unknown", "ts": ts,
                                "input": inp, "cached": g("cached"), "output": outp,
                                "reasoning": g("thoughts"), "total": inp + outp,
                                "raw": (g("input"), g("cached"), g("output"), g("thoughts"), g("tool"), g("total"))}
            for c, (args_raw, result_raw) in zip(m.get("toolCalls") or [], spans):
                st = {"success": "ok", "error": "error", "cancelled": "denied"}.get(c.get("status"), "unknown")
                has_result = c.get("result") is not None
                out["tools"].append({"line": line, "call_id": c.get("id"), "tool": c.get("name") or "unknown",
                                     "status": st, "answered": st != "unknown" or has_result,
                                     "ts": iso_ms(c.get("timestamp")) or ts,
                                     "args": args_raw or "", "result": result_raw if has_result else None})
        return out

    @staticmethod
    def empty(rec):
        return rec["query"] is None and rec["usage"] is None and not rec["tools"]

    @staticmethod
    def key(rec):
        q = rec["query"] and (rec["query"]["text"], rec["query"]["ts"])
        u = rec["usage"] and (rec["usage"]["model"], rec["usage"]["raw"], rec["usage"]["ts"])
        t = [(x["call_id"], x["tool"], x["args"], x["status"], x["ts"], x["result"]) for x in rec["tools"]]
        return (q, u, t)

    def message(self, m, line, raw):
        ts = iso_ms(m.get("timestamp"))
        self.raise_end(ts)
        if ts is not None:
            self.first_msg = ts if self.first_msg is None else min(self.first_msg, ts)
        rec = self.records(m, line, raw)
        mid = m.get("id")
        if mid in self.by_id:
            i = self.by_id[mid]
            if self.key(self.msgs[i]) == self.key(rec):
                return "S" if self.empty(rec) else "D"
            self.msgs[i] = rec
            return "P"
        if mid is not None:
            self.by_id[mid] = len(self.msgs)
        self.msgs.append(rec)
        return "S" if self.empty(rec) else "P"

    def batch(self, msgs, line, raw):
        added = False
        for m in msgs or []:
            if isinstance(m, dict) and m.get("id") not in self.by_id and "type" in m:
                added |= self.message(m, line, raw) == "P"
        return added

    def flush(self):
        sid = self.sid or self.rep.name
        for rec in self.msgs:
            if rec["query"]:
                self.rep.rows["queries"].append(dict(rec["query"], session=sid))
            if rec["usage"]:
                u = dict(rec["usage"], session=sid)
                del u["raw"]
                u["raw_total"] = rec["usage"]["raw"][5]
                self.rep.rows["usage"].append(u)
            for t in rec["tools"]:
                t = dict(t, session=sid, args_bytes=len(t["args"].encode()),
                         output_bytes=None if t["result"] is None else len(t["result"].encode()))
                del t["args"], t["result"]
                self.rep.rows["tool_calls"].append(t)
        self.rep.rows["sessions"].append({"id": sid, "format": self.fmt, "line": self.header_line or 1,
                                          "start": self.start if self.start is not None else self.first_msg,
                                          "end": self.end, "usage_available": True})


def gemini_jsonl(rep, lines, fmt="gemini-jsonl"):
    chat = GeminiChat(rep, fmt)
    for i, line in enumerate(lines, 1):
        if not line.strip():
            rep.count(i, "S")
            continue
        r, why = obj_or_reason(line)
        if r is None:
            rep.count(i, "M")
        elif "$rewindTo" in r:
            rep.count(i, "S")
        elif "$set" in r:
            s = r["$set"]
            changed = chat.raise_end(iso_ms(s.get("lastUpdated")))
            if isinstance(s.get("sessionId"), str) and s["sessionId"] != chat.sid:
                chat.sid = s["sessionId"]
                changed = True
            changed |= chat.batch(s.get("messages"), i, line)
            rep.count(i, "P" if changed else "S")
        elif "id" in r:
            rep.count(i, chat.message(r, i, line) if "type" in r else "M")
        elif "sessionId" in r:
            chat.batch(r.get("messages"), i, line)
            chat.header(r, i)
            rep.count(i, "P")
        else:
            rep.count(i, "S")
    chat.flush()


def gemini_json(rep, text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        # A header line followed by more JSON lines is the JSONL log.
        first, end = json.JSONDecoder().raw_decode(text)
        try:
            json.JSONDecoder().raw_decode(text[end:].lstrip())
            sub = Report(rep.name)
            gemini_jsonl(sub, lines, fmt="gemini-jsonl (read from a sniffed document)")
            rep.rows = sub.rows
            for i in range(len(lines)):
                rep.count(i + 1, "P")
            return
        except json.JSONDecodeError:
            for i in range(len(lines)):
                rep.count(i + 1, "M")
            rep.notes.append(f"document error: {e.msg}: line {e.lineno} column {e.colno}")
            return
    chat = GeminiChat(rep, "gemini-json")
    chat.header(doc, 1)
    # Each message keeps the line where its value opens: walk the array with raw_decode.
    dec = json.JSONDecoder()
    pos = text.index("[", text.index('"messages"')) + 1
    for m in doc.get("messages", []):
        while text[pos] in " \t\r\n,":
            pos += 1
        _, end = dec.raw_decode(text, pos)
        chat.message(m, text.count("\n", 0, pos) + 1, text[pos:end])
        pos = end
    chat.flush()
    for i in range(len(lines)):
        rep.count(i + 1, "P")


# ---------------------------------------------------------------- tool audit
def tool_audit(rep, lines):
    for i, line in enumerate(lines, 1):
        if not line.strip():
            rep.count(i, "S")
            continue
        r, why = obj_or_reason(line)
        if r is None or r.get("tool") is None or r.get("ts") is None or not isinstance(r.get("tool"), str):
            rep.count(i, "M")
            continue
        rc = r.get("result_chars")
        if rc is not None and loose_int(rc) is None:
            rep.count(i, "M")
            continue
        args = json.dumps(r["args"], separators=(",", ":"), ensure_ascii=False) if "args" in r else ""
        rep.rows["tool_audit"].append({"line": i, "ts": r["ts"] if isinstance(r["ts"], str) else json.dumps(r["ts"]),
                                       "ts_ms": loose_time(r["ts"]), "user": r.get("user", ""), "tool": r["tool"],
                                       "status": r.get("status", ""), "result_chars": None if rc is None else loose_int(rc),
                                       "args_bytes": len(args.encode()), "engine": r.get("engine")})
        rep.count(i, "P")


# ---------------------------------------------------------------- relay
def relay(rep, lines):
    for i, line in enumerate(lines, 1):
        if not line.strip():
            rep.count(i, "S")
            continue
        r, why = obj_or_reason(line)
        ts = None if r is None or r.get("ts") is None else loose_time(r["ts"])
        if ts is None:
            rep.count(i, "M")
            continue
        ok = True
        row = {"line": i, "ts": ts}
        for k, short in (("input_tokens", "in"), ("output_tokens", "out"), ("thinking_tokens", "think")):
            v = r.get(k)
            row[short] = 0 if v is None else loose_int(v)
            ok &= row[short] is not None
        for k, short in (("duration_ms", "dur"), ("cost_usd", "cost"), ("credit_charged", "credit")):
            v = r.get(k)
            if isinstance(v, bool) and k == "credit_charged":
                row[short] = 1.0 if v else 0.0
            else:
                row[short] = None if v is None else num_text(v)
                ok &= v is None or row[short] is not None
        if not ok:
            rep.count(i, "M")
            continue
        for k in ("install_id", "tier", "pipeline", "backend", "model", "status"):
            row[k] = r.get(k) or ""
        for k in ("job_id", "error"):
            v = r.get(k)
            row[k] = None if v is None else (v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
        rep.rows["api_calls"].append(row)
        rep.count(i, "P")


# ---------------------------------------------------------------- Codex legacy
INJECTED = ("<environment_context>", "<user_instructions>", "<permissions", "# AGENTS.md")


class Legacy:
    def __init__(self, rep, fmt):
        self.rep, self.fmt = rep, fmt
        self.session = None
        self.queries, self.calls, self.open = [], [], {}

    def header(self, h, line):
        if self.session is not None:
            return "S"
        git = h.get("git") or {}
        self.session = {"id": h.get("id"), "format": self.fmt, "line": line, "start": iso_ms(h.get("timestamp")),
                        "branch": git.get("branch"), "commit": git.get("commit_hash"),
                        "remote": git.get("repository_url"), "usage_available": False}
        return "P"

    def item(self, it, line):
        t = it.get("type")
        if t == "message" and it.get("role") == "user":
            c = it.get("content")
            text = "\n".join(p["text"] for p in c if isinstance(p, dict) and isinstance(p.get("text"), str)) \
                if isinstance(c, list) else (c if isinstance(c, str) else "")
            if not text.strip() or text.lstrip().startswith(INJECTED):
                return "S"
            self.queries.append({"line": line, "text": text})
            return "P"
        if t in ("function_call", "local_shell_call"):
            if t == "function_call":
                a = it.get("arguments")
                args = a if isinstance(a, str) else ("" if a is None else json.dumps(a, separators=(",", ":")))
                tool = it.get("name") or "unknown"
            else:
                a = it.get("action")
                args = "" if a is None else json.dumps(a, separators=(",", ":"))
                tool = "local_shell"
            call = {"line": line, "kind": t, "tool": tool, "call_id": it.get("call_id"), "args_bytes": len(args.encode()),
                    "status": "unknown", "output_line": None, "exit": None, "duration_ms": None, "output_bytes": None}
            if it.get("call_id") is not None:
                self.open[it["call_id"]] = call
            self.calls.append(call)
            return "P"
        if t == "function_call_output":
            call = self.open.pop(it.get("call_id"), None)
            if call is None:
                return "S"
            o = it.get("output")
            text = o if isinstance(o, str) else json.dumps(o, separators=(",", ":"))
            call.update(status="ok", output_line=line, output_bytes=len(text.encode()))
            try:
                meta = json.loads(text).get("metadata") or {}
                call["exit"] = meta.get("exit_code")
                if meta.get("duration_seconds") is not None:
                    call["duration_ms"] = meta["duration_seconds"] * 1000
            except (ValueError, AttributeError):
                pass
            return "P"
        return "S"

    def flush(self):
        s = self.session or {"id": None, "format": self.fmt, "line": 1, "usage_available": False}
        sid = s["id"] or self.rep.name
        s["id"] = sid
        for q in self.queries:
            self.rep.rows["queries"].append(dict(q, session=sid))
        for c in self.calls:
            self.rep.rows["tool_calls"].append(dict(c, session=sid))
        self.rep.rows["sessions"].append(s)


def codex_g1(rep, lines):
    st = Legacy(rep, "codex-g1")
    for i, line in enumerate(lines, 1):
        if not line.strip():
            rep.count(i, "S")
            continue
        r, why = obj_or_reason(line)
        if r is None:
            rep.count(i, "M")
        elif "type" in r:
            rep.count(i, st.item(r, i))
        elif "record_type" in r:
            rep.count(i, "S")
        elif "id" in r and "timestamp" in r:
            rep.count(i, st.header(r, i))
        else:
            rep.count(i, "M")
    st.flush()


def codex_g0(rep, text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    doc = json.loads(text)
    st = Legacy(rep, "codex-g0")
    st.header(doc.get("session") or {}, 1)
    for it in doc.get("items", []):
        if isinstance(it, dict) and "type" in it:
            st.item(it, 1)
    st.flush()
    for i in range(len(lines)):
        rep.count(i + 1, "P")


# ---------------------------------------------------------------- driver
def run(path, kind):
    rep = Report(os.path.basename(path))
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    {"gemini-jsonl": lambda: gemini_jsonl(rep, lines), "gemini-json": lambda: gemini_json(rep, text),
     "tool-audit": lambda: tool_audit(rep, lines), "relay": lambda: relay(rep, lines),
     "codex-g1": lambda: codex_g1(rep, lines), "codex-g0": lambda: codex_g0(rep, text)}[kind]()
    rep.show()


def main():
    fx = os.path.join(ROOT, "tests", "fixtures")
    real = os.path.join(ROOT, "..", "shared", "corpus", "real", "gemini-cli")
    files = [
        (os.path.join(real, "agent-sessions__gemini__jsonl_v040.jsonl"), "gemini-jsonl"),
        (os.path.join(real, "agent-sessions__gemini__small.json"), "gemini-json"),
        (os.path.join(fx, "gemini", "rewrite.jsonl"), "gemini-jsonl"),
        (os.path.join(fx, "gemini", "chat.json"), "gemini-json"),
        (os.path.join(fx, "gemini", "header-with-messages.jsonl"), "gemini-json"),
        (os.path.join(fx, "gemini", "trailing.json"), "gemini-json"),
        (os.path.join(fx, "tool_audit", "2026-01-05.jsonl"), "tool-audit"),
        (os.path.join(fx, "relay", "relay-calls.ndjson"), "relay"),
        (os.path.join(fx, "codex_legacy", "rollout-2025-06-01T10-00-00-g1.jsonl"), "codex-g1"),
        (os.path.join(fx, "codex_legacy", "rollout-g0.json"), "codex-g0"),
    ]
    for path, kind in files:
        if os.path.exists(path):
            run(path, kind)
        else:
            print(f"== {os.path.basename(path)}: absent")


if __name__ == "__main__":
    main()
