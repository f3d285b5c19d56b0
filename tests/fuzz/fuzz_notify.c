/* The sd_notify datagram parser (what a service sends to NOTIFY_SOCKET), on
 * any bytes: notify_parse must not read past len, must leave a terminated,
 * printable STATUS= and an EXTEND_TIMEOUT_USEC= in range, and must agree with
 * a line-by-line reading of the same bytes. A message it accepts is then heard
 * by a state machine in one of several situations (starting, ready with a check
 * running, stopping, recovering, after SIGKILL, backoff, a --pre program,
 * --ready=cmd), from the service and from another process; the machine must
 * stay consistent, and its deadlines must go on firing in order. */
#include "fuzz.h"

#include <signal.h>

#include "supervisor/machine.h"
#include "supervisor/notify.h"

#define SERVICE 42
#define STRANGER 4242

/* Whether some line of data is exactly want. */
static bool has_line(const uint8_t *data, size_t size, const char *want)
{
	size_t wlen = strlen(want);

	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : size - i;
		if (n == wlen && memcmp(data + i, want, n) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* Whether some line of data starts with prefix. */
static bool has_prefix(const uint8_t *data, size_t size, const char *prefix)
{
	size_t plen = strlen(prefix);

	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : size - i;
		if (n >= plen && memcmp(data + i, prefix, plen) == 0)
			return true;
		i += n + 1;
	}
	return false;
}

/* Every non-empty line holds an '='. */
static bool every_line_assigns(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size;) {
		const uint8_t *nl = memchr(data + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - (data + i)) : size - i;
		if (n > 0 && memchr(data + i, '=', n) == NULL)
			return false;
		i += n + 1;
	}
	return true;
}

static void check_text(const char *text, size_t size)
{
	const char *nul = memchr(text, '\0', size);

	CHECK(nul != NULL);
	for (const char *c = text; c < nul; c++)
		CHECK(*c >= 0x20 && *c <= 0x7e);
}

static void check_message(const struct notify_message *m, const uint8_t *data, size_t size, bool ok)
{
	check_text(m->status, sizeof m->status);
	CHECK(m->extend_ms == -1 || (m->extend_ms >= 0 && m->extend_ms <= 86400000));
	if (!ok)
		return;
	CHECK(size > 0 && memchr(data, '\0', size) == NULL && every_line_assigns(data, size));
	CHECK(m->ready == has_line(data, size, "READY=1"));
	CHECK(m->stopping == has_line(data, size, "STOPPING=1"));
	CHECK(m->watchdog == has_line(data, size, "WATCHDOG=1"));
	CHECK(m->has_status == has_prefix(data, size, "STATUS="));
	CHECK(m->has_status || m->status[0] == '\0');
	CHECK((m->extend_ms >= 0) == has_prefix(data, size, "EXTEND_TIMEOUT_USEC="));
}

static struct sv_policy policy(void)
{
	struct sv_policy p;

	memset(&p, 0, sizeof p);
	p.restart = RESTART_ALWAYS;
	p.backoff_min_ms = 250;
	p.backoff_max_ms = 30000;
	p.stable_ms = 10000;
	p.grace_ms = 8000;
	p.default_stop_signal = SIGTERM;
	p.ready = READY_NOTIFY;
	p.ready_interval_ms = 1000;
	p.ready_timeout_ms = 10000;
	p.check = true;
	p.check_interval_ms = 5000;
	p.check_timeout_ms = 2000;
	p.check_start_ms = 0;
	p.check_retries = 2;
	p.watchdog_ms = 6000;
	return p;
}

#define SCENARIOS 9

/* Puts sv in situation k; returns the time the message arrives at. */
static int64_t situation(struct supervisor *sv, unsigned k)
{
	struct sv_policy p = policy();

	if (k == 6)
		p.npre = 1;
	else if (k == 7)
		p.ready = READY_CMD;
	else if (k == 8)
		p.ready = READY_EXEC;
	sv_init(sv, &p);
	sv_begin(sv, 0);
	sv_spawned(sv, k == 6 ? 10 : SERVICE, 0);
	switch (k) {
	case 0: /* running, not ready, --ready-timeout armed */
		return 1000;
	case 1: /* ready, a check running */
		sv_ready(sv, 0);
		CHECK(sv_deadline(sv, 5000).spawn_probe == PROBE_CHECK);
		sv_probe_spawned(sv, 60, 0, 5000);
		return 5500;
	case 2: /* a user stop's grace period */
		sv_stop(sv, SIGTERM, 500);
		return 1000;
	case 3: /* recovering from --ready-timeout */
		CHECK(sv_deadline(sv, 10000).hung);
		return 11000;
	case 4: /* the recovery's SIGKILL sent, waiting for the reap */
		CHECK(sv_deadline(sv, 10000).hung);
		CHECK(sv_deadline(sv, 18000).kill_all);
		return 19000;
	case 5: /* backoff: no child */
		sv_child_exited(sv, 1 << 8, false, 100);
		return 200;
	case 6: /* a --pre program runs */
		return 50;
	case 7: /* --ready=cmd, its run going on */
		CHECK(sv_deadline(sv, 1000).spawn_probe == PROBE_READY);
		sv_probe_spawned(sv, 50, 0, 1000);
		return 1500;
	default: /* --ready=exec: ready, a check and the watchdog armed */
		return 1000;
	}
}

static void check_machine(const struct supervisor *sv)
{
	CHECK(sv->state >= SV_STARTING && sv->state < SV_STATE_COUNT);
	CHECK((unsigned)sv->reason < SV_REASON_COUNT);
	check_text(sv->status_text, sizeof sv->status_text);
	/* Probes, the watchdog and --ready-timeout watch a running service only. */
	if (sv->state != SV_RUNNING) {
		CHECK(sv->probe_at_ms < 0 && sv->watchdog_at_ms < 0 && sv->ready_by_ms < 0);
		CHECK(sv->probe == 0);
	}
	if (sv->ready)
		CHECK(sv->ready_by_ms < 0);
	/* The next deadline is the earliest of those armed. */
	int64_t next = sv_next_deadline(sv);
	const int64_t all[] = { sv->deadline_ms, sv->ready_by_ms, sv->probe_at_ms, sv->watchdog_at_ms };
	bool any = false;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (all[i] >= 0) {
			CHECK(next >= 0 && next <= all[i]);
			any = true;
		}
	}
	CHECK(any == (next >= 0));
}

static bool nothing_but(const struct sv_actions *a)
{
	return a->spawn == SPAWN_NOTHING && a->signal_child == 0 && a->signal_stale == 0 && a->signal_leftovers == 0 &&
	       a->kill_group == 0 && !a->kill_all && !a->exit_now && !a->restarting && !a->gave_up && !a->survivors &&
	       a->spawn_probe == PROBE_NONE && !a->hung;
}

/* The machine goes on from now: each deadline fires once, in order. */
static void run_on(struct supervisor *sv, int64_t now)
{
	for (int step = 0; step < 8; step++) {
		int64_t t = sv_next_deadline(sv);
		if (t < 0 || sv->state == SV_EXITED)
			break;
		if (t < now)
			t = now;
		struct sv_actions a = sv_deadline(sv, t);
		if (a.spawn != SPAWN_NOTHING)
			a = sv_spawned(sv, SERVICE + 1 + step, t);
		else if (a.spawn_probe != PROBE_NONE)
			a = sv_probe_spawned(sv, 70 + step, 0, t);
		else if (a.kill_probe > 0 && sv->probe == a.kill_probe)
			a = sv_probe_exited(sv, SIGKILL, t);
		check_machine(sv);
		int64_t after = sv_next_deadline(sv);
		CHECK(after < 0 || after > t || sv->state == SV_EXITED);
		now = t;
	}
}

static void hear(const struct notify_message *m, unsigned k, int64_t offset)
{
	struct supervisor sv, before;
	struct sv_actions a;
	int64_t now = situation(&sv, k) + offset;

	check_machine(&sv);
	/* Another process is never heard: nothing changes. */
	memcpy(&before, &sv, sizeof sv);
	a = sv_notified(&sv, STRANGER, m, now);
	CHECK(a.notify_dropped && nothing_but(&a) && a.kill_probe == 0 && !a.became_ready);
	CHECK(memcmp(&sv, &before, sizeof sv) == 0);

	pid_t sender = k == 6 ? 10 : SERVICE;
	bool heard = sv.child == sender && sv.child_is_service;
	a = sv_notified(&sv, sender, m, now);
	CHECK(a.notify_dropped == !heard);
	CHECK(nothing_but(&a));
	check_machine(&sv);
	if (!heard) {
		CHECK(memcmp(&sv, &before, sizeof sv) == 0);
		return;
	}
	if (m->has_status)
		CHECK(strcmp(sv.status_text, m->status) == 0);
	else
		CHECK(strcmp(sv.status_text, before.status_text) == 0);
	CHECK(a.became_ready == (m->ready && !m->stopping && before.state == SV_RUNNING && !before.ready));
	if (a.became_ready)
		CHECK(sv.ready && a.ran_ms == now - sv.started_ms);
	CHECK(a.kill_probe == 0 || a.kill_probe == before.probe);
	if (m->stopping && before.state == SV_RUNNING) {
		CHECK(!sv.ready && sv.probe == 0 && sv.probe_at_ms < 0 && sv.watchdog_at_ms < 0 && sv.ready_by_ms < 0);
		CHECK(a.kill_probe == before.probe);
	}
	/* EXTEND_TIMEOUT_USEC= moves a deadline later, never past its limit. */
	CHECK(sv.deadline_ms == before.deadline_ms || (m->extend_ms >= 0 && sv.deadline_ms > before.deadline_ms &&
						       sv.deadline_ms <= before.extend_limit_ms));
	if (sv.ready_by_ms >= 0)
		CHECK(sv.ready_by_ms == before.ready_by_ms ||
		      (m->extend_ms >= 0 && sv.ready_by_ms > before.ready_by_ms && sv.ready_by_ms <= before.extend_limit_ms));
	if (before.killed)
		CHECK(sv.deadline_ms == before.deadline_ms);
	CHECK(sv.state == before.state);

	/* READY=1 counts once per run. */
	bool was_ready = sv.ready;
	a = sv_notified(&sv, sender, m, now + 1);
	CHECK(nothing_but(&a) && !a.notify_dropped);
	CHECK(!(a.became_ready && was_ready));
	CHECK(!(a.became_ready && m->stopping));
	check_machine(&sv);
	run_on(&sv, now + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct notify_message m, again;

	/* Exactly size bytes, no terminator: the parser must respect len. */
	char *copy = malloc(size ? size : 1);
	CHECK(copy != NULL);
	memcpy(copy, data, size);
	bool ok = notify_parse(copy, size, &m);
	check_message(&m, data, size, ok);
	CHECK(notify_parse(copy, size, &again) == ok && memcmp(&m, &again, sizeof m) == 0);
	free(copy);
	if (!ok)
		return 0;

	/* The situation and the arrival time come from the bytes, so that each
	 * message meets more than one. */
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	hear(&m, h % SCENARIOS, (int64_t)(h >> 8) % 500);
	hear(&m, (h >> 4) % SCENARIOS, 0);
	return 0;
}
