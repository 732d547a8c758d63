#!/usr/bin/env python3
"""Watches sensor-consumer instances drain a backlog (bench/ingest.sh); not a test.

Polls each instance's Prometheus endpoint every 0.2 s for sensorhub_ingest_readings_stored_total (summed over
instances; an instance not up yet counts 0) until TARGET readings are stored, and reads the CPU time of the
processes that share the machine from /proc (PostgreSQL: its server processes and the backends connected to the
database $DRAIN_WATCH_DB, default sensorhub_bench; other databases' backends count as "others"). Prints one JSON object:

  first_t, first_count   the first poll that saw a reading stored, and the count then
  half_t, half_count     the first poll that saw at least half of TARGET
  end_t, end_count       the poll that saw TARGET (or the last one, with "error" set)
  per_instance           readings stored by each instance (in the order of the URLs)
  cpu                    % of one core over first_t..end_t: "consumer" (the given pids), "postgres",
                         "rabbitmq" (beam.smp), "redis", "others" (the rest of the machine), "machine" (all)
  timeline               [seconds since first_t, readings stored] every second or so

Usage: drain_watch.py TARGET TIMEOUT_S STALL_S PIDS(comma-separated) URL...
Fails ("error") when nothing more is stored for STALL_S seconds after the first reading, or after TIMEOUT_S.
"""
import json
import os
import sys
import time
import urllib.request

METRIC = "sensorhub_ingest_readings_stored_total"
TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = {"beam.smp": "rabbitmq", "redis-server": "redis"}
DATABASE = os.environ.get("DRAIN_WATCH_DB", "sensorhub_bench")


def stored(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            text = response.read().decode()
    except OSError:
        return 0
    total = 0.0
    for line in text.splitlines():
        if line.startswith(METRIC):
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def group(pid, name, consumer_pids):
    if pid in consumer_pids:
        return "consumer"
    if name == "postgres":
        try:
            with open(f"/proc/{pid}/cmdline") as f:
                cmdline = f.read()
        except OSError:
            return None
        backend = "(" in cmdline or "[local]" in cmdline
        return "postgres" if not backend or f" {DATABASE} " in cmdline else None
    return GROUPS.get(name)


def cpu(consumer_pids):
    """Jiffies per process of each group ({group: {pid: jiffies}}), and the machine's busy jiffies."""
    groups = {"consumer": {}, "postgres": {}, "rabbitmq": {}, "redis": {}}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        pid = int(entry)
        kind = group(pid, name, consumer_pids)
        if kind is not None:
            groups[kind][pid] = int(fields[11]) + int(fields[12])
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return groups, sum(values) - values[3] - values[4]   # all but idle and iowait


def shares(before, after, seconds):
    """% of one core per group between two snapshots (a process that ended in between is left out)."""
    (groups_before, machine_before), (groups_after, machine_after) = before, after
    result = {}
    for kind, pids in groups_after.items():
        jiffies = sum(j - groups_before[kind].get(pid, 0) for pid, j in pids.items())
        result[kind] = round(100 * jiffies / seconds)
    result["others"] = round(100 * (machine_after - machine_before) / seconds) - sum(result.values())
    result["machine"] = round(100 * (machine_after - machine_before) / seconds)
    return result


def main():
    target, timeout, stall = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    pids = {int(p) for p in sys.argv[4].split(",") if p}
    urls = sys.argv[5:]
    started = time.time()
    first = half = None
    last_change, last_total = started, -1
    timeline, error = [], None
    while True:
        counts = [stored(url) for url in urls]
        t, total = time.time(), sum(counts)
        usage = cpu(pids)
        if first is None and total > 0:
            first = (t, total, usage)
        if half is None and total >= target / 2:
            half = (t, total)
        if total != last_total:
            last_change, last_total = t, total
        if first is not None and (not timeline or t - first[0] - timeline[-1][0] >= 1):
            timeline.append([round(t - first[0], 2), total])
        if total >= target:
            break
        if first is not None and t - last_change > stall:
            error = f"nothing stored for {stall:.0f} s at {total} of {target}"
            break
        if t - started > timeout:
            error = f"timed out after {timeout:.0f} s at {total} of {target}"
            break
        time.sleep(0.2)
    result = {"end_t": t, "end_count": total, "per_instance": counts, "timeline": timeline}
    if error:
        result["error"] = error
    if first is not None:
        result.update(first_t=first[0], first_count=first[1])
        result["cpu"] = shares(first[2], usage, max(t - first[0], 1e-9) * TICKS)
    if half is not None:
        result.update(half_t=half[0], half_count=half[1])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
