#!/usr/bin/env python3
"""Start-to-ready time of `bpg serve`: from spawning the process to its first 200 on the health
endpoint, polling every 2 ms. Prints one line per run ("run N: X ms") and then "median_ms=…".

    ready.py BPG CONFIG RUNS LOGFILE [SETTLE_SECONDS]

A run whose SIGTERM did not stop bpg within 15 s is killed and counted ("lost_sigterm=N").
"""
import http.client
import socket
import statistics
import subprocess
import sys
import time

bpg, config, runs, log_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
settle = float(sys.argv[5]) if len(sys.argv) > 5 else 0.1  # seconds between ready and SIGTERM
lost = 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/skatev2/healthcheck/status", headers={"User-Account": "bench"})
        status = connection.getresponse().status
        connection.close()
        return status == 200
    except OSError:
        return False


def once():
    port = free_port()
    with open(log_path, "ab") as log:
        start = time.perf_counter()
        process = subprocess.Popen(
            [bpg, "serve", "--config", config, "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=log)
        try:
            while not healthy(port):
                if process.poll() is not None:
                    sys.exit(f"bpg exited with status {process.returncode} before it was ready; see {log_path}")
                if time.perf_counter() - start > 30:
                    sys.exit(f"bpg was not ready within 30 s; see {log_path}")
                time.sleep(0.002)
            return (time.perf_counter() - start) * 1000
        finally:
            # bpg installs its SIGTERM handling just after it starts serving; a SIGTERM sent in that
            # window is lost (it is ignored before the dispatch source exists), so give it a moment.
            time.sleep(settle)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                global lost
                lost += 1
                process.kill()
                process.wait()


times = []
for run in range(1, runs + 1):
    elapsed = once()
    times.append(elapsed)
    print(f"run {run}: {elapsed:.1f} ms", flush=True)
print(f"median_ms={statistics.median(times):.1f} min_ms={min(times):.1f} max_ms={max(times):.1f} lost_sigterm={lost}")
