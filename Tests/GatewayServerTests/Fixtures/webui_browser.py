"""The gateway's web UI in headless Chromium (driven by WebUIBrowserTests.swift).

Usage: webui_browser.py BASE_URL CONTEXT_PATH SCREENSHOT_DIR
Prints "all checks passed" at the end; any failed check raises (non-zero exit).
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, ROOT, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
USER = "webui-tester"
AUTH = "Basic " + base64.b64encode(f"{USER}:secret".encode()).decode()

SPARK_PI_YAML = """applicationName: SparkPi
queue: dev
sparkVersion: '3.5.0'
mainApplicationFile: local:///usr/lib/spark/examples/jars/spark-examples.jar
mainClass: org.apache.spark.examples.SparkPi
arguments: ['1000']
driver: {cores: 1, memory: 2g}
executor: {instances: 1, cores: 1, memory: 2g}
"""
MUST_FAIL_JSON = json.dumps({
    "applicationName": "must-fail", "queue": "dev", "sparkVersion": "3.5.0",
    "mainApplicationFile": "local:///usr/lib/spark/examples/jars/spark-examples.jar",
    "mainClass": "org.apache.spark.examples.SparkPi", "arguments": ["1"],
    "driver": {"cores": 1, "memory": "1g"}, "executor": {"instances": 1, "cores": 1, "memory": "1g"},
})
INVALID_JSON = json.dumps({"applicationName": "bad", "queue": "dev", "sparkVersion": "3.5.0",
                           "mainApplicationFile": "local:///x.jar", "driver": {"cores": -1}})


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print("ok:", message, flush=True)


def api(method, path, body=None, content_type="application/json"):
    request = urllib.request.Request(BASE + ROOT + path, method=method, data=body.encode() if body else None)
    request.add_header("Authorization", AUTH)
    if body:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def wait(driver, seconds, condition, message):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)
    except Exception as error:
        raise AssertionError(f"{message} (waited {seconds} s): {error}\npage: {driver.find_element(By.TAG_NAME, 'main').text}")


def submit_from_form(driver, text):
    driver.get(BASE + ROOT + "/ui/#/submit")
    area = wait(driver, 20, lambda d: d.find_element(By.ID, "request"), "the submit form is shown")
    area.clear()
    # Typed as a user would paste it; the browser keeps the newlines.
    driver.execute_script("arguments[0].value = arguments[1];", area, text)
    driver.find_element(By.ID, "submit-button").click()


def main():
    # Without credentials a browser gets the Basic challenge, as from the API.
    try:
        urllib.request.urlopen(BASE + "/", timeout=10)
        raise AssertionError("the page answered without credentials")
    except urllib.error.HTTPError as error:
        check(error.code == 401 and "Basic" in (error.headers.get("WWW-Authenticate") or ""),
              "the page asks a browser for Basic credentials")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        # The credentials a browser would send after the Basic prompt, on every request of the page
        # (documents, fetches and the event stream alike).
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Authorization": AUTH}})

        # The page at the server root and under the context path.
        driver.get(BASE + "/")
        wait(driver, 20, lambda d: d.find_element(By.ID, "page-title").text == "My jobs", "the root page shows my jobs")

        # Keyboard: each page puts focus on its heading; Shift+Tab goes back through the navigation,
        # Enter follows a link.
        check(driver.switch_to.active_element.get_attribute("id") == "page-title", "the page's heading has focus")
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        check(driver.switch_to.active_element.text == "Clusters", "Shift+Tab from the heading reaches the last navigation link")
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, 20, lambda d: d.find_element(By.ID, "page-title").text == "Clusters", "Enter on the link opens the clusters page")
        skip = driver.find_element(By.CSS_SELECTOR, "a.skip")
        check(skip.get_attribute("href").endswith("#main"), "a skip link leads to the content")

        # A request the API refuses shows the API's own message.
        status, body = api("POST", "/spark", INVALID_JSON)
        check(status == 400, f"the API refuses the invalid request ({status})")
        expected = json.loads(body)["message"]
        submit_from_form(driver, INVALID_JSON)
        error = wait(driver, 20, lambda d: d.find_element(By.CSS_SELECTOR, "#submit-result .error"), "the form shows the error")
        check(expected in error.text, f"the form shows the API's message: {expected!r}")
        shot(driver, "submit-invalid")

        # SparkPi from the form, as YAML: the job page follows it to COMPLETED and tails its log.
        submit_from_form(driver, SPARK_PI_YAML)
        wait(driver, 30, lambda d: "#/job/" in d.current_url, "the form opens the new job's page")
        completed_id = driver.current_url.split("#/job/")[1]
        wait(driver, 90, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline li[data-state='COMPLETED']"),
             "the timeline reaches COMPLETED")
        states = [li.get_attribute("data-state") for li in driver.find_elements(By.CSS_SELECTOR, "#timeline li")]
        check(states[0] == "ACCEPTED" and "RUNNING" in states and states[-1] == "COMPLETED",
              f"the timeline shows the transitions in order: {states}")
        wait(driver, 60, lambda d: "Pi is roughly" in d.find_element(By.ID, "log").text, "the log tail shows Pi is roughly")
        check("Pi is roughly" in driver.find_element(By.ID, "log").text, "the log tail reads 'Pi is roughly'")
        wait(driver, 20, lambda d: "mainClass" in d.find_element(By.ID, "spec").text, "the spec is shown as YAML")
        check("org.apache.spark.examples.SparkPi" in driver.find_element(By.ID, "spec").text, "the spec shows the main class")
        shot(driver, "job-completed")

        # A job that fails: its page shows the reason.
        submit_from_form(driver, MUST_FAIL_JSON)
        wait(driver, 30, lambda d: "#/job/" in d.current_url and completed_id not in d.current_url, "the failing job's page opens")
        failed_id = driver.current_url.split("#/job/")[1]
        wait(driver, 90, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline li[data-state='FAILED']"), "the timeline reaches FAILED")
        reason = wait(driver, 20, lambda d: d.find_element(By.CSS_SELECTOR, "dd.fact-reason"), "the reason is shown")
        check(reason.text.strip() != "", f"the failed job's reason is shown: {reason.text!r}")
        last = driver.find_elements(By.CSS_SELECTOR, "#timeline li")[-1].text
        check("FAILED" in last, f"the timeline's last entry says FAILED: {last!r}")
        shot(driver, "job-failed")

        # My jobs: both, and the state filter.
        driver.get(BASE + ROOT + "/ui/#/jobs")
        wait(driver, 20, lambda d: d.find_elements(By.CSS_SELECTOR, "#jobs tbody tr"), "the jobs table is shown")
        text = driver.find_element(By.ID, "jobs").text
        check(completed_id in text and failed_id in text, "my jobs lists both jobs")
        Select(driver.find_element(By.ID, "state-filter")).select_by_value("FAILED")
        driver.find_element(By.CSS_SELECTOR, "form.filters button").click()
        wait(driver, 20, lambda d: "state=FAILED" in d.current_url and d.find_elements(By.CSS_SELECTOR, "#jobs tbody tr"),
             "the filtered table is shown")
        text = driver.find_element(By.ID, "jobs").text
        check(failed_id in text and completed_id not in text, "the state filter keeps only the failed job")
        shot(driver, "jobs")

        # Clusters: spark-cluster-b is down.
        driver.get(BASE + ROOT + "/ui/#/clusters")
        row = wait(driver, 20, lambda d: d.find_element(By.CSS_SELECTOR, "tr[data-cluster='spark-cluster-b']"), "the clusters table is shown")
        check("DOWN" in row.text, f"spark-cluster-b is shown down: {row.text!r}")
        check("UP" in driver.find_element(By.CSS_SELECTOR, "tr[data-cluster='spark-cluster-a']").text, "spark-cluster-a is shown up")
        shot(driver, "clusters")

        # Phone width: one column, nothing wider than the screen but the table's own scroll box.
        driver.set_window_size(390, 844)
        driver.get(BASE + ROOT + "/ui/#/jobs")
        wait(driver, 20, lambda d: d.find_elements(By.CSS_SELECTOR, "#jobs tbody tr"), "the jobs table is shown at phone width")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        viewport = driver.execute_script("return window.innerWidth")
        check(width <= viewport, f"no sideways scrolling at phone width ({width} <= {viewport})")
        shot(driver, "jobs-phone")
    finally:
        driver.quit()
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
