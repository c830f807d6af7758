#!/usr/bin/env python3
"""Independent oracle for the Claude Code adapter (stdlib only).

Written from the rules in docs/formats.md section 2, DESIGN.md section 2 ("Claude Code", "Token
subsets") and the adapter brief, not from the Rust code. Feed it the files of ONE ingest (order
matters: file ids follow the argument order, and dedup runs across all of them):

    python3 scripts/oracle/claude_oracle.py FILE... [--rows]

It prints, per file, the line buckets (lines, parsed, skipped, duplicates, malformed), then the
tables' counts and token totals; --rows also lists every kept usage row and every tool call.

Rules as implemented here:
- Lines: split on LF; a final line without LF counts; the first line loses a UTF-8 BOM, every line
  a trailing CR. Blank (ASCII whitespace only) lines are skipped.
- Malformed: not JSON, not a JSON object, `type` not a string, or a user/assistant line whose
  `message` is not an object.
- assistant, model `<synthetic>`: skipped, no records. Otherwise: a usage row when
  `message.usage` is an object; a routing row for the first line of each non-empty message.id in
  the file; a tool call per `tool_use` block (an id already seen in the file is not a new call).
  Parsed if any of those, else skipped.
- user: `permissionMode` (string) becomes the current approval policy. A query when not isMeta,
  not isCompactSummary, and the text (string content, or the text of `type: text` blocks joined
  by "\n") is not blank after stripping leading whitespace and does not start (after it) with
  `<command-name>`, `<local-command-stdout>` or `Caveat:`. Every `tool_result` block is an output:
  linked to the open call (no output yet) with its tool_use_id, else an output-without-call row.
  Parsed if a query or at least one tool_result, else skipped.
- Every other type: skipped.
- Dedup over all files: (1) a sidechain Claude usage row whose message.id (request key before
  `|`) is also on a main-chain row is dropped; (2) per request key (`id|requestId`, or `id` when
  requestId is missing or empty; rows without message.id are never deduped) the largest
  input+cache_creation+cache_read+output stays, ties to the earliest (file, line). Dropped rows'
  lines move from parsed to duplicates.
"""
import json
import math
import sys
from datetime import datetime

DENIAL = "The user doesn't want to proceed"
NOT_QUERY = ("<command-name>", "<local-command-stdout>", "Caveat:")


def is_str(v):
    return isinstance(v, str)


def s(d, k):
    v = d.get(k)
    return v if is_str(v) else None


def num(v):
    """Lenient token count: int, float (truncated), numeric string; anything else 0."""
    if isinstance(v, bool) or v is None:
        return 0
    if isinstance(v, int):
        return max(min(v, 2**63 - 1), -(2**63))
    if isinstance(v, float):
        if math.isnan(v):
            return 0
        if math.isinf(v):
            return 2**63 - 1 if v > 0 else -(2**63)
        return max(min(int(v), 2**63 - 1), -(2**63))
    if isinstance(v, str):
        t = v.strip()
        try:
            return int(t)
        except ValueError:
            try:
                return num(float(t))
            except ValueError:
                return 0
    return 0


def fnum(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        x = float(v)
    elif isinstance(v, str):
        try:
            x = float(v.strip())
        except ValueError:
            return None
    else:
        return None
    return x if math.isfinite(x) else None


def iso_ms(v):
    if not is_str(v):
        return None
    try:
        dt = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return round(dt.timestamp() * 1000)


def read_lines(path):
    data = open(path, "rb").read()
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    out = []
    for i, raw in enumerate(parts):
        if i == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        out.append(raw)
    return out


def result_texts(content):
    if is_str(content):
        return [content]
    if isinstance(content, list):
        return [b["text"] for b in content if isinstance(b, dict) and is_str(b.get("text"))]
    return []


def query_text(content):
    if is_str(content):
        text = content
    elif isinstance(content, list):
        parts = [b["text"] for b in content if isinstance(b, dict) and b.get("type") == "text" and is_str(b.get("text"))]
        text = "\n".join(parts)
    else:
        return None
    head = text.lstrip(" \t\n\r\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\x85")
    if not head or head.startswith(NOT_QUERY):
        return None
    return text


class FileResult:
    def __init__(self, fid, path):
        self.fid, self.path = fid, path
        self.lines = self.parsed = self.skipped = self.duplicates = self.malformed = 0
        self.malformed_at = []


def parse_file(fid, path, T):
    r = FileResult(fid, path)
    sessions = {}
    session_order = []
    routed = set()
    mode = None
    calls = []
    by_id = {}

    for no, raw in enumerate(read_lines(path), start=1):
        r.lines += 1
        if raw.strip(b" \t\n\r\x0c") == b"":
            r.skipped += 1
            continue
        try:
            d = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            r.malformed += 1
            r.malformed_at.append(no)
            continue
        if not isinstance(d, dict) or not is_str(d.get("type")):
            r.malformed += 1
            r.malformed_at.append(no)
            continue
        kind = d["type"]
        ts = iso_ms(d.get("timestamp"))
        sid = s(d, "sessionId") or ""
        src = (fid, no)
        bucket = "skipped"
        if kind in ("user", "assistant"):
            msg = d.get("message")
            if not isinstance(msg, dict):
                r.malformed += 1
                r.malformed_at.append(no)
                continue
            content = msg.get("content")
            blocks = [b for b in content if isinstance(b, dict)] if isinstance(content, list) else []
            if kind == "assistant" and s(msg, "model") != "<synthetic>":
                made = False
                model = s(msg, "model") or "unknown"
                mid = s(msg, "id") or ""
                u = msg.get("usage")
                if isinstance(u, dict):
                    cc = u.get("cache_creation") if isinstance(u.get("cache_creation"), dict) else {}
                    det = u.get("output_tokens_details") if isinstance(u.get("output_tokens_details"), dict) else {}
                    rid = s(d, "requestId") or ""
                    row = {
                        "src": src, "session": sid, "model": model,
                        "in": num(u.get("input_tokens")), "cw": num(u.get("cache_creation_input_tokens")),
                        "cr": num(u.get("cache_read_input_tokens")), "out": num(u.get("output_tokens")),
                        "w5m": num(cc.get("ephemeral_5m_input_tokens")), "w1h": num(cc.get("ephemeral_1h_input_tokens")),
                        "think": num(det.get("thinking_tokens")),
                        "partial": msg.get("stop_reason") is None,
                        "fast": u.get("speed") == "fast",
                        "side": d.get("isSidechain") is True,
                        "key": (mid + "|" + rid if rid else mid) if mid else None,
                    }
                    T["usage"].append(row)
                    made = True
                if mid and mid not in routed:
                    routed.add(mid)
                    T["routing"].append({"src": src, "model": model, "policy": mode, "cwd": s(d, "cwd"), "effort": s(d, "effort")})
                    made = True
                for b in blocks:
                    if b.get("type") != "tool_use":
                        continue
                    cid = s(b, "id") or None
                    if cid is not None and cid in by_id:
                        continue
                    inp = b.get("input")
                    args = json.dumps(inp, separators=(",", ":"), ensure_ascii=False) if inp is not None else ""
                    call = {"src": src, "ts": ts, "id": cid, "tool": s(b, "name") or "", "kind": "tool_use",
                            "model": model, "status": "unknown", "out_src": None, "out_bytes": None,
                            "dur": None, "dur_src": None, "args_bytes": len(args.encode("utf-8"))}
                    if cid is not None:
                        by_id[cid] = len(calls)
                    calls.append(call)
                    made = True
                bucket = "parsed" if made else "skipped"
            elif kind == "user":
                made = False
                if s(d, "permissionMode") is not None:
                    mode = d["permissionMode"]
                if d.get("isMeta") is not True and d.get("isCompactSummary") is not True:
                    text = query_text(content)
                    if text is not None:
                        T["queries"].append({"src": src, "text": text})
                        made = True
                results = [b for b in blocks if b.get("type") == "tool_result"]
                tur = d.get("toolUseResult")
                own = None
                if len(results) == 1 and isinstance(tur, dict):
                    own = fnum(tur.get("durationMs"))
                    if own is None:
                        secs = fnum(tur.get("durationSeconds"))
                        own = secs * 1000 if secs is not None else None
                for b in results:
                    made = True
                    tid = s(b, "tool_use_id")
                    i = by_id.get(tid) if tid is not None else None
                    if i is None or calls[i]["out_src"] is not None:
                        calls.append({"src": src, "ts": ts, "id": tid, "tool": "(no call)", "kind": "output_without_call",
                                      "model": None, "status": "unknown", "out_src": None, "out_bytes": None,
                                      "dur": None, "dur_src": None, "args_bytes": 0})
                        i = len(calls) - 1
                    c = calls[i]
                    texts = result_texts(b.get("content"))
                    c["out_src"] = src
                    c["out_bytes"] = sum(len(t.encode("utf-8")) for t in texts)
                    if d.get("toolDenialKind") is not None or any(DENIAL in t for t in texts):
                        c["status"] = "denied"
                    elif b.get("is_error") is True:
                        c["status"] = "error"
                    else:
                        c["status"] = "ok"
                    if own is not None:
                        c["dur"], c["dur_src"] = own, "end_event"
                    elif c["kind"] == "tool_use" and c["ts"] is not None and ts is not None and ts >= c["ts"]:
                        c["dur"], c["dur_src"] = float(ts - c["ts"]), "timestamps"
                bucket = "parsed" if made else "skipped"
        if bucket == "parsed":
            r.parsed += 1
        else:
            r.skipped += 1
        if sid:
            if sid not in sessions:
                sessions[sid] = {"id": sid, "src": src, "start": None, "end": None, "cwd": None, "version": None,
                                 "entry": None, "branch": None, "agent": False, "side": False}
                session_order.append(sid)
            S = sessions[sid]
            if ts is not None:
                S["start"] = ts if S["start"] is None else min(S["start"], ts)
                S["end"] = ts if S["end"] is None else max(S["end"], ts)
            for field, key in (("cwd", "cwd"), ("version", "version"), ("entry", "entrypoint"), ("branch", "gitBranch")):
                if S[field] is None and s(d, key):
                    S[field] = d[key]
            S["agent"] |= bool(s(d, "agentId"))
            S["side"] |= d.get("isSidechain") is True
    T["tool_calls"].extend(calls)
    for sid in session_order:
        S = sessions[sid]
        S["source"] = "subagent" if S["agent"] else "sidechain" if S["side"] else "cli"
        T["sessions"].append(S)
    return r


def token_sum(row):
    return row["in"] + row["cw"] + row["cr"] + row["out"]


def dedupe(rows):
    main_ids = {row["key"].split("|", 1)[0] for row in rows if row["key"] is not None and not row["side"]}
    dropped = set()
    for i, row in enumerate(rows):
        if row["side"] and row["key"] is not None and row["key"].split("|", 1)[0] in main_ids:
            dropped.add(i)
    groups = {}
    for i, row in enumerate(rows):
        if row["key"] is None or i in dropped:
            continue
        groups.setdefault(row["key"], []).append(i)
    for members in groups.values():
        winner = max(members, key=lambda i: (token_sum(rows[i]), tuple(-x for x in rows[i]["src"])))
        dropped.update(m for m in members if m != winner)
    return dropped


def main(argv):
    show_rows = "--rows" in argv
    paths = [a for a in argv if a != "--rows"]
    T = {"usage": [], "routing": [], "queries": [], "tool_calls": [], "sessions": []}
    results = [parse_file(fid, p, T) for fid, p in enumerate(paths)]
    dropped = dedupe(T["usage"])
    for i in sorted(dropped):
        results[T["usage"][i]["src"][0]].parsed -= 1
        results[T["usage"][i]["src"][0]].duplicates += 1
    kept = [row for i, row in enumerate(T["usage"]) if i not in dropped]

    print("file | lines parsed skipped duplicates malformed | malformed lines")
    for r in results:
        print(f"{r.path.rsplit('/', 1)[-1]} | {r.lines} {r.parsed} {r.skipped} {r.duplicates} {r.malformed} | {r.malformed_at}")
    for fid, r in enumerate(results):
        rows = [row for row in kept if row["src"][0] == fid]
        calls = [c for c in T["tool_calls"] if c["src"][0] == fid]
        statuses = {}
        for c in calls:
            statuses[c["status"]] = statuses.get(c["status"], 0) + 1
        print(f"-- {r.path.rsplit('/', 1)[-1]}")
        print(f"usage rows before dedup {sum(1 for row in T['usage'] if row['src'][0] == fid)}, kept {len(rows)}, "
              f"possibly_partial {sum(row['partial'] for row in rows)}, sidechain {sum(row['side'] for row in rows)}, "
              f"fast {sum(row['fast'] for row in rows)}")
        inp = sum(row["in"] + row["cw"] + row["cr"] for row in rows)
        out = sum(row["out"] for row in rows)
        print(f"normalized input {inp} cached {sum(row['cr'] for row in rows)} cache_creation {sum(row['cw'] for row in rows)} "
              f"output {out} reasoning {sum(row['think'] for row in rows)} total {inp + out}")
        print(f"raw input {sum(row['in'] for row in rows)} cache_creation {sum(row['cw'] for row in rows)} "
              f"cache_read {sum(row['cr'] for row in rows)} 5m {sum(row['w5m'] for row in rows)} "
              f"1h {sum(row['w1h'] for row in rows)} output {out}")
        print(f"queries {sum(1 for q in T['queries'] if q['src'][0] == fid)}, routing {sum(1 for x in T['routing'] if x['src'][0] == fid)}")
        print(f"tool calls {len(calls)} (tool_use {sum(c['kind'] == 'tool_use' for c in calls)}, "
              f"output_without_call {sum(c['kind'] == 'output_without_call' for c in calls)}) statuses {dict(sorted(statuses.items()))} "
              f"durations end_event {sum(c['dur_src'] == 'end_event' for c in calls)} timestamps {sum(c['dur_src'] == 'timestamps' for c in calls)} "
              f"duration_ms_sum {sum(c['dur'] or 0 for c in calls)} output_bytes_sum {sum(c['out_bytes'] or 0 for c in calls)} "
              f"args_bytes_sum {sum(c['args_bytes'] for c in calls)}")
        for S in (x for x in T["sessions"] if x["src"][0] == fid):
            print(f"session {S['id']} line {S['src'][1]} start {S['start']} end {S['end']} source {S['source']} "
                  f"cwd {S['cwd']} version {S['version']} entry {S['entry']} branch {S['branch']}")
        if show_rows:
            for row in rows:
                print(f"  usage {row['src'][1]} {row['key']} in {row['in']} cw {row['cw']} cr {row['cr']} out {row['out']} "
                      f"partial {row['partial']} side {row['side']}")
            for c in calls:
                print(f"  call {c['src'][1]} {c['tool']} {c['id']} {c['status']} out {c['out_src'] and c['out_src'][1]} "
                      f"bytes {c['out_bytes']} dur {c['dur']} {c['dur_src']} args {c['args_bytes']}")
            for q in (q for q in T["queries"] if q["src"][0] == fid):
                print(f"  query {q['src'][1]} {q['text'][:60]!r}")
            for x in (x for x in T["routing"] if x["src"][0] == fid):
                print(f"  routing {x['src'][1]} {x['model']} policy {x['policy']} effort {x['effort']}")


if __name__ == "__main__":
    main(sys.argv[1:])
