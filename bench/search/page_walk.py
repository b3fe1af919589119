#!/usr/bin/env python3
"""Page-walk timing for bench/search.sh.

WALKS times: pick a random patient id, GET PATH_TEMPLATE (with "{}" = the id), then follow the
Bundle's "next" link until there is none or PAGES pages were read. Each page is timed on its own
(time.perf_counter from sending the request to having read the whole body) over one keep-alive
http.client connection; parsing the Bundle to find the next link happens outside the timer.
Prints one JSON object: per page number, the walks that reached it, p50/p90/p99/mean in ms and the
entries per page; plus the number of non-200 answers (any makes the figures invalid).

usage: page_walk.py BASE_URL IDS_FILE PATH_TEMPLATE [--walks 200] [--pages 3] [--warmup 20] [--seed 1]
"""
import argparse
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse


def pct(sorted_ms, p):
    if not sorted_ms:
        return None
    k = (len(sorted_ms) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_ms) - 1)
    return sorted_ms[lo] + (sorted_ms[hi] - sorted_ms[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("ids")
    ap.add_argument("template")
    ap.add_argument("--walks", type=int, default=200)
    ap.add_argument("--pages", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    ids = [line.strip() for line in open(a.ids) if line.strip()]
    rng = random.Random(a.seed)
    base = urllib.parse.urlsplit(a.base)
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    headers = {"Accept": "application/fhir+json"}
    times = [[] for _ in range(a.pages)]
    entries = [[] for _ in range(a.pages)]
    bad = []

    def get(path):
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        return time.perf_counter() - t0, resp.status, body

    def walk(record):
        path = a.template.replace("{}", rng.choice(ids))
        for page in range(a.pages):
            secs, status, body = get(path)
            if status != 200:
                bad.append("%s -> %d %s" % (path, status, body[:200].decode("utf-8", "replace")))
                return
            bundle = json.loads(body)
            if record:
                times[page].append(secs * 1000.0)
                entries[page].append(sum(1 for e in bundle.get("entry", [])
                                         if e.get("search", {}).get("mode", "match") == "match"))
            nxt = next((l["url"] for l in bundle.get("link", []) if l.get("relation") == "next"), None)
            if not nxt:
                return
            u = urllib.parse.urlsplit(nxt)
            path = u.path + ("?" + u.query if u.query else "")

    for _ in range(a.warmup):
        walk(False)
    started = time.perf_counter()
    for _ in range(a.walks):
        walk(True)
    elapsed = time.perf_counter() - started
    conn.close()

    out = {"walks": a.walks, "seconds": round(elapsed, 3), "non200": len(bad), "errors": bad[:3], "pages": []}
    for page in range(a.pages):
        t = sorted(times[page])
        out["pages"].append({
            "page": page + 1,
            "n": len(t),
            "p50_ms": pct(t, 50),
            "p90_ms": pct(t, 90),
            "p99_ms": pct(t, 99),
            "mean_ms": statistics.fmean(t) if t else None,
            "entries_mean": statistics.fmean(entries[page]) if entries[page] else 0,
        })
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
