#!/usr/bin/env python3
"""How long a WAL-style flush waits on this machine's disk, alone and next to other writers.

A loop writes 8 KB and calls fdatasync, as a commit's WAL flush does, and records each flush's duration while
another process writes: nothing, O_DIRECT writes (which skip the page cache) at fixed rates, buffered writes
that the kernel writes back on its own, the same pushed out with sync_file_range every 100 ms, and a large
buffered dd-style burst followed by sync. Prints one markdown row per case.

Usage: bench/disk/flush_stalls.py [DIR] [--seconds N] [--sync fdatasync|dsync|direct-dsync]
DIR: where the scratch files go (default $TMPDIR or /tmp; about 2.5 GB free; removed at the end). --sync: how
each write is made durable, as PostgreSQL's wal_sync_method would: write + fdatasync (the default, Linux's
default too), an O_DSYNC write (open_datasync), or an O_DIRECT | O_DSYNC write (open_datasync with
wal_level=minimal). Linux only; takes about 3 minutes.
"""
import argparse
import ctypes
import mmap
import multiprocessing as mp
import os
import tempfile
import time

MB = 1 << 20


def flush_loop(path, seconds, sync, out):
    flags = os.O_WRONLY | os.O_CREAT
    if sync != "fdatasync":
        flags |= os.O_DSYNC | (os.O_DIRECT if sync == "direct-dsync" else 0)
    fd = os.open(path, flags, 0o644)
    block = mmap.mmap(-1, 8192)  # page-aligned, as O_DIRECT needs
    block.write(b"x" * 8192)
    times, n = [], 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        os.pwrite(fd, block, (n % 1000) * 8192)
        if sync == "fdatasync":
            os.fdatasync(fd)
        times.append((time.perf_counter() - t0) * 1000)
        n += 1
    os.close(fd)
    out.put(times)


def writer(path, mb_per_s, seconds, mode):
    """mode: direct | buffered | pushed (buffered + sync_file_range every 100 ms) | burst (write 1.5 GB, sync)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_DIRECT if mode == "direct" else 0)
    fd = os.open(path, flags, 0o644)
    buf = mmap.mmap(-1, MB)  # page-aligned, as O_DIRECT needs
    buf.write(b"y" * MB)
    if mode == "burst":
        for i in range(1536):
            os.pwrite(fd, buf, i * MB)
        os.sync()
        os.close(fd)
        return
    sync_file_range = ctypes.CDLL("libc.so.6", use_errno=True).sync_file_range
    off, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        tick = time.monotonic()
        for _ in range(max(1, round(mb_per_s / 10))):
            os.pwrite(fd, buf, off)
            off = (off + MB) % (2048 * MB)
        if mode == "pushed":
            sync_file_range(fd, ctypes.c_longlong(0), ctypes.c_longlong(0), 2)  # SYNC_FILE_RANGE_WRITE
        time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
    os.close(fd)


def run_case(directory, sync, label, seconds, mb_per_s=0, mode=None):
    out = mp.Queue()
    flusher = mp.Process(target=flush_loop, args=(os.path.join(directory, "flush.dat"), seconds, sync, out))
    flusher.start()
    other = None
    if mode:
        time.sleep(1 if mode == "burst" else 0)
        other = mp.Process(target=writer, args=(os.path.join(directory, "write.dat"), mb_per_s, seconds, mode))
        other.start()
    times = out.get()
    flusher.join()
    if other:
        other.join()
    times.sort()
    n = len(times)
    slow = sum(1 for t in times if t > 50)
    print(f"| {label} | {n / seconds:,.0f}/s | {times[n // 2]:.2f} | {times[int(n * 0.999)]:.2f} | {times[-1]:.1f} | {slow} |",
          flush=True)
    for name in ("flush.dat", "write.dat"):
        try:
            os.remove(os.path.join(directory, name))
        except FileNotFoundError:
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", nargs="?", default=tempfile.gettempdir())
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--sync", choices=("fdatasync", "dsync", "direct-dsync"), default="fdatasync")
    a = parser.parse_args()
    s, d, y = a.seconds, a.dir, a.sync
    print(f"Flushes made with {y}.")
    print()
    print("| next to the flush loop | flushes | p50 ms | p99.9 ms | slowest ms | flushes over 50 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    run_case(d, y, f"nothing, {s} s", s)
    for rate in (30, 100):
        run_case(d, y, f"O_DIRECT writes of 1 MB at {rate} MB/s, {s} s", s, rate, "direct")
    run_case(d, y, f"buffered writes at 30 MB/s, written back by the kernel, {2 * s} s", 2 * s, 30, "buffered")
    run_case(d, y, f"the same, pushed out with sync_file_range every 100 ms, {2 * s} s", 2 * s, 30, "pushed")
    run_case(d, y, f"1.5 GB written buffered, then sync, within {s} s", s, 0, "burst")


if __name__ == "__main__":
    main()
