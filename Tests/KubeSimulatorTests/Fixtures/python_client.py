"""The official Python `kubernetes` client against a simulated cluster (PythonClientTests).

Usage: python python_client.py KUBECONFIG NAMESPACE
Creates a SparkApplication, changes it with merge patches and a replace (PUT), changes its
driver pod with a strategic merge patch and a replace, waits for the simulated operator to finish it,
and reads pods and events through the client's typed models (which reject objects missing required
fields). Prints OK at the end; any failure raises (exit status 1, traceback on stderr).
"""
import sys
import time

from kubernetes import client, config
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "sparkoperator.k8s.io", "v1beta2", "sparkapplications"


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    custom = client.CustomObjectsApi()
    core = client.CoreV1Api()
    name = "py-pi"
    body = {
        "apiVersion": f"{GROUP}/{VERSION}", "kind": "SparkApplication",
        "metadata": {"name": name},
        "spec": {
            "type": "Scala", "mode": "cluster", "sparkVersion": "3.5.3", "image": "spark:3.5.3",
            "mainClass": "org.apache.spark.examples.SparkPi",
            "mainApplicationFile": "local:///opt/spark/examples/jars/spark-examples.jar",
            "driver": {"cores": 1, "memory": "512m"}, "executor": {"instances": 1, "cores": 1, "memory": "512m"},
        },
    }
    created = custom.create_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, body)
    check(created["metadata"]["generation"] == 1, f"generation {created['metadata'].get('generation')}")

    # Merge patch (what the client sends for a dict when asked).
    merged = custom.patch_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, name, {"metadata": {"labels": {"team": "pi"}}},
        _content_type="application/merge-patch+json")
    check(merged["metadata"]["labels"].get("team") == "pi", f"merge patch: {merged['metadata']}")

    # The client's own default for a dict body (this client version types the body as a dict, so a
    # JSON patch list cannot go through it).
    patched = custom.patch_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, name, {"metadata": {"annotations": {"owner": "python"}}})
    check(patched["metadata"]["annotations"].get("owner") == "python", f"default patch: {patched['metadata']}")

    # Replace (PUT) with the version read: the spec change bumps the generation.
    current = custom.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name)
    current["spec"]["arguments"] = ["100"]
    replaced = custom.replace_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name, current)
    check(replaced["spec"]["arguments"] == ["100"], "replace kept the change")
    check(replaced["metadata"]["generation"] == 2, f"generation after replace {replaced['metadata']['generation']}")
    # A replace with a stale version is a 409 Conflict.
    try:
        custom.replace_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name, current)
        raise AssertionError("a stale replace succeeded")
    except ApiException as error:
        check(error.status == 409, f"stale replace: {error.status} {error.body}")

    # The driver pod: strategic merge patch and replace, read through the typed model.
    driver = None
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            driver = core.read_namespaced_pod(f"{name}-driver", namespace)
            break
        except ApiException as error:
            if error.status != 404:
                raise
            time.sleep(0.05)
    check(driver is not None, "no driver pod")
    check(driver.metadata.labels.get("spark-role") == "driver", f"labels {driver.metadata.labels}")
    check(driver.metadata.labels.get("spark-app-name") == name, f"labels {driver.metadata.labels}")
    check(driver.status.qos_class in ("Burstable", "Guaranteed"), f"qosClass {driver.status.qos_class}")
    pod = core.patch_namespaced_pod(f"{name}-driver", namespace, {"metadata": {"labels": {"patched": "yes"}}})
    check(pod.metadata.labels.get("patched") == "yes", "strategic merge patch on the pod")
    for attempt in range(10):
        pod = core.read_namespaced_pod(f"{name}-driver", namespace)
        pod.metadata.labels["replaced"] = "yes"
        try:
            pod = core.replace_namespaced_pod(f"{name}-driver", namespace, pod)
            break
        except ApiException as error:
            if error.status != 409:  # the operator changed it meanwhile
                raise
    check(pod.metadata.labels.get("replaced") == "yes", "pod replace")

    # The operator finishes it; the pod's container status says how.
    state = ""
    deadline = time.time() + 60
    while time.time() < deadline and state != "COMPLETED":
        app = custom.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name)
        state = app.get("status", {}).get("applicationState", {}).get("state", "")
        time.sleep(0.05)
    check(state == "COMPLETED", f"state {state}")
    check(app["status"].get("terminationTime"), "terminationTime")
    driver = core.read_namespaced_pod(f"{name}-driver", namespace)
    terminated = driver.status.container_statuses[0].state.terminated
    check(terminated is not None and terminated.exit_code == 0, f"container state {driver.status.container_statuses}")
    check(driver.status.pod_ip, "podIP")
    events = core.list_namespaced_event(namespace, field_selector=f"involvedObject.name={name}")
    reasons = [event.reason for event in events.items]
    for reason in ("SparkApplicationAdded", "SparkApplicationSubmitted", "SparkDriverRunning", "SparkApplicationCompleted"):
        check(reason in reasons, f"{reason} not in {reasons}")

    # Status subresource: a merge patch of /status changes only status.
    status = custom.patch_namespaced_custom_object_status(
        GROUP, VERSION, namespace, PLURAL, name, {"status": {"applicationState": {"state": "COMPLETED", "errorMessage": "checked"}}},
        _content_type="application/merge-patch+json")
    check(status["status"]["applicationState"].get("errorMessage") == "checked", "status patch")

    custom.delete_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name)
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
