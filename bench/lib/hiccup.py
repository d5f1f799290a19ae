"""Machine hiccup meter, run by bench.py next to every scenario.

Sleeps 1 ms in a loop and writes, for every wall-clock second, how late its worst wake-up was. A process that
asks for 1 ms and gets it 300 ms later was not scheduled for 300 ms: whatever stalled it (the host pausing the
VM, the kernel, CPU starvation) stalled Pulse and PostgreSQL too. A stall in a scenario that shows here is the
machine's; one that does not is the software's. Costs about 2 % of one core (1,000 wake-ups a second).

The same line has the second's I/O stall: how long, in ms, every runnable task on the machine waited for the
disk at once (the kernel's pressure stall information, /proc/pressure/io "full"; empty where the kernel has
none). A commit waits for its WAL flush, so a second with a long I/O stall is a second of slow commits, and the
CPU being free does not help.

Usage: hiccup.py OUT.csv  (stops on SIGTERM). Columns: unix_second, worst_late_ms, io_stall_ms.
"""
import signal
import sys
import time

PSI_IO = "/proc/pressure/io"


def io_full_us():
    """Total µs with all non-idle tasks stalled on I/O since boot, or None without PSI."""
    try:
        with open(PSI_IO) as f:
            for line in f:
                if line.startswith("full"):
                    return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def main(path):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(path, "w", buffering=1) as out:
        out.write("unix_second,worst_late_ms,io_stall_ms\n")
        second, worst, io = int(time.time()), 0.0, io_full_us()
        while True:
            t0 = time.perf_counter()
            time.sleep(0.001)
            late = (time.perf_counter() - t0) * 1000 - 1
            now = int(time.time())
            if now != second:
                io_now = io_full_us()
                stall = "" if io is None or io_now is None else f"{(io_now - io) / 1000:.0f}"
                out.write(f"{second},{worst:.1f},{stall}\n")
                second, worst, io = now, 0.0, io_now
            worst = max(worst, late)


def read(path, t0, t1):
    """{unix_second: (worst_late_ms, io_stall_ms or None)} for the seconds in [t0, t1]."""
    result = {}
    try:
        with open(path) as f:
            next(f, None)
            for line in f:
                parts = line.strip().split(",")
                if len(parts) == 3 and t0 - 1 <= int(parts[0]) <= t1:
                    result[int(parts[0])] = (float(parts[1]), float(parts[2]) if parts[2] else None)
    except (OSError, ValueError):
        pass
    return result


if __name__ == "__main__":
    main(sys.argv[1])
