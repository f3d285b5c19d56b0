"""The site as people use it, in a real headless Chromium (tests/e2e/t_browser.sh).

usage: python3 site.py STEP --domain D --port P --secrets DIR --shots DIR
                       --state FILE --admin NAME --user NAME
  publish      the administrator writes and publishes a post in the block editor
  comment      the second user comments on that post
  visitor      an anonymous visitor (fresh profile) sees the post and the comment
  site-health  the administrator's Tools > Site Health, once every test is done

Each step is one browser (a fresh profile) and one line of result on stdout;
it exits 1 with the reason when its check does not hold. The steps share the
post they work on through the JSON file --state. Passwords are read from
DIR/wp_admin_password.txt and DIR/wp_user_password.txt.
"""

import argparse
import json
import os
import sys
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wpbrowser import Browser, Failure, Site, read_secret  # noqa: E402

# Critical issues an offline machine causes, which the stack cannot fix: its
# only way out is wordpress.org itself (docs/stack.md, Site Health).
OFFLINE_CRITICAL = {"Could not reach WordPress.org"}
# Site Health's verdict on a page cache that it detects and that answers fast.
PAGE_CACHE_GOOD = "Page cache is detected and the server response time is good"


def load_state(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_state(path, state):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(state, f)
    os.replace(path + ".tmp", path)


def editor_ready(b):
    """The block editor is loaded and editable (WordPress 6.1: not in an iframe)."""
    b.wait(60, lambda d: d.execute_script(
        "return !!(window.wp && wp.data && wp.data.select('core/editor')"
        " && wp.data.select('core/editor').getCurrentPostId())"), "the block editor")


def dismiss_welcome_guide(b):
    # The guide opens on a profile's first visit, over the editor.
    try:
        b.find(".edit-post-welcome-guide", seconds=10)
    except Failure:
        return False
    close = b.present(".edit-post-welcome-guide button[aria-label='Close']")
    if close:
        close[0].click()
    else:
        b.driver.find_element(By.CSS_SELECTOR, "body").send_keys(Keys.ESCAPE)
    b.wait(10, lambda d: not d.find_elements(By.CSS_SELECTOR, ".edit-post-welcome-guide"),
           "the welcome guide closing")
    return True


def step_publish(a, site, state):
    stamp = "%d-%d" % (os.getpid(), int(time.time()))
    title = "Browser post " + stamp
    para = "Written in the block editor by a headless Chromium, " + stamp + "."
    with Browser(site, a.shots) as b:
        b.login(a.admin, read_secret(a.secrets, "wp_admin_password"))
        b.get("/wp-admin/post-new.php")
        editor_ready(b)
        guide = dismiss_welcome_guide(b)
        b.find(".editor-post-title__input", clickable=True).click()
        b.driver.switch_to.active_element.send_keys(title)
        # Enter in the title starts the first paragraph block.
        b.driver.switch_to.active_element.send_keys(Keys.ENTER)
        b.wait(10, lambda d: d.find_elements(By.CSS_SELECTOR, "p.block-editor-rich-text__editable:focus"),
               "a paragraph block after the title")
        b.driver.switch_to.active_element.send_keys(para)
        typed = b.driver.execute_script(
            "var e = wp.data.select('core/editor');"
            "return [e.getEditedPostAttribute('title'), e.getEditedPostContent()];")
        if typed[0] != title or para not in typed[1]:
            raise Failure("the editor holds %r, not what was typed" % (typed,))
        b.screenshot("editor")
        b.find(".editor-post-publish-panel__toggle", clickable=True).click()
        # The pre-publish panel asks again: its own Publish button.
        b.find(".editor-post-publish-panel .editor-post-publish-button", clickable=True).click()
        b.find(".post-publish-panel__postpublish", seconds=60)
        post = b.driver.execute_script(
            "var p = wp.data.select('core/editor').getCurrentPost(); return [p.id, p.status, p.link];")
    if post[1] != "publish":
        raise Failure("the post's status is %r after Publish" % post[1])
    state.update(post_id=post[0], post_link=post[2], title=title, paragraph=para)
    return ("'%s' published as post %s by %s (welcome guide %s)"
            % (title, post[0], a.admin, "dismissed" if guide else "not shown"))


def step_comment(a, site, state):
    if "post_id" not in state:
        raise Failure("no post: the publish step did not succeed")
    text = "Comment by %s in Chromium, %d" % (a.user, int(time.time()))
    waited = 0
    with Browser(site, a.shots) as b:
        b.login(a.user, read_secret(a.secrets, "wp_user_password"))
        for attempt in (1, 2):
            b.get("/?p=%d" % state["post_id"])
            box = b.find("#comment")
            b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.send_keys(text)
            b.find("#submit", clickable=True).click()
            b.wait(30, lambda d: text in b.text() or "wp-comments-post.php" in d.current_url and
                   d.execute_script("return document.readyState") == "complete" and
                   b.present("body.wp-die-message, #error-page"), "the comment or an error after sending it")
            if text in b.text():
                break
            # WordPress refuses a second comment within 15 s from the same
            # user (comment_flood_filter); the curl checks just commented as
            # this user. A person waits and sends it again.
            if attempt == 1 and "too quickly" in b.text():
                waited = 16
                time.sleep(waited)
                continue
            raise Failure("WordPress did not take the comment: " + b.text().strip()[:300])
        held = "awaiting moderation" in b.text()
    state["comment"] = text
    if held:
        # comment_moderation is off (wp-install.php), but a site may turn it
        # on: then the administrator approves, as a person would.
        approve(a, site, text)
    return ("%s commented on post %d%s%s" % (
        a.user, state["post_id"],
        " (held for moderation, approved by %s)" % a.admin if held else
        ", shown at once (no moderation for registered users)",
        "; sent again after %d s (WordPress's 15 s flood limit)" % waited if waited else ""))


def approve(a, site, text):
    with Browser(site, a.shots) as b:
        b.login(a.admin, read_secret(a.secrets, "wp_admin_password"))
        b.get("/wp-admin/edit-comments.php?comment_status=moderated")
        for row in b.driver.find_elements(By.CSS_SELECTOR, "#the-comment-list tr"):
            if text in row.text:
                b.driver.execute_script("arguments[0].classList.add('hover')", row)
                link = row.find_element(By.CSS_SELECTOR, ".approve a")
                b.driver.execute_script("arguments[0].click()", link)
                b.wait(20, lambda d: "unapproved" not in row.get_attribute("class").split(), "the approval")
                return
        raise Failure("the held comment is not in the moderation queue")


def step_visitor(a, site, state):
    if "comment" not in state:
        raise Failure("no comment: the comment step did not succeed")
    with Browser(site, a.shots) as b:
        b.get("/")
        b.wait_text(20, state["title"], "the post's title on the home page")
        if b.driver.get_cookies() and any(c["name"].startswith("wordpress_logged_in")
                                          for c in b.driver.get_cookies()):
            raise Failure("the visitor's fresh profile is logged in")
        b.screenshot("home", full_page=True)
        b.driver.find_element(By.LINK_TEXT, state["title"]).click()
        b.wait_text(20, state["paragraph"], "the post's paragraph on its page")
        body = b.text()
        if state["comment"] not in body:
            raise Failure("the comment is not on the post for a visitor")
        if b.present("#comment"):
            raise Failure("an anonymous visitor is offered the comment form")
    return ("a visitor sees '%s', its paragraph and %s's comment; no comment form without logging in"
            % (state["title"], a.user))


def step_site_health(a, site, state):
    with Browser(site, a.shots) as b:
        b.login(a.admin, read_secret(a.secrets, "wp_admin_password"))
        t0 = time.time()
        b.get("/wp-admin/site-health.php")
        # The direct tests ran with the page; the async ones are REST calls
        # the page makes, each marked completed when its answer is shown.
        b.wait(180, lambda d: d.execute_script(
            "return window.SiteHealth && SiteHealth.site_status.async.every(function (t) { return t.completed; })"
            " && !document.querySelector('.site-health-progress-wrapper').classList.contains('loading');"),
            "every Site Health test finished")
        seconds = time.time() - t0
        found = {}
        for sev in ("critical", "recommended", "good"):
            box = b.driver.find_element(By.ID, "health-check-issues-" + sev)
            found[sev] = [t.get_attribute("textContent").strip() for t in
                          box.find_elements(By.CSS_SELECTOR, ".health-check-accordion-trigger .title")]
        count = b.driver.find_element(By.CSS_SELECTOR, "#health-check-issues-critical .issue-count").text
        # The passed tests too: the screenshot shows what the stack fixed.
        passed = b.present(".site-health-view-passed")
        if passed:
            passed[0].click()
            b.find("#health-check-issues-good")
        b.screenshot("site-health", full_page=True)
    print("critical: %s" % ("; ".join(found["critical"]) or "none"))
    print("recommended: %s" % ("; ".join(found["recommended"]) or "none"))
    if str(len(found["critical"])) != count.strip():
        raise Failure("the page counts %s critical issues but lists %d" % (count, len(found["critical"])))
    unexpected = [t for t in found["critical"] if t not in OFFLINE_CRITICAL]
    if unexpected:
        raise Failure("critical issues the stack causes: " + "; ".join(unexpected))
    cron = [t for t in found["critical"] + found["recommended"] if "scheduled event" in t.lower()]
    if cron:
        raise Failure("scheduled events reported: " + "; ".join(cron))
    # nginx's page cache, recognised through the mu-plugin's filter (docs/stack.md, Page cache).
    if PAGE_CACHE_GOOD not in found["good"]:
        raise Failure("the page cache test did not pass: " + "; ".join(
            t for t in found["critical"] + found["recommended"] if "page cache" in t.lower()))
    state["site_health"] = found
    return ("Site Health after %.1f s: %d critical (%s); %d recommended (%s); %d good"
            % (seconds, len(found["critical"]), "; ".join(found["critical"]) or "none",
             len(found["recommended"]), "; ".join(found["recommended"]) or "none", len(found["good"])))


STEPS = {
    "publish": step_publish,
    "comment": step_comment,
    "visitor": step_visitor,
    "site-health": step_site_health,
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("step", choices=sorted(STEPS))
    p.add_argument("--domain", required=True)
    p.add_argument("--port", type=int, default=443)
    p.add_argument("--secrets", required=True, help="folder of wp_admin_password.txt and wp_user_password.txt")
    p.add_argument("--shots", required=True, help="folder for the PNG screenshots")
    p.add_argument("--state", required=True, help="JSON file the steps share")
    p.add_argument("--admin", required=True)
    p.add_argument("--user", required=True)
    a = p.parse_args()
    os.makedirs(a.shots, exist_ok=True)
    state = load_state(a.state)
    try:
        retried = ""
        for attempt in (1, 2):
            try:
                line = STEPS[a.step](a, Site(a.domain, a.port), state)
                print(line + retried)
                break
            except Failure as e:
                # Docker adds and removes interfaces on this host whenever a
                # container starts or stops, anyone's: Chromium then drops
                # what it has in flight. That says nothing of the site, so
                # the step runs once more, in a new browser, and says so.
                if not e.network_changed or attempt == 2:
                    raise
                print("attempt 1: %s" % e)
                retried = " [second attempt: Chromium dropped requests of the first (ERR_NETWORK_CHANGED)]"
    except Failure as e:
        print(e)
        return 1
    except (OSError, WebDriverException) as e:
        # A missing secret file, a browser that would not start: one line,
        # not a traceback, for check's report.
        print("%s: %s" % (type(e).__name__, (str(e).strip().splitlines() or [""])[0]))
        return 1
    finally:
        save_state(a.state, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
