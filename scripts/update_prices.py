#!/usr/bin/env python3
"""Refresh src/pricing/prices.json, the built-in price snapshot (docs/formats.md section 5.1).

Where the numbers come from: LiteLLM's `model_prices_and_context_window_backup.json` (MIT), as
shipped inside the PyPI wheel `litellm==1.109.1`. GitHub is not reachable from the build machines,
PyPI is, so the wheel is the pinned, checksummed source.

What this script does:
  1. `pip download litellm==1.109.1 --no-deps` into a temporary folder (or use --wheel PATH);
  2. reads the JSON out of the wheel with zipfile and records its sha256;
  3. prunes it to the models coding agents use: OpenAI gpt-5*/gpt-4.1*/o3*/o4-mini*/codex,
     Anthropic claude-* (bare keys: 4.x and later), Gemini 2.x/3.x text models; bare keys only,
     never the regional / Bedrock / Vertex / Azure copies (they are ~10% dearer or differ) --
     except for retired models that survive only there (RETIRED_SURVIVORS below), which are
     stored under the id the agents log, with `litellm_key` naming the copy they came from;
  4. keeps only the fields the cost formulas use (USD per token, LiteLLM's own field names), plus
     max_input_tokens, litellm_provider, deprecation_date and the fast-mode multiplier;
  5. drops dated keys (`-YYYYMMDD`, `-YYYY-MM-DD`) whose kept fields equal their undated key's,
     because the Rust side strips date suffixes (src/pricing/alias.rs) and finds them anyway;
  6. writes one model per line, keys sorted, so a refresh diffs line by line.

Not taken from the snapshot on purpose: claude-sonnet-4-20250514, claude-opus-4-20250514 and
claude-opus-4-1-20250805. LiteLLM dropped their bare keys; their prices (with the 1-hour write
derived as 2x input) live in the Rust fallback table, src/pricing/fallback.rs, pinned to
docs/formats.md 5.3. This script prints LiteLLM's Bedrock copies of them for a cross-check.

Usage: python3 scripts/update_prices.py [--wheel PATH] [--snapshot-date YYYY-MM-DD] [--out PATH]
Standard library only.
"""

import argparse
import datetime
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

VERSION = "1.109.1"
MEMBER = "litellm/model_prices_and_context_window_backup.json"
SOURCE = f"litellm {VERSION} (MIT) model_prices_and_context_window_backup.json"
DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "pricing", "prices.json")

# Price fields the formulas of src/pricing/formula.rs read (USD per token).
BASE_FIELDS = [
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",  # 5-minute write (Anthropic), cache write (OpenAI)
    "cache_creation_input_token_cost_above_1hr",  # 1-hour write (Anthropic)
]
# Long-context tiers: a prompt above the threshold bills *every* category at these rates.
TIER_THRESHOLDS = ["200k", "272k"]
TIER_FIELDS = [
    "input_cost_per_token_above_{t}_tokens",
    "output_cost_per_token_above_{t}_tokens",
    "cache_read_input_token_cost_above_{t}_tokens",
    "cache_creation_input_token_cost_above_{t}_tokens",
    "cache_creation_input_token_cost_above_1hr_above_{t}_tokens",
]
META_FIELDS = ["max_input_tokens", "litellm_provider", "deprecation_date"]

# Retired models LiteLLM keeps only under a provider copy: the id agents log -> the copy to read.
# The Bedrock `anthropic.` (global) and `vertex_ai/` copies carry Anthropic's / Google's list price.
RETIRED_SURVIVORS = {
    "claude-3-5-sonnet-20240620": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "claude-3-5-sonnet-20241022": "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "claude-3-5-haiku-20241022": "anthropic.claude-3-5-haiku-20241022-v1:0",
    "claude-3-7-sonnet-20250219": "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "gemini-2.0-flash": "vertex_ai/gemini-2.0-flash",
    "gemini-2.0-flash-lite": "vertex_ai/gemini-2.0-flash-lite",
    "gemini-3-pro-preview": "vertex_ai/gemini-3-pro-preview",
    # Codex CLI's default model in 2025 (OpenAI list price 1.50 / 0.375 / 6, same as Azure's copy).
    "codex-mini-latest": "azure/codex-mini",
}
# Long-context tiers LiteLLM lists on the list-price copies but not on the bare key. Anthropic bills
# Sonnet 4.5 prompts above 200k tokens at the `_above_200k` rates (docs/formats.md 5.2, 5.3), and
# the global Bedrock copy carries exactly Anthropic's list price, so its tier fields are merged in.
TIER_SUPPLEMENTS = {
    "claude-sonnet-4-5": "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "claude-sonnet-4-5-20250929": "anthropic.claude-sonnet-4-5-20250929-v1:0",
}
# Priced by src/pricing/fallback.rs instead (see the module doc above).
RUST_FALLBACK = {
    "claude-sonnet-4-20250514": "anthropic.claude-sonnet-4-20250514-v1:0",
    "claude-opus-4-20250514": "anthropic.claude-opus-4-20250514-v1:0",
    "claude-opus-4-1-20250805": "anthropic.claude-opus-4-1-20250805-v1:0",
}

OPENAI_FAMILY = re.compile(r"^(gpt-5|gpt-4\.1|o3|o4-mini|codex)")
NOT_FOR_AGENTS = re.compile(r"(search|deep-research|tts|audio|realtime|image|transcribe|live|computer-use)")
DATE_SUFFIX = re.compile(r"^(.*)-(\d{8}|\d{4}-\d{2}-\d{2})$")


def download_wheel(dest):
    cmd = [sys.executable, "-m", "pip", "download", f"litellm=={VERSION}", "--no-deps", "-d", dest]
    subprocess.run(cmd, check=True)
    wheels = glob.glob(os.path.join(dest, f"litellm-{VERSION}-*.whl"))
    if not wheels:
        sys.exit(f"no litellm {VERSION} wheel in {dest}")
    return wheels[0]


def is_agent_model(key, entry):
    """Bare keys of the families coding agents use, text models only."""
    if "/" in key or "." in key.split("-")[0] or ":" in key or "@" in key:
        return False
    if entry.get("mode") not in ("chat", "responses") or NOT_FOR_AGENTS.search(key):
        return False
    provider = entry.get("litellm_provider", "")
    if OPENAI_FAMILY.match(key):
        return provider == "openai"
    if key.startswith("claude-"):
        return provider == "anthropic"
    if re.match(r"^gemini-[23][.-]", key):
        return provider in ("gemini", "vertex_ai-language-models")
    return False


def fast_multiplier(entry):
    """LiteLLM's `provider_specific_entry.fast`; for OpenAI, the priority tier's ratio.

    Codex's "fast" service tier is OpenAI's priority processing, so where LiteLLM lists
    `*_priority` rates that are one uniform multiple of the standard ones, that multiple is the
    model's fast multiplier (gpt-5.5: 2.5x). Otherwise the Rust side uses ccusage's default 2x.
    """
    specific = entry.get("provider_specific_entry")
    if isinstance(specific, dict) and isinstance(specific.get("fast"), (int, float)):
        return float(specific["fast"]), "litellm provider_specific_entry.fast"
    if entry.get("litellm_provider") != "openai":
        return None, None
    ratios = set()
    for field in ("input_cost_per_token", "output_cost_per_token"):
        base, priority = entry.get(field), entry.get(field + "_priority")
        if not base or not priority:
            return None, None
        ratios.add(round(priority / base, 6))
    if len(ratios) != 1:
        return None, None
    return ratios.pop(), "litellm *_priority / standard"


def prune(entry):
    kept = {}
    for field in BASE_FIELDS + [f.format(t=t) for t in TIER_THRESHOLDS for f in TIER_FIELDS] + META_FIELDS:
        if entry.get(field) is not None:
            kept[field] = entry[field]
    multiplier, origin = fast_multiplier(entry)
    if multiplier is not None:
        kept["fast_multiplier"] = multiplier
        kept["fast_multiplier_source"] = origin
    return kept


def priceable(kept):
    return "input_cost_per_token" in kept and "output_cost_per_token" in kept


def select(data):
    models = {}
    for key, entry in data.items():
        if isinstance(entry, dict) and is_agent_model(key, entry):
            kept = prune(entry)
            if priceable(kept):
                models[key] = kept
    for name, copy in RETIRED_SURVIVORS.items():
        if name in models:
            continue
        if copy not in data:
            print(f"warning: retired copy {copy} is gone; {name} stays unpriced", file=sys.stderr)
            continue
        kept = prune(data[copy])
        kept["litellm_key"] = copy
        models[name] = kept
    for name, copy in TIER_SUPPLEMENTS.items():
        supplement_tiers(models, data, name, copy)
    for name in RUST_FALLBACK:
        models.pop(name, None)
    return drop_dated_duplicates(models)


def supplement_tiers(models, data, name, copy):
    """Merge the `_above_<t>_tokens` fields of `copy` into `name`, when its base prices agree."""
    if name not in models or copy not in data:
        print(f"warning: tier supplement {copy} -> {name} not applied", file=sys.stderr)
        return
    source = prune(data[copy])
    kept = models[name]
    if any(source[f] != kept[f] for f in BASE_FIELDS if f in kept and f in source):
        print(f"warning: {copy} base prices differ from {name}; tiers not merged", file=sys.stderr)
        return
    for field, value in source.items():
        if "_above_" in field and "_tokens" in field and field not in kept:
            kept[field] = value
            kept["tiers_from"] = copy


def drop_dated_duplicates(models):
    out = {}
    for key, kept in models.items():
        m = DATE_SUFFIX.match(key)
        if m and m.group(1) in models and models[m.group(1)] == kept and "litellm_key" not in kept:
            continue
        out[key] = kept
    return out


def render(header, models):
    lines = ["{"]
    for field in ("source", "snapshot_date", "sha256_of_source"):
        lines.append(f" {json.dumps(field)}: {json.dumps(header[field])},")
    lines.append(' "models": {')
    keys = sorted(models)
    for i, key in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        lines.append(f"  {json.dumps(key)}: {json.dumps(models[key], sort_keys=True)}{comma}")
    lines.append(" }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def cross_check(data):
    for name, copy in RUST_FALLBACK.items():
        entry = data.get(copy, {})
        per_million = {f: round(v * 1e6, 6) for f, v in prune(entry).items() if isinstance(v, float)}
        print(f"fallback cross-check {name} (LiteLLM {copy}, USD/MTok): {per_million}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", help="an already downloaded litellm wheel")
    ap.add_argument("--snapshot-date", help="YYYY-MM-DD (default: today, UTC)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(tmp)
        with zipfile.ZipFile(wheel) as zf:
            raw = zf.read(MEMBER)
    data = json.loads(raw)
    header = {
        "source": SOURCE,
        "snapshot_date": args.snapshot_date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "sha256_of_source": hashlib.sha256(raw).hexdigest(),
    }
    models = select(data)
    text = render(header, models)
    json.loads(text)  # what we write must parse
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    cross_check(data)
    print(f"{len(data)} keys in source -> {len(models)} models, {len(text)} bytes -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
