#!/usr/bin/env python3
"""Read a canonical export with pandas.read_csv, as scripts/stream-rss.sh
does with Go, and print rows, seconds, rows/s and peak RSS.

Usage: stream_pandas.py load|chunked DIR
  load     read_csv each file whole and keep every DataFrame (like ReadExport)
  chunked  read_csv with chunksize=100000, keeping nothing (like the
           streaming readers, without their checks)
Time columns are parsed (RFC 3339 UTC, as the writers write them), as the
Go readers parse them.
Exits 3 when pandas is not installed.
"""
import os
import resource
import sys
import time

try:
    import pandas as pd
except ImportError:
    print("pandas not installed; skipping", file=sys.stderr)
    sys.exit(3)

DATES = {
    "leads.csv": ["created_at"],
    "stage_events.csv": ["at"],
    "activities.csv": ["at"],
    "opportunities.csv": ["created_at", "closed_at"],
}


def read(path, cols, chunksize=None):
    return pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunksize)


def main():
    mode, d = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    rows, keep = 0, []
    for name, cols in DATES.items():
        path = os.path.join(d, name)
        if not os.path.exists(path):
            continue
        chunks = read(path, cols, 100_000) if mode == "chunked" else [read(path, cols)]
        for df in chunks:
            for c in cols:
                df[c] = pd.to_datetime(df[c], format="%Y-%m-%dT%H:%M:%SZ", utc=True, errors="coerce")
            rows += len(df)
            if mode == "load":
                keep.append(df)
    sec = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"pandas-{mode} rows={rows} seconds={sec:.2f} rows/s={rows/sec:.0f} peak-rss-MB={peak:.0f} (pandas {pd.__version__})")


if __name__ == "__main__":
    main()
