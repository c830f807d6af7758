#!/usr/bin/env python3
"""Independent oracle for Codex rollout accounting (DESIGN.md section 2), written from the rules,
not from the Rust code. Prints, per file, the buckets and totals that tests/codex.rs pins.

usage: python3 scripts/oracle/codex_oracle.py FILE...   (files are treated as loaded together)
"""
import json, sys
from datetime import datetime

INJECTED = ("<environment_context>", "<user_instructions>", "<permissions", "# AGENTS.md", "<user_shell_command>")
FIELDS = ("input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens")
TOOL_ITEMS = ("function_call", "custom_tool_call", "local_shell_call", "web_search_call")


def has_time(ts):
    """Whether a line's timestamp is an RFC 3339 instant (rows without one have no day or hour)."""
    try:
        datetime.fromisoformat(ts.replace("Z", "+00:00"))
        return True
    except (AttributeError, ValueError):
        return False


def analyse(path):
    r = dict(file=path.split("/")[-1], lines=0, parsed=0, skipped=0, duplicates=0, malformed=0,
             rows=[], queries=0, tool_calls=0, unanswered=0, orphans=0, markers=0, reemits=0,
             session_id=None, parent=None, last_total=None, timed=[])
    calls, answered, open_searches = {}, set(), []
    last_total = None
    last_query = None
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for raw in lines:
        r["lines"] += 1
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            r["skipped"] += 1
            continue
        try:
            o = json.loads(raw)
        except Exception:
            r["malformed"] += 1
            continue
        if not isinstance(o, dict) or "type" not in o:
            r["malformed"] += 1
            continue
        t, p = o["type"], o.get("payload") or {}
        pt = p.get("type") if isinstance(p, dict) else None
        bucket = "skipped"
        if t == "session_meta":
            if r["session_id"] is None:
                r["session_id"] = p.get("id")
                r["parent"] = p.get("forked_from_id") or p.get("parent_thread_id")
                bucket = "parsed"
        elif t == "turn_context":
            bucket = "parsed"
        elif t == "event_msg" and pt == "token_count":
            info = p.get("info")
            if info and info.get("total_token_usage"):
                tot = tuple(info["total_token_usage"].get(k, 0) for k in FIELDS)
                last = info.get("last_token_usage") or {}
                vals = [last.get(k, 0) for k in FIELDS]
                if vals[4] != 0 and not any(vals[:4]):
                    r["markers"] += 1  # context-size marker: skipped, whatever the total does
                    last_total = tot
                elif tot == last_total:
                    bucket = "duplicates"; r["reemits"] += 1
                else:
                    last_total = tot
                    bucket = "parsed"
                    r["rows"].append((vals, tot))
                    r["timed"].append(has_time(o.get("timestamp")))
        elif t == "event_msg" and pt == "user_message":
            msg = p.get("message")
            if isinstance(msg, str) and not msg.lstrip().startswith(INJECTED):
                if last_query == (True, msg):
                    bucket = "duplicates"
                else:
                    bucket = "parsed"; r["queries"] += 1; last_query = (False, msg)
        elif t == "event_msg" and pt in ("exec_command_end", "mcp_tool_call_end", "patch_apply_end", "web_search_end"):
            if p.get("call_id") in calls:
                bucket = "parsed"
            elif pt == "web_search_end" and open_searches:
                open_searches.pop(0); bucket = "parsed"
        elif t == "event_msg" and pt == "item_completed":
            item = p.get("item") or {}
            if item.get("type") in ("UserMessage", "userMessage"):
                text = item.get("text")
                if not isinstance(text, str):
                    parts = [c.get("text") for c in item.get("content") or [] if isinstance(c, dict) and isinstance(c.get("text"), str)]
                    text = "\n".join(parts) if parts else None
                if text is not None and not text.lstrip().startswith(INJECTED):
                    if last_query == (False, text):
                        bucket = "duplicates"
                    else:
                        bucket = "parsed"; r["queries"] += 1; last_query = (True, text)
            elif item.get("id") in calls:
                bucket = "parsed"
        elif t == "response_item" and pt in TOOL_ITEMS:
            bucket = "parsed"; r["tool_calls"] += 1
            if p.get("call_id") is not None:
                calls[p["call_id"]] = True
            elif pt == "web_search_call":
                open_searches.append(True)
        elif t == "response_item" and pt in ("function_call_output", "custom_tool_call_output"):
            bucket = "parsed"
            if p.get("call_id") in calls:
                answered.add(p["call_id"])
            else:
                r["orphans"] += 1
        r[bucket] += 1
    r["unanswered"] = sum(1 for c in calls if c not in answered)
    r["last_total"] = last_total
    return r


def main(paths):
    files = [analyse(p) for p in paths]
    by_id = {f["session_id"]: f for f in files if f["session_id"]}
    for f in files:
        parent = by_id.get(f["parent"]) if f["parent"] else None
        f["replayed"] = 0
        if parent is not None and parent is not f:
            n = 0
            for (_, a), (_, b) in zip(f["rows"], parent["rows"]):
                if a != b:
                    break
                n += 1
            f["replayed"] = n
            f["parsed"] -= n
            f["duplicates"] += n
    for f in files:
        rows = f["rows"][f["replayed"]:]
        sums = [sum(v[i] for v, _ in rows) for i in range(5)]
        print(json.dumps({k: f[k] for k in ("file", "lines", "parsed", "skipped", "duplicates", "malformed",
                                            "queries", "tool_calls", "unanswered", "orphans", "markers",
                                            "reemits", "replayed")} |
                         {"usage_rows": len(rows), "sum_input": sums[0], "sum_cached": sums[1],
                          "sum_output": sums[2], "sum_reasoning": sums[3], "sum_total": sums[4],
                          "rows_without_time": f["timed"][f["replayed"]:].count(False),
                          "last_total": f["last_total"][4] if f["last_total"] else None}))


if __name__ == "__main__":
    main(sys.argv[1:])
