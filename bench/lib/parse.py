#!/usr/bin/env python3
"""bench/lib/parse.py — turns wrk / Locust / hey output into one metrics record and markdown tables.

Standard library only. Used by bench/lib/bench.py; also usable by hand:

    python3 bench/lib/parse.py wrk    wrk-output.txt          # a wrk run that used bench/wrk/common.lua
    python3 bench/lib/parse.py locust results/tmp/x/e-pulse   # the --csv prefix of a Locust run
    python3 bench/lib/parse.py hey    hey-output.txt
    python3 bench/lib/parse.py report results.json            # the whole markdown report

Every parser returns the same record (times in milliseconds):
    requests, duration_s, rps, mean, p50, p95, p99, p999 (None when the tool has none), max,
    errors (= socket errors + responses that failed the check: wrong status or body),
    socket_errors, bad_responses, first_bad, per_second (completions per wall-clock second, wrk only) and
    per_second_start (the unix second of per_second[0])
"""
import csv
import json
import math
import re
import statistics
import sys

# ----------------------------------------------------------------------------------------------- parsers


def _ms(us):
    return None if us is None else us / 1000.0


def parse_wrk(text):
    """Parse wrk's output; needs the `BENCH_JSON {...}` line printed by bench/wrk/common.lua's done()."""
    line = next((l for l in text.splitlines() if l.startswith("BENCH_JSON ")), None)
    if line is None:
        raise ValueError("no BENCH_JSON line in wrk output (did the script load bench/wrk/common.lua?)")
    j = json.loads(line[len("BENCH_JSON "):])
    lat = j["latency_us"]
    e = j["errors"]
    duration_s = j["duration_us"] / 1e6
    socket_errors = e["connect"] + e["read"] + e["write"] + e["timeout"]
    check = j["check"]
    # wrk counts a response in `requests` even when its check fails; `status` errors are also in check.bad.
    return {
        "tool": "wrk",
        "requests": j["requests"],
        "ok": check["ok"],
        "duration_s": duration_s,
        "rps": j["requests"] / duration_s if duration_s > 0 else 0.0,
        "ok_rps": check["ok"] / duration_s if duration_s > 0 else 0.0,
        "mean": _ms(lat["mean"]),
        "stdev": _ms(lat["stdev"]),
        "p50": _ms(lat["50"]),
        "p75": _ms(lat["75"]),
        "p90": _ms(lat["90"]),
        "p95": _ms(lat["95"]),
        "p99": _ms(lat["99"]),
        "p999": _ms(lat["99.9"]),
        "max": _ms(lat["max"]),
        "socket_errors": socket_errors,
        "socket_error_detail": e,
        "bad_responses": check["bad"],
        "bad_status": check["bad_status"],
        "errors": socket_errors + check["bad"],
        "first_bad": check["first_bad"],
        "per_second": j["per_second"]["counts"],
        "per_second_start": j["per_second"].get("start"),
        "bytes": j["bytes"],
    }


def _num(value):
    if value in (None, "", "N/A"):
        return None
    return float(value)


def parse_locust(prefix):
    """Parse `<prefix>_stats.csv` written by `locust --csv <prefix>`; the Aggregated row plus one per name."""
    with open(prefix + "_stats.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{prefix}_stats.csv is empty")

    def record(row):
        requests = int(row["Request Count"])
        failures = int(row["Failure Count"])
        rps = _num(row["Requests/s"]) or 0.0
        return {
            "tool": "locust",
            "name": row["Name"] or "",
            "requests": requests,
            "ok": requests - failures,
            "duration_s": requests / rps if rps else None,
            "rps": rps,
            "ok_rps": rps * (requests - failures) / requests if requests else 0.0,
            "mean": _num(row["Average Response Time"]),
            "p50": _num(row.get("50%")),
            "p75": _num(row.get("75%")),
            "p90": _num(row.get("90%")),
            "p95": _num(row.get("95%")),
            "p99": _num(row.get("99%")),
            "p999": _num(row.get("99.9%")),
            "max": _num(row["Max Response Time"]),
            "socket_errors": None,
            "bad_responses": failures,
            "errors": failures,
            "first_bad": "",
            "per_second": None,
        }

    aggregated = next((r for r in rows if r["Name"] == "Aggregated"), rows[-1])
    result = record(aggregated)
    result["by_name"] = [record(r) for r in rows if r is not aggregated]
    try:  # the first failure message, if any
        with open(prefix + "_failures.csv", newline="", encoding="utf-8") as f:
            failures = list(csv.DictReader(f))
        if failures:
            first = failures[0]
            result["first_bad"] = f'{first.get("Name", "")}: {first.get("Error", "")} (x{first.get("Occurrences", "?")})'
    except OSError:
        pass
    return result


def parse_hey(text):
    """Parse hey's text summary (no p99.9 and no per-second figures there)."""
    def grab(label):
        m = re.search(r"^\s*" + re.escape(label) + r":\s+([\d.]+)", text, re.M)
        return float(m.group(1)) if m else None

    pct = {int(m.group(1)): float(m.group(2)) * 1000 for m in re.finditer(r"^\s*(\d+)%+ in ([\d.]+) secs", text, re.M)}
    status_part, _, error_part = text.partition("Error distribution:")
    statuses = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"^\s*\[(\d{3})\]\s+(\d+) responses", status_part, re.M)}
    socket_errors = sum(int(m.group(1)) for m in re.finditer(r"^\s*\[(\d+)\]\s+\S", error_part, re.M))
    requests = sum(statuses.values())
    bad = sum(n for s, n in statuses.items() if not 200 <= s < 300)
    total = grab("Total")
    return {
        "tool": "hey",
        "requests": requests,
        "ok": requests - bad,
        "duration_s": total,
        "rps": grab("Requests/sec") or 0.0,
        "ok_rps": (requests - bad) / total if total else 0.0,
        "mean": (grab("Average") or 0) * 1000,
        "p50": pct.get(50),
        "p75": pct.get(75),
        "p90": pct.get(90),
        "p95": pct.get(95),
        "p99": pct.get(99),
        "p999": None,
        "max": (grab("Slowest") or 0) * 1000,
        "socket_errors": socket_errors,
        "bad_responses": bad,
        "errors": socket_errors + bad,
        "first_bad": "",
        "per_second": None,
    }


def parse_checkpoints(text, category):
    """The lines of embedded Pulse's background checkpointer in a slice of its console log: logged at Debug under
    `category` with a message such as `checkpoint PASSIVE: 812 frames, 812 backfilled, in 14.2 ms`. The console
    logger puts the category on the line before the message (`dbug: Category[0]`), or on the same line with
    SingleLine formatting. Returns [{"mode", "ms" (None if the line has no duration), "line"}]."""
    out = []
    current = None
    for line in text.splitlines():
        head = re.match(r"^\s*(?:\S+\s+)?(?:trce|dbug|info|warn|fail|crit): ([^\s\[]+)\[", line)
        if head:
            current = head.group(1)
        if "checkpoint " not in line or (current != category and category not in line):
            continue
        mode = re.search(r"checkpoint (\w+)", line)
        ms = re.search(r"\bin ([\d.]+) ?ms", line)
        out.append({"mode": mode.group(1) if mode else "?", "ms": float(ms.group(1)) if ms else None,
                    "line": line.strip()[:200]})
    return out


def checkpoint_summary(lines):
    """Count, per mode, median and max duration of parse_checkpoints' lines (None when there were none)."""
    if not lines:
        return None
    ms = sorted(x["ms"] for x in lines if x["ms"] is not None)
    modes = {}
    for x in lines:
        modes[x["mode"]] = modes.get(x["mode"], 0) + 1
    return {"count": len(lines), "modes": modes, "median_ms": statistics.median(ms) if ms else None,
            "max_ms": ms[-1] if ms else None, "first": lines[0]["line"]}


# ----------------------------------------------------------------------------------------------- markdown


def fmt_num(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, float) and math.isnan(v):
        return "–"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def fmt_ms(v):
    if v is None:
        return "–"
    if v < 10:
        return f"{v:.2f}"
    if v < 100:
        return f"{v:.1f}"
    return f"{v:,.0f}"


def fmt_mb(v):
    return "–" if v is None else f"{v:,.0f} MB"


def fmt_ratio(v):
    return "–" if v is None else f"{v * 100:.0f} %"


def md_table(headers, rows, align=None):
    """align: one letter per column, l or r (default: the first column left, the others right)."""
    align = align or "l" + "r" * (len(headers) - 1)
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" ---: " if a == "r" else " --- " for a in align) + "|"]
    for row in rows:
        out.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(out)


METRIC_HEADERS = ["target", "req/s", "mean ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "peak RSS", "CPU", "vs baseline"]


def metric_row(label, m, ratio=None, unit_rate=None, p999=False):
    rate = m.get("rate") if unit_rate else m.get("rps")
    row = [label, fmt_num(rate), fmt_ms(m.get("mean")), fmt_ms(m.get("p50")), fmt_ms(m.get("p95")), fmt_ms(m.get("p99"))]
    if p999:
        row.append(fmt_ms(m.get("p999")))
    row += [fmt_ms(m.get("max")), fmt_num(m.get("errors")), fmt_mb(m.get("peak_rss_mb")),
            "–" if m.get("cpu_cores") is None else f"{m['cpu_cores']:.2f}", fmt_ratio(ratio)]
    return row


def metric_table(rows, rate_header="req/s", p999=False):
    """rows: (label, metrics, ratio) tuples."""
    headers = list(METRIC_HEADERS)
    headers[1] = rate_header
    if p999:
        headers.insert(6, "p99.9 ms")
    return md_table(headers, [metric_row(label, m, ratio, unit_rate=rate_header != "req/s", p999=p999) for label, m, ratio in rows])


def render_report(res):
    """The whole markdown report from bench.py's results JSON."""
    meta = res["meta"]
    out = [f"# Pulse benchmark — {meta['timestamp']}", ""]
    out.append(f"Command: `{meta['command']}` ({meta['mode']} mode)  ")
    out.append(f"Machine: {meta['machine']}  ")
    out.append(f"Software: {meta['software']}  ")
    if meta.get("postgres_settings"):
        out.append(f"PostgreSQL settings (not defaults): {meta['postgres_settings']}  ")
    out.append(f"Load at start / end (1-min avg): {meta.get('load_start', '?')} / {meta.get('load_end', '?')}  ")
    out.append(f"Source: {meta.get('source', '?')}  ")
    if meta.get("auth"):
        out.append(f"API keys: {meta['auth']}  ")
    out.append(f"Raw tool output, logs and Pulse's RSS every second: `{meta.get('work', '?')}` (not committed)")
    out.append("")
    if meta.get("mode") == "quick":
        out.append("> **Quick mode** (`--quick`): a smoke run of the harness with short durations and small data sets; "
                   "its numbers are not the benchmark's.")
        out.append("")
    try:
        busy = float(meta.get("load_start", 0)) > float(meta.get("cores", 2)) * 0.75 + 0.5
    except ValueError:
        busy = False
    if busy:
        out.append(f"> **The machine was busy** when the run started (load average {meta['load_start']} on "
                   f"{meta.get('cores', '?')} cores): other work competed for the CPU and the numbers are depressed.")
        out.append("")
    modes = meta.get("storage_modes") or ["server"]
    how = {"server": "in server mode (PostgreSQL + Redis)",
           "embedded": "in embedded mode (one SQLite file on the same disk; no PostgreSQL, no Redis)"}
    out.append("Pulse runs " + " and ".join(how[m] for m in modes) + " on the same machine as the load generator"
               + (", both up for the whole run; each scenario runs against the baseline, server mode and embedded mode "
                  "back to back (a PostgreSQL CHECKPOINT before embedded mode's turn), so drift affects the modes alike. "
                  if len(modes) > 1 else ". ") +
               "Latencies are in milliseconds as measured by the load generator; errors = socket errors + responses "
               "with an unexpected status or body; peak RSS = Pulse's VmHWM during the scenario (reset before it); "
               "CPU = the target process's CPU time / wall time (cores). \"vs baseline\" = Pulse's rate as a share "
               "of the ceiling measured in the same run (bench/baseline; for batch ingest psql \\copy in server mode, "
               "SQLite's own bulk insert in embedded mode). "
               f"Every wrk scenario except the soak (h) follows an unmeasured warm-up of "
               f"{res.get('meta', {}).get('durations', {}).get('warmup', '?')} s with the same load, for Pulse and the "
               "baseline alike, so .NET's tiered JIT has recompiled the hot paths and the numbers are steady state.")
    out.append("")

    checks = []
    for sc in res["scenarios"]:
        for c in sc.get("checks", []):
            checks.append((sc["id"], c))
    if checks:
        out.append("## Targets")
        out.append("")
        rows = []
        for sid, c in checks:
            verdict = {True: "pass", False: "**FAIL**", None: "n/a"}[c.get("pass")]
            rows.append([f"({sid}) {c['name']}", c.get("value", "–"), verdict])
        out.append(md_table(["target", "measured", "result"], rows, align="lll"))
        out.append("")

    for sc in res["scenarios"]:
        out.append(f"## ({sc['id']}) {sc['title']}")
        out.append("")
        if sc.get("description"):
            out.append(sc["description"])
            out.append("")
        status = sc.get("status", "ok")
        if status != "ok":
            out.append(f"**{status}**" + (f": {sc['note']}" if sc.get("note") else ""))
            out.append("")
        if sc.get("table"):
            out.append(sc["table"])
            out.append("")
        for extra in sc.get("extra_md", []):
            out.append(extra)
            out.append("")
        if sc.get("notes"):
            for n in sc["notes"]:
                out.append(f"- {n}")
            out.append("")
    hiccups = [(label, m) for label, m in res.get("raw", {}).items() if m.get("hiccup_max_ms") is not None]
    if hiccups:
        out.append("## Machine hiccups")
        out.append("")
        out.append("`bench/lib/hiccup.py` sleeps 1 ms in a loop during the whole run; a wake-up that comes late by "
                   "much more than that means nothing on the machine ran for that long (host, kernel or CPU "
                   "starvation), Pulse and PostgreSQL included. The I/O stall of a second is how long every runnable "
                   "task waited for the disk at once (/proc/pressure/io, \"full\"); a commit waits for its WAL "
                   "flush, so commits were slow in such a second whatever the CPU did.")
        out.append("")

        def io(m, key, fmt):
            return "–" if m.get(key) is None else fmt.format(m[key])
        out.append(md_table(["measurement", "worst wake-up delay (ms)", "seconds with one ≥ 50 ms",
                             "worst I/O stall in a second (ms)", "seconds with ≥ 100 ms of I/O stall"],
                            [[label, f"{m['hiccup_max_ms']:.1f}", str(m.get("hiccup_seconds_over_50ms", 0)),
                              io(m, "io_stall_max_ms", "{:.0f}"), io(m, "io_stall_seconds_over_100ms", "{}")]
                             for label, m in hiccups], align="lrrrr"))
        out.append("")
    if res.get("published"):
        out.append("## The seeds' published figures")
        out.append("")
        out.append(res["published"])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kind, arg = argv[1], argv[2]
    if kind == "report":
        with open(arg, encoding="utf-8") as f:
            sys.stdout.write(render_report(json.load(f)))
        return 0
    if kind == "wrk":
        with open(arg, encoding="utf-8") as f:
            m = parse_wrk(f.read())
    elif kind == "hey":
        with open(arg, encoding="utf-8") as f:
            m = parse_hey(f.read())
    elif kind == "locust":
        m = parse_locust(arg)
    else:
        print(f"unknown kind {kind}", file=sys.stderr)
        return 2
    print(metric_table([(arg, m, None)], p999=m.get("p999") is not None))
    print()
    print(json.dumps({k: v for k, v in m.items() if k not in ("per_second", "by_name")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
