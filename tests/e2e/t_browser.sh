# shellcheck shell=sh
# The site in a real browser (headless Chromium driven by python3-selenium,
# tests/e2e/browser/site.py): the administrator publishes a post in the block
# editor, the second user comments on it, an anonymous visitor sees both, and
# Site Health has no critical issue but the one an offline machine causes.
# Also WP-Cron: a post scheduled two minutes ahead is published on time by
# visits alone. Screenshots go to $TMP/screenshots and build/e2e-screenshots/;
# E2E_DOCS_SCREENSHOTS=1 also writes them to docs/screenshots/.

BROWSER_DIR=$ROOT/tests/e2e/browser
# Debian's python3: selenium is python3-selenium, not another interpreter's.
BROWSER_PYTHON=/usr/bin/python3
SCHEDULE_AHEAD=120

# browser_missing: what the browser tests need and this machine lacks.
browser_missing() {
	for f in /usr/bin/chromium /usr/bin/chromedriver "$BROWSER_PYTHON"; do
		[ -x "$f" ] || echo "$f"
	done
	[ -x "$BROWSER_PYTHON" ] && ! "$BROWSER_PYTHON" -c 'import selenium' 2>/dev/null && echo "python3-selenium"
	return 0
}

# browser_step STEP: one step of site.py. Without the tools it is a skip,
# but a failure where the suite must be complete (CI sets E2E_REQUIRE).
browser_step() {
	missing=$(browser_missing | tr '\n' ' ')
	if [ -n "$missing" ]; then
		[ -z "${E2E_REQUIRE:-}" ] || fail "missing: $missing(apt-get install chromium chromium-driver python3-selenium)" || return 1
		echo "missing: $missing(apt-get install chromium chromium-driver python3-selenium)"
		return 77
	fi
	# -B: no __pycache__ left in the work tree by a test run.
	"$BROWSER_PYTHON" -B "$BROWSER_DIR/site.py" "$1" --domain "$DOMAIN" --port "$PORT" \
		--secrets "$SECRETS" --shots "$TMP/screenshots" --state "$TMP/browser.json" \
		--admin "$WP_ADMIN_USER" --user "$WP_USER"
}

# schedule_post: a post due SCHEDULE_AHEAD seconds from now, made by
# WordPress's own wp_insert_post inside the container. Its id, time and title
# go to a file: each check runs in a subshell of its own.
schedule_post() {
	title="Scheduled post $$ $(date +%s)"
	out=$(docker exec -i -u www-data "$(cid wordpress)" php -- "$title" "$SCHEDULE_AHEAD" \
		<"$BROWSER_DIR/schedule-post.php") || fail "schedule-post.php: $out" || return 1
	code=$(https "/?p=${out% *}" -o /dev/null -w '%{http_code}')
	[ "$code" = 404 ] || fail "the scheduled post answers $code before its time, not 404" || return 1
	echo "$out $title" >"$TMP/scheduled-post"
	echo "post ${out% *} due at $(date -u -d "@${out#* }" +%T) UTC, not visible before"
}

# scheduled_published: visit the home page every 2 s (each visit may spawn
# WP-Cron) until the scheduled post is public; within 60 s of its time.
scheduled_published() {
	read -r SCHEDULED_ID SCHEDULED_AT SCHEDULED_TITLE <"$TMP/scheduled-post" 2>/dev/null ||
		fail "no post was scheduled" || return 1
	while :; do
		now=$(date +%s)
		if https "/?p=$SCHEDULED_ID" -f 2>/dev/null | grep -qF "$SCHEDULED_TITLE"; then
			late=$((now - SCHEDULED_AT))
			[ "$late" -ge 0 ] || fail "published $((-late)) s before its time" || return 1
			echo "post $SCHEDULED_ID public $late s after its time (visits every 2 s, no system cron)"
			return 0
		fi
		[ "$now" -le $((SCHEDULED_AT + 60)) ] || fail "post $SCHEDULED_ID still not public 60 s after its time" || return 1
		https / -o /dev/null 2>/dev/null || true
		sleep 2
	done
}

# keep_screenshots: the PNGs where a person looks for them (build/ is
# git-ignored; docs/screenshots/ is what docs/stack.md shows).
keep_screenshots() {
	ls "$TMP"/screenshots/*.png >/dev/null 2>&1 || return 0
	mkdir -p "$ROOT/build/e2e-screenshots"
	cp "$TMP"/screenshots/*.png "$ROOT/build/e2e-screenshots/"
	if [ "${E2E_DOCS_SCREENSHOTS:-0}" = 1 ]; then
		mkdir -p "$ROOT/docs/screenshots"
		for f in home editor site-health; do
			[ ! -f "$TMP/screenshots/$f.png" ] || cp "$TMP/screenshots/$f.png" "$ROOT/docs/screenshots/"
		done
	fi
	echo "e2e: screenshots in $ROOT/build/e2e-screenshots/"
}

run_browser() {
	check "WP-Cron: a post scheduled ${SCHEDULE_AHEAD} s ahead (wp_insert_post, status future)" schedule_post
	check "browser: the administrator '$WP_ADMIN_USER' publishes a post in the block editor" browser_step publish
	check "browser: '$WP_USER' comments on it" browser_step comment
	check "browser: an anonymous visitor sees the post and the comment" browser_step visitor
	check "browser: Site Health, every test done: no critical issue but wordpress.org unreachable (offline)" browser_step site-health
	check "WP-Cron: the scheduled post is published by visits within 60 s of its time" scheduled_published
	keep_screenshots
}
