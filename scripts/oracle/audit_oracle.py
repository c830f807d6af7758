#!/usr/bin/env python3
"""Independent oracle for the audit checks over Codex rollouts (DESIGN.md section 3), written from
the rules, not from the Rust code. Prints what tests/audit.rs pins for the real samples.

usage: python3 scripts/oracle/audit_oracle.py FILE...

Row rules (DESIGN.md section 2): a usage row is a token_count whose info is not null, whose
total_token_usage differs from the previous info's in the file, and whose last_token_usage is not
a context marker (all 0 but total). Tool calls link to outputs / *_end events by call_id; a
web_search_call or local_shell_call with status completed/failed needs no output.
Fork prefixes are not removed here: the samples' only fork (CodexBar child) replays rows whose
values equal the parent's, which changes no line number below and no per-file check except A5,
which this script reports per file with the child's replayed rows kept (so it still reconciles).
"""
import json, sys
from datetime import datetime

FIELDS = ("input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens")
CALLS = ("function_call", "custom_tool_call", "local_shell_call", "web_search_call")
OUTPUTS = ("function_call_output", "custom_tool_call_output")
ENDS = ("exec_command_end", "mcp_tool_call_end", "patch_apply_end", "web_search_end")


def five(u):
    return tuple(int(u.get(k, 0) or 0) for k in FIELDS)


def iso(ts):
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except Exception:
        return None


def analyse(path):
    rows, prev_total = [], None
    calls, open_calls, orphans, open_searches = {}, set(), [], []
    stamps_back, prev_ts = [], None
    for n, raw in enumerate(open(path, "rb").read().split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            o = json.loads(raw)
        except Exception:
            continue
        if not isinstance(o, dict):
            continue
        t = iso(o.get("timestamp") or "")
        if t is not None:
            if prev_ts is not None and t < prev_ts:
                stamps_back.append(n)
            prev_ts = t
        p = o.get("payload") or {}
        if not isinstance(p, dict):
            continue
        pt = p.get("type")
        if o.get("type") == "event_msg" and pt == "token_count" and p.get("info"):
            info = p["info"]
            total = info.get("total_token_usage")
            if total is None:
                continue
            total = five(total)
            last = info.get("last_token_usage")
            changed = total != prev_total
            prev_total = total
            if last is not None:
                l = five(last)
                if l[4] != 0 and all(v == 0 for v in l[:4]):
                    continue  # context marker
            if changed and last is not None:
                rows.append(dict(line=n, last=five(last), total=total, window=info.get("model_context_window")))
        elif o.get("type") == "response_item" and pt in CALLS:
            cid = p.get("call_id")
            done = pt in ("web_search_call", "local_shell_call") and p.get("status") in ("completed", "failed", "incomplete")
            if cid is not None:
                calls[cid] = n
            if not done:
                open_calls.add(n)
                if cid is None and pt == "web_search_call":
                    open_searches.append(n)
        elif o.get("type") == "response_item" and pt in OUTPUTS:
            cid = p.get("call_id")
            if cid in calls:
                open_calls.discard(calls[cid])
            else:
                orphans.append(n)
        elif o.get("type") == "event_msg" and pt in ENDS:
            cid = p.get("call_id")
            if cid in calls:
                open_calls.discard(calls[cid])
            elif pt == "web_search_end" and open_searches:
                open_calls.discard(open_searches.pop(0))
    # A6: cumulative decreases between consecutive rows; A5 with counter resets (total goes down).
    decreases, closed = [], (0,) * 5
    for a, b in zip(rows, rows[1:]):
        if any(y < x for x, y in zip(a["total"], b["total"])):
            decreases.append(b["line"])
        if b["total"][4] < a["total"][4]:
            closed = tuple(c + x for c, x in zip(closed, a["total"]))
    actual = tuple(sum(r["last"][i] for r in rows) for i in range(5))
    final = prev_total or (0,) * 5
    expected = tuple(c + f for c, f in zip(closed, final))
    return dict(
        rows=len(rows),
        window_rows=sum(1 for r in rows if (r["window"] or 0) > 0),
        over_window=[r["line"] for r in rows if (r["window"] or 0) > 0 and r["last"][4] > r["window"]],
        a1=[r["line"] for r in rows if r["last"][4] != r["last"][0] + r["last"][2]],
        a2=[r["line"] for r in rows if r["last"][1] > r["last"][0]],
        a3=[r["line"] for r in rows if r["last"][3] > r["last"][2]],
        a4=[r["line"] for r in rows if min(r["last"]) < 0],
        a5="ok" if expected == actual else f"mismatch expected={expected} actual={actual}",
        a6=decreases,
        a7=sorted(open_calls),
        a8=orphans,
        stamps_back=stamps_back,
    )


if __name__ == "__main__":
    totals = {"rows": 0, "window_rows": 0}
    for path in sys.argv[1:]:
        r = analyse(path)
        totals["rows"] += r["rows"]
        totals["window_rows"] += r["window_rows"]
        print(path.split("/")[-1])
        for k, v in r.items():
            print(f"  {k}: {v}")
    print("TOTAL", totals)
