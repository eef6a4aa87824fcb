#!/usr/bin/env python3
"""Runs commands N at a time and measures them from outside, the same way for every program.

    python3 bench/_rusage.py N '[["cmd", "arg", ...], ...]'

Prints one JSON line: wall_s (first start to last exit), cpu_s (user + system of all the
children, every thread), peak_rss_mb (the largest child's peak resident set), and each
command's exit code and stdout. Used by the bench's "fleet" section for ours and the peers.
"""
import json
import resource
import subprocess
import sys
import tempfile
import time


def main():
    parallel, commands = int(sys.argv[1]), json.loads(sys.argv[2])
    t0 = time.perf_counter()
    running, results = [], [None] * len(commands)
    todo = list(enumerate(commands))
    while todo or running:
        while todo and len(running) < parallel:
            k, cmd = todo.pop(0)
            out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
            running.append((k, subprocess.Popen(cmd, stdout=out, stderr=err), out, err))
        done = [r for r in running if r[1].poll() is not None]
        if not done:
            time.sleep(0.005)
            continue
        for entry in done:
            running.remove(entry)
            k, p, out, err = entry
            out.seek(0)
            err.seek(0)
            results[k] = {"code": p.returncode, "stdout": out.read().decode(),
                          "stderr": err.read().decode(errors="replace")[-2000:]}
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall_s": time.perf_counter() - t0,
        "cpu_s": r.ru_utime + r.ru_stime,
        "peak_rss_mb": r.ru_maxrss / 1024,
        "results": results,
    }))


if __name__ == "__main__":
    main()
