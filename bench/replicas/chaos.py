#!/usr/bin/env python3
"""Three gateway replicas on one MariaDB and two simulated clusters, one replica SIGKILLed every few
seconds while clients submit and read status through all of them. Started by bench/replicas/run.sh,
which builds `bpg` and starts the database; this script starts everything else and checks:

- no accepted submission lost: every 200 has its record and its SparkApplication;
- no application created twice: one SparkApplication per submission, and one submission per client
  idempotency key even when the client retried on another replica;
- one active monitor per cluster at any time (sampled from each replica's metrics);
- no duplicate status-history rows;
- every accepted application's record reaches the state its SparkApplication reached.
"""
import argparse
import base64
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

REPLICAS = 3
CLUSTERS = ["spark-cluster-a", "spark-cluster-b"]
NAMESPACE = "default"
USER = "bench-user"
TERMINAL = {"COMPLETED", "FAILED", "SUBMISSION_FAILED", "KILLED", "FENCED"}
SPARK_PI = json.dumps({
    "applicationName": "spark-pi",
    "sparkVersion": "3.5.0",
    "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
    "mainClass": "org.apache.spark.examples.SparkPi",
    "queue": "dev",
    "driver": {"cores": 1, "memory": "512m"},
    "executor": {"instances": 1, "cores": 1, "memory": "512m"},
}).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, headers=None, timeout=10, context=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Replica:
    def __init__(self, index, args, config_text):
        self.index = index
        self.args = args
        self.api_port = free_port()
        self.admin_port = free_port()
        self.config_path = os.path.join(args.work, f"replica-{index}.yaml")
        with open(self.config_path, "w") as f:
            f.write(config_text.replace("API_PORT", str(self.api_port)).replace("ADMIN_PORT", str(self.admin_port)))
        self.process = None
        self.starts = 0

    @property
    def base(self):
        return f"http://127.0.0.1:{self.api_port}"

    def start(self):
        log = open(os.path.join(self.args.work, f"replica-{self.index}.log"), "a")
        self.process = subprocess.Popen(
            [self.args.bpg, "serve", "--config", self.config_path, "--host", "127.0.0.1"],
            stdout=log, stderr=log)
        self.starts += 1

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                status, _ = request("GET", self.base + "/skatev2/healthcheck/status",
                                    headers={"User-Account": USER}, timeout=2)
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = 0
        self.accepted = {}          # idempotency key -> set of submission ids answered 200
        self.failed = {}            # reason -> count (after the client's retries)
        self.retried = 0
        self.status_reads = 0
        self.status_errors = {}
        self.monitor_samples = 0
        self.monitor_overlaps = []
        self.kills = 0

    def count(self, table, reason):
        with self.lock:
            table[reason] = table.get(reason, 0) + 1


def submit_loop(replicas, results, stop):
    rng = random.Random()
    while not stop.is_set():
        key = str(uuid.uuid4())
        with results.lock:
            results.attempts += 1
        order = rng.sample(replicas, len(replicas))
        outcome = None
        for attempt, replica in enumerate(order):
            if attempt:
                with results.lock:
                    results.retried += 1
            try:
                status, body = request("POST", replica.base + "/skatev2/spark", SPARK_PI, {
                    "Content-Type": "application/json", "User-Account": USER, "Idempotency-Key": key})
            except OSError as error:
                outcome = f"connection: {type(error).__name__}"
                continue
            if status == 200:
                sid = json.loads(body)["submissionId"]
                with results.lock:
                    results.accepted.setdefault(key, set()).add(sid)
                outcome = None
                break
            outcome = f"HTTP {status}"
            if status < 500 and status != 429:
                break
        if outcome:
            results.count(results.failed, outcome)


def status_loop(replicas, results, stop):
    rng = random.Random()
    while not stop.is_set():
        with results.lock:
            ids = [sid for sids in results.accepted.values() for sid in sids]
        if not ids:
            time.sleep(0.05)
            continue
        replica = rng.choice(replicas)
        try:
            status, _ = request("GET", f"{replica.base}/skatev2/spark/{rng.choice(ids)}/status",
                                headers={"User-Account": USER})
            with results.lock:
                results.status_reads += 1
            if status != 200:
                results.count(results.status_errors, f"HTTP {status}")
        except OSError as error:
            results.count(results.status_errors, f"connection: {type(error).__name__}")


ACTIVE = re.compile(r'^bpg_monitor_lag_seconds\{cluster="([^"]+)"\}', re.M)


def monitor_sampler(replicas, results, stop):
    while not stop.is_set():
        holders = {}
        for replica in replicas:
            if replica.process is None or replica.process.poll() is not None:
                continue
            try:
                status, body = request("GET", replica.base + "/metrics", timeout=2)
            except OSError:
                continue
            if status != 200:
                continue
            for cluster in ACTIVE.findall(body.decode()):
                holders.setdefault(cluster, []).append(replica.index)
        with results.lock:
            results.monitor_samples += 1
            for cluster, indices in holders.items():
                if len(indices) > 1:
                    results.monitor_overlaps.append((time.time(), cluster, indices))
        time.sleep(0.5)


def killer(replicas, results, stop, every):
    rng = random.Random(7)
    while not stop.wait(every):
        victim = rng.choice(replicas)
        victim.kill()
        with results.lock:
            results.kills += 1
        victim.start()


def sql(args, statement):
    output = subprocess.run(
        ["mariadb", "--no-defaults", f"--socket={args.database_socket}", "-uroot", "-N", "-B", "bpg_test", "-e", statement],
        check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in output.splitlines() if line]


def cluster_applications(simulator, ca):
    port, token = simulator
    context = ssl.create_default_context(cadata=base64.b64decode(ca).decode())
    status, body = request(
        "GET", f"https://127.0.0.1:{port}/apis/sparkoperator.k8s.io/v1beta2/namespaces/{NAMESPACE}/sparkapplications",
        headers={"Authorization": f"Bearer {token}"}, timeout=30, context=context)
    assert status == 200, body
    items = json.loads(body)["items"]
    return {item["metadata"]["name"]: (item.get("status") or {}).get("applicationState", {}).get("state", "")
            for item in items}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bpg", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--database-port", type=int, required=True)
    parser.add_argument("--database-socket", required=True)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--kill-every", type=float, default=10)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--readers", type=int, default=2)
    args = parser.parse_args()

    simulators = []
    for cluster in CLUSTERS:
        port, token = free_port(), f"token-{cluster}"
        log = open(os.path.join(args.work, f"{cluster}.log"), "w")
        subprocess.Popen([args.bpg, "simulate-cluster", "--port", str(port), "--token", token,
                          "--step-ms", "1000", "--kubeconfig", os.path.join(args.work, f"{cluster}.kubeconfig")],
                         stdout=log, stderr=log)
        simulators.append((port, token))
    certificate_authorities = []
    for cluster in CLUSTERS:
        # The simulator writes its kubeconfig (with its development CA) once it listens.
        path = os.path.join(args.work, f"{cluster}.kubeconfig")
        deadline = time.time() + 30
        while not (os.path.exists(path) and "certificate-authority-data" in open(path).read()):
            if time.time() > deadline:
                sys.exit(f"{cluster}: the simulated cluster did not start; see {args.work}/{cluster}.log")
            time.sleep(0.1)
        certificate_authorities.append(re.search(r"certificate-authority-data:\s*(\S+)", open(path).read()).group(1))

    clusters_yaml = "".join(f"""
  - id: {cluster}
    weight: 50
    masterUrl: https://127.0.0.1:{port}
    caCertDataSOPS: {ca}
    userTokenSOPS: plaintext:{token}
    sparkApplicationNamespace: {NAMESPACE}
    sparkVersions: ['3.5.0']
    queues: [dev]
""" for cluster, (port, token), ca in zip(CLUSTERS, simulators, certificate_authorities))
    # BPG's config file with no `gateway:` section: the gateway's defaults, as a migrating team runs it.
    config_text = f"""
allowedUsers: ['*']
sparkImages: [{{name: apache/spark:3.5.0, types: [Java, Scala], version: '3.5.0'}}]
queues: [{{name: dev}}]
sparkClusters:{clusters_yaml}
dbStorageSOPS:
  connectionString: jdbc:mysql://127.0.0.1:{args.database_port}/bpg_test
  user: bpg
  password: plaintext:bpg-test
  dbName: bpg_test
server:
  applicationConnectors: [{{type: http, port: API_PORT}}]
  adminConnectors: [{{type: http, port: ADMIN_PORT}}]
"""
    replicas = [Replica(i, args, config_text) for i in range(REPLICAS)]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        if not replica.wait_ready():
            sys.exit(f"replica {replica.index} did not start; see {args.work}/replica-{replica.index}.log")

    results = Results()
    stop = threading.Event()
    threads = [threading.Thread(target=submit_loop, args=(replicas, results, stop)) for _ in range(args.clients)]
    threads += [threading.Thread(target=status_loop, args=(replicas, results, stop)) for _ in range(args.readers)]
    threads.append(threading.Thread(target=monitor_sampler, args=(replicas, results, stop)))
    chaos_stop = threading.Event()
    chaos = threading.Thread(target=killer, args=(replicas, results, chaos_stop, args.kill_every))
    started = time.time()
    for thread in threads:
        thread.start()
    chaos.start()
    time.sleep(args.duration)
    chaos_stop.set()
    chaos.join()
    for replica in replicas:
        replica.wait_ready()
    # Clients stop; the monitors go on until every accepted application's record is final.
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.time() - started

    accepted_ids = {sid for sids in results.accepted.values() for sid in sids}
    keys_with_two = [key for key, sids in results.accepted.items() if len(sids) > 1]
    settle_deadline = time.time() + 120
    while True:
        rows = dict(sql(args, "SELECT submission_id, COALESCE(status, '') FROM application_submission"))
        unfinished = [sid for sid in accepted_ids if rows.get(sid, "") not in TERMINAL]
        if not unfinished or time.time() > settle_deadline:
            break
        time.sleep(2)
    applications = {}
    duplicates_across_clusters = 0
    for simulator, ca in zip(simulators, certificate_authorities):
        for name, state in cluster_applications(simulator, ca).items():
            if name in applications:
                duplicates_across_clusters += 1
            applications[name] = state
    # Read the records again after listing the applications: a request a client gave up on may still
    # have been recording and creating while the first read ran.
    rows = dict(sql(args, "SELECT submission_id, COALESCE(status, '') FROM application_submission"))
    without_record = [sid for sid in accepted_ids if sid not in rows]
    without_application = [sid for sid in accepted_ids if sid not in applications]
    applications_without_record = [name for name in applications if name not in rows]
    state_mismatch = [sid for sid in accepted_ids
                      if sid in applications and applications[sid] and rows.get(sid) != applications[sid]]
    duplicate_history = sql(args, """
        SELECT submission_id, status, COUNT(*) FROM submission_status_history
        GROUP BY submission_id, status, observed_version HAVING COUNT(*) > 1""")

    for replica in replicas:
        replica.kill()

    def line(name, value):
        print(f"{name:<58} {value}")
    print()
    print(f"== {REPLICAS} replicas, {len(CLUSTERS)} simulated clusters, one MariaDB: {elapsed:.0f} s, "
          f"a replica SIGKILLed every {args.kill_every:g} s")
    line("replica kills (each restarted at once)", results.kills)
    line("submissions tried (distinct idempotency keys)", results.attempts)
    line("accepted (200 with a submission id)", len(accepted_ids))
    line("client retries on another replica (same key)", results.retried)
    line("failed after the client's retries", sum(results.failed.values()) or 0)
    for reason, count in sorted(results.failed.items()):
        line(f"  {reason}", count)
    line("status reads", results.status_reads)
    line("status reads failed", sum(results.status_errors.values()) or 0)
    for reason, count in sorted(results.status_errors.items()):
        line(f"  {reason}", count)
    line("accepted without a record (lost)", len(without_record))
    line("accepted without a SparkApplication (lost)", len(without_application))
    line("SparkApplications without a record", len(applications_without_record))
    line("idempotency keys answered with two submission ids", len(keys_with_two))
    line("SparkApplications created twice (same name on both clusters)", duplicates_across_clusters)
    line("records not final 120 s after the end", len(unfinished))
    line("records whose state differs from their application's", len(state_mismatch))
    line("duplicate status-history rows", len(duplicate_history))
    line("monitor samples / samples with a cluster monitored twice",
         f"{results.monitor_samples} / {len(results.monitor_overlaps)}")
    problems = (len(without_record) + len(without_application) + len(keys_with_two) + duplicates_across_clusters
                + len(duplicate_history) + len(results.monitor_overlaps) + len(applications_without_record))
    if problems:
        print(f"\nFAILED: {problems} problem(s); replica logs in {args.work} (kept)")
        for sid in (without_record + without_application)[:10]:
            print("  lost:", sid)
        for name in applications_without_record[:10]:
            print("  application without a record:", name, applications[name])
        for overlap in results.monitor_overlaps[:10]:
            print("  monitored twice:", overlap)
        sys.exit(1)
    print("\nOK: nothing lost, nothing created twice, one monitor per cluster")


if __name__ == "__main__":
    main()
