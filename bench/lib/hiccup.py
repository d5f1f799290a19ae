"""Machine hiccup meter, run by bench.py next to every scenario.

Sleeps 1 ms in a loop and writes, for every wall-clock second, how late its worst wake-up was. A process that
asks for 1 ms and gets it 300 ms later was not scheduled for 300 ms: whatever stalled it (the host pausing the
VM, the kernel, CPU starvation) stalled Pulse and PostgreSQL too. A stall in a scenario that shows here is the
machine's; one that does not is the software's. Costs about 2 % of one core (1,000 wake-ups a second).

Usage: hiccup.py OUT.csv  (stops on SIGTERM). Columns: unix_second, worst_late_ms.
"""
import signal
import sys
import time


def main(path):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(path, "w", buffering=1) as out:
        out.write("unix_second,worst_late_ms\n")
        second, worst = int(time.time()), 0.0
        while True:
            t0 = time.perf_counter()
            time.sleep(0.001)
            late = (time.perf_counter() - t0) * 1000 - 1
            now = int(time.time())
            if now != second:
                out.write(f"{second},{worst:.1f}\n")
                second, worst = now, 0.0
            worst = max(worst, late)


def read(path, t0, t1):
    """{unix_second: worst_late_ms} for the seconds in [t0, t1]."""
    result = {}
    try:
        with open(path) as f:
            next(f, None)
            for line in f:
                parts = line.strip().split(",")
                if len(parts) == 2 and t0 - 1 <= int(parts[0]) <= t1:
                    result[int(parts[0])] = float(parts[1])
    except (OSError, ValueError):
        pass
    return result


if __name__ == "__main__":
    main(sys.argv[1])
