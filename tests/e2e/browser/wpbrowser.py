"""A real headless Chromium on the test stack, for tests/e2e/browser/site.py.

Each Browser is a fresh profile (its own temporary --user-data-dir): a user
who logs in shares nothing with the next one, and the anonymous visitor has
never logged in at all. The site's domain is mapped to 127.0.0.1 inside
Chromium itself, so /etc/hosts is never needed.
"""

import base64
import json
import os
import shutil
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class Failure(Exception):
    """A check that did not hold: its message is what the test prints.
    network_changed: Chromium dropped requests of that browser because the
    host's interfaces changed (ERR_NETWORK_CHANGED), not because of the site."""

    network_changed = False


def read_secret(secrets_dir, name):
    # Passwords are read from the test's secret files by path: never argv,
    # never the environment (both are visible to other processes).
    with open(os.path.join(secrets_dir, name + ".txt"), encoding="utf-8") as f:
        return f.read().rstrip("\r\n")


class Browser:
    def __init__(self, site, shots_dir, width=1280, height=900):
        self.site = site
        self.shots_dir = shots_dir
        self.profile = tempfile.mkdtemp(prefix="e2e-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for flag in (
            "--headless=new",
            # As root, Chromium's sandbox cannot start.
            "--no-sandbox",
            "--disable-gpu",
            # Nothing outside the stack: no QUIC probing, no background
            # fetches, no component or sync traffic.
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + self.profile,
            # The stack's certificate is self-signed; curl checks it with
            # the real CA file in the other tests.
            "--ignore-certificate-errors",
            "--host-resolver-rules=MAP %s 127.0.0.1" % site.domain,
            "--window-size=%d,%d" % (width, height),
        ):
            opts.add_argument(flag)
        # DevTools' network events, to tell a request Chromium dropped itself.
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        self.dropped = False
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        except Exception:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(60)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        # What the browser showed when a check failed: the first thing to look at.
        if exc_type is not None:
            try:
                self.screenshot("failed-%d" % os.getpid())
                if isinstance(exc, Failure):
                    exc.network_changed = exc.network_changed or self.network_changed()
            except Exception:
                pass
        self.close()

    def network_changed(self):
        """Whether Chromium dropped a request (page, script's fetch) with
        ERR_NETWORK_CHANGED since this browser started."""
        for entry in self.driver.get_log("performance"):
            msg = json.loads(entry["message"]).get("message", {})
            if (msg.get("method") == "Network.loadingFailed"
                    and "ERR_NETWORK_CHANGED" in msg.get("params", {}).get("errorText", "")):
                self.dropped = True
        return self.dropped

    def neterror(self):
        """Chromium's own error page's code (ERR_...), or None."""
        return self.driver.execute_script(
            "var e = document.querySelector('#main-frame-error .error-code');"
            "return e ? e.textContent.trim() : null;")

    def get(self, path):
        # Chromium drops requests in flight when the host's interfaces
        # change, and on a machine where other containers come and go they
        # do: ERR_NETWORK_CHANGED says nothing of the site, so load again.
        for _ in range(3):
            self.driver.get(self.site.url(path))
            if self.neterror() != "ERR_NETWORK_CHANGED":
                return
            time.sleep(1)

    def wait(self, seconds, condition, what):
        def dropped_or(d):
            # No use waiting on Chromium's error page for what will not come.
            if self.neterror() == "ERR_NETWORK_CHANGED":
                e = Failure("%s: Chromium says ERR_NETWORK_CHANGED (at %s)" % (what, d.current_url))
                e.network_changed = True
                raise e
            return condition(d)
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.2,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(dropped_or)
        except TimeoutException:
            err = self.neterror()
            raise Failure("%s: not within %d s (at %s%s)" % (
                what, seconds, self.driver.current_url, ", Chromium says " + err if err else ""))

    def find(self, css, seconds=20, clickable=False):
        cond = EC.element_to_be_clickable if clickable else EC.visibility_of_element_located
        return self.wait(seconds, cond((By.CSS_SELECTOR, css)), "element " + css)

    def present(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        # Through script, not an element handle: a handle taken while the
        # page is being replaced goes stale under the caller.
        return self.driver.execute_script("return document.body ? document.body.innerText : '';")

    def wait_text(self, seconds, text, what):
        return self.wait(seconds, lambda d: text in self.text(), what)

    def login(self, user, password):
        for attempt in (1, 2):
            self.get("/wp-login.php")
            self.find("#user_login").send_keys(user)
            self.find("#user_pass").send_keys(password)
            self.find("#wp-submit", clickable=True).click()
            try:
                self.wait(30, lambda d: "/wp-admin/" in d.current_url or self.neterror(),
                          "the dashboard after logging in as " + user)
            except Failure:
                errors = self.present("#login_error")
                raise Failure("%s could not log in: %s" % (user, errors[0].text if errors else self.driver.current_url))
            if self.neterror() != "ERR_NETWORK_CHANGED" or attempt == 2:
                break
        if self.neterror():
            raise Failure("%s could not log in: Chromium says %s" % (user, self.neterror()))

    def screenshot(self, name, full_page=False):
        """PNG of the page into the screenshots folder; full_page: the whole
        document (up to 4000 px tall), not just the window."""
        path = os.path.join(self.shots_dir, name + ".png")
        if not full_page:
            self.driver.save_screenshot(path)
            return path
        # A headless window cannot grow past its virtual screen: DevTools
        # renders the document beyond the viewport instead.
        # From the top: fixed bars (wp-admin's) are drawn where the page is scrolled.
        self.driver.execute_script("window.scrollTo(0, 0);")
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 4000), "scale": 1},
        })
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path


class Site:
    def __init__(self, domain, port):
        self.domain = domain
        self.port = int(port)

    def url(self, path):
        host = self.domain if self.port == 443 else "%s:%d" % (self.domain, self.port)
        return "https://%s%s" % (host, path)
