#!/usr/bin/python3
"""Visitors and a writer for the Swarm tests: every request and its outcome.

usage: loadgen.py HOST PORT DOMAIN OUT [READERS] [WRITER_PASSWORD_FILE]

Until OUT.stop exists, READERS threads (default 3) fetch the home page as
anonymous visitors, from nginx's page cache and rendered by PHP in turn, each
request on a new TLS connection (as new visitors
come: a kept-alive connection would hide a refused one). With a password
file, one more thread logs in as WP_ADMIN_USER (environment) and posts a
comment every 0.5 s; WordPress answers a stored comment with a redirect to
its id, which is recorded as acknowledged. Then OUT gets one JSON object:
counts, every failure (when it started and ended, what, why), the times of
the successes (to find the longest time without one) and the acknowledged
comment ids.
A failure is a connection that fails, a 5xx, or an answer other than the
expected one (200 for the page; 302 to a comment for a post).
"""
import http.client
import json
import os
import re
import ssl
import sys
import threading
import time
import urllib.parse

HOST, PORT, DOMAIN, OUT = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
READERS = int(sys.argv[5]) if len(sys.argv) > 5 else 3
PASSWORD_FILE = sys.argv[6] if len(sys.argv) > 6 else ""
# The stack's certificate is self-signed: the test is about answers, not trust.
TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE

lock = threading.Lock()
stats = {"requests": 0, "ok": 0, "failed": 0, "failures": [], "acknowledged": [], "ok_ms": [], "first_ms": 0, "last_ms": 0}


def now_ms():
    return int(time.time() * 1000)


def record(what, start, ok, why=""):
    with lock:
        t = now_ms()
        stats["requests"] += 1
        stats["first_ms"] = stats["first_ms"] or t
        stats["last_ms"] = t
        if ok:
            stats["ok"] += 1
            stats["ok_ms"].append(t)
        else:
            stats["failed"] += 1
            stats["failures"].append({"start_ms": start, "ms": t, "what": what, "why": why})


def request(method, path, body=None, headers=None):
    """One request on a new connection: (status, headers, body) or an exception."""
    # nginx has one TLS site (its default server): the Host header names it.
    conn = http.client.HTTPSConnection(HOST, PORT, context=TLS, timeout=30)
    try:
        h = {"Host": DOMAIN, "Connection": "close"}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        return r.status, r.getheaders(), data
    finally:
        conn.close()


def stopped():
    return os.path.exists(OUT + ".stop")


def reader():
    n = 0
    while not stopped():
        n += 1
        # Every other request has a query string, which nginx's page cache
        # never answers: PHP renders it, so php-fpm's replicas are under test
        # too, not only nginx's cached copy of the home page.
        path = "/" if n % 2 else "/?loadgen=%d" % n
        start = now_ms()
        try:
            status, _, body = request("GET", path)
            ok = status == 200 and b"</html>" in body
            record("GET " + path, start, ok, "" if ok else "status %d" % status)
        except Exception as e:  # every way a request can fail counts
            record("GET " + path, start, False, "%s: %s" % (type(e).__name__, e))


def cookies_of(headers):
    return "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")


def writer(user, password):
    form = urllib.parse.urlencode({"log": user, "pwd": password, "rememberme": "forever", "testcookie": "1"})
    status, headers, _ = request(
        "POST",
        "/wp-login.php",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": "wordpress_test_cookie=WP%20Cookie%20check"},
    )
    jar = cookies_of(headers)
    if status != 302 or "wordpress_logged_in" not in jar:
        record("login", now_ms(), False, "status %d, no login cookie" % status)
        return
    n = 0
    while not stopped():
        n += 1
        text = "swarm test comment %d %d" % (os.getpid(), n)
        form = urllib.parse.urlencode({"comment": text, "comment_post_ID": "1", "comment_parent": "0"})
        start = now_ms()
        try:
            status, headers, _ = request(
                "POST",
                "/wp-comments-post.php",
                form,
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": jar},
            )
            where = dict((k.lower(), v) for k, v in headers).get("location", "")
            m = re.search(r"#comment-(\d+)$", where)
            if status == 302 and m:
                record("POST comment", start, True)
                with lock:
                    stats["acknowledged"].append(int(m.group(1)))
            else:
                record("POST comment", start, False, "status %d, location %r" % (status, where))
        except Exception as e:
            record("POST comment", start, False, "%s: %s" % (type(e).__name__, e))
        time.sleep(0.5)


threads = [threading.Thread(target=reader) for _ in range(READERS)]
if PASSWORD_FILE:
    with open(PASSWORD_FILE) as f:
        threads.append(threading.Thread(target=writer, args=(os.environ["WP_ADMIN_USER"], f.read().strip())))
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(OUT + ".tmp", "w") as f:
    json.dump(stats, f)
os.replace(OUT + ".tmp", OUT)
