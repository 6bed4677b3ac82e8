"""Drives a gateway's Livy batch API with real Livy clients.

Run by LivyClientTests (Swift) against a dev-mode gateway on loopback:

    python livy_clients.py <base-url> [livy|airflow ...]

The gateway is expected to fail every batch named "must-fail" (the Swift test tells the simulated
operator so). Prints one line per check and exits non-zero on the first failure.
"""

import os
import sys
import time

BASE = sys.argv[1]
WHICH = sys.argv[2:] or ["livy"]
USER = "alice"
JAR = "local:///usr/lib/spark/examples/jars/spark-examples.jar"
PI = "org.apache.spark.examples.SparkPi"
FINAL = {"success", "dead", "killed", "error"}
TIMEOUT = 90


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", flush=True)
        sys.exit(1)
    print(f"ok: {message}", flush=True)


def wait_until(read, done, what):
    deadline = time.time() + TIMEOUT
    value = read()
    while not done(value):
        if time.time() > deadline:
            check(False, f"{what} within {TIMEOUT} s (last: {value})")
        time.sleep(0.25)
        value = read()
    return value


def livy_client():
    """The `livy` package (PyPI livy 0.8.0): LivyClient and the LivyBatch helper."""
    import requests
    from livy import LivyBatch, SessionState
    from livy.client import LivyClient

    client = LivyClient(BASE, auth=(USER, "unused"))

    batch = LivyBatch.create(
        BASE, file=JAR, class_name=PI, args=["100"], name="livy-client-pi", queue="dev",
        driver_memory="2g", driver_cores=1, executor_memory="2g", executor_cores=1, num_executors=2,
        spark_conf={"spark.eventLog.enabled": "false"}, auth=(USER, "unused"))
    check(batch.batch_id is not None, f"livy: create_batch returned batch {batch.batch_id}")
    state = batch.wait()
    check(state == SessionState.SUCCESS, f"livy: batch {batch.batch_id} polled to success ({state})")
    lines = batch.log()
    check(any("Pi is roughly" in line for line in lines), f"livy: log has the driver's result ({len(lines)} lines)")
    info = client.get_batch(batch.batch_id)
    check(info.app_id and info.app_id.startswith("spark-"), f"livy: appId {info.app_id}")
    check(info.app_info and info.app_info.get("driverLogUrl"), f"livy: appInfo.driverLogUrl {info.app_info}")
    log = client.get_batch_log(batch.batch_id, from_=0, size=1)
    check(len(log.lines) == 1 and log.total >= len(lines), f"livy: log paging from=0 size=1 of {log.total}")

    failing = client.create_batch(file=JAR, class_name=PI, name="must-fail", queue="dev")
    final = wait_until(lambda: client.get_batch(failing.batch_id).state.value, lambda s: s in FINAL, "failing batch ends")
    check(final == "dead", f"livy: failing batch {failing.batch_id} ends dead")

    victim = client.create_batch(file=JAR, class_name=PI, name="livy-client-victim", queue="dev")
    wait_until(lambda: client.get_batch(victim.batch_id).state.value, lambda s: s == "running", "victim runs")
    client.delete_batch(victim.batch_id)
    after = wait_until(
        lambda: client.get_batch(victim.batch_id),
        lambda b: b is None or b.state == SessionState.KILLED, "deleted batch is killed")
    check(after is None or after.state == SessionState.KILLED, f"livy: deleted batch {victim.batch_id} is killed")

    ids = [b.batch_id for b in client.list_batches()]
    check({batch.batch_id, failing.batch_id, victim.batch_id} <= set(ids), f"livy: list_batches has them ({ids})")

    try:
        client.create_batch(file=JAR, num_executors="two")
        check(False, "livy: a string numExecutors is refused")
    except requests.HTTPError as error:
        body = error.response.json()
        check(error.response.status_code == 400 and "numExecutors" in body.get("msg", ""),
              f"livy: bad input is a 400 naming the field ({body})")
    client.close()


def airflow_hook():
    """Airflow's LivyHook (apache-airflow-providers-apache-livy), with its connection from the
    environment as Airflow reads it."""
    from urllib.parse import urlparse

    url = urlparse(BASE)
    os.environ["AIRFLOW_CONN_LIVY_GATEWAY"] = f"http://{USER}:unused@{url.hostname}:{url.port}"
    from airflow.providers.apache.livy.hooks.livy import BatchState, LivyHook

    hook = LivyHook(livy_conn_id="livy_gateway")
    batch_id = hook.post_batch(
        file=JAR, class_name=PI, args=["100"], name="airflow-pi", queue="dev",
        driver_memory="2g", executor_memory="2g", num_executors=2, conf={"spark.eventLog.enabled": "false"})
    check(isinstance(batch_id, int), f"airflow: post_batch returned {batch_id}")
    state = wait_until(lambda: hook.get_batch_state(batch_id), lambda s: s in hook.TERMINAL_STATES, "airflow batch ends")
    check(state == BatchState.SUCCESS, f"airflow: batch {batch_id} ends {state}")
    logs = hook.get_batch_logs(batch_id, 0, 100)
    check(any("Pi is roughly" in line for line in logs.get("log", [])), "airflow: get_batch_logs has the result")
    check(hook.get_batch(batch_id)["appId"], "airflow: get_batch has appId")

    failing = hook.post_batch(file=JAR, class_name=PI, name="must-fail", queue="dev")
    state = wait_until(lambda: hook.get_batch_state(failing), lambda s: s in hook.TERMINAL_STATES, "airflow failing batch ends")
    check(state == BatchState.DEAD, f"airflow: failing batch {failing} ends {state}")

    victim = hook.post_batch(file=JAR, class_name=PI, name="airflow-victim", queue="dev")
    wait_until(lambda: hook.get_batch_state(victim), lambda s: s == BatchState.RUNNING, "airflow victim runs")
    hook.delete_batch(victim)
    state = wait_until(lambda: hook.get_batch_state(victim), lambda s: s in hook.TERMINAL_STATES, "airflow deleted batch ends")
    check(state == BatchState.KILLED, f"airflow: deleted batch {victim} ends {state}")


for name in WHICH:
    {"livy": livy_client, "airflow": airflow_hook}[name]()
print("all checks passed", flush=True)
