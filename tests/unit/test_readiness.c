/* Whether the service works: readiness (--ready=exec|notify|cmd, --ready-timeout)
 * then liveness (--check-cmd, --watchdog), walked event by event through the
 * state machine as in test_machine.c, with the lines initd prints about them
 * and the status socket's name. Every step checks every field of the actions. */
#include <criterion/criterion.h>

#include <signal.h>
#include <string.h>

#include "supervisor/exitcode.h"
#include "supervisor/machine.h"
#include "supervisor/plan.h"
#include "supervisor/status.h"

static struct supervisor sv;

#include "tests/unit/machine_steps.h"

/* Restart always, 250 ms..30 s backoff, 8 s grace; checks and the watchdog are
 * set up but off, each test turns on what it is about. */
static struct sv_policy policy(enum ready_mode ready)
{
	struct sv_policy p;

	memset(&p, 0, sizeof p);
	p.restart = RESTART_ALWAYS;
	p.backoff_min_ms = 250;
	p.backoff_max_ms = 30000;
	p.stable_ms = 10000;
	p.grace_ms = 8000;
	p.default_stop_signal = SIGTERM;
	p.ready = ready;
	p.ready_interval_ms = 1000;
	p.ready_timeout_ms = 0;
	p.check = false;
	p.check_interval_ms = 5000;
	p.check_timeout_ms = 2000;
	p.check_start_ms = 0;
	p.check_retries = 3;
	p.watchdog_ms = 0;
	return p;
}

/* The same with --check-cmd on. */
static struct sv_policy checked(enum ready_mode ready)
{
	struct sv_policy p = policy(ready);

	p.check = true;
	return p;
}

#define expect_reason(want) \
	cr_expect_eq(sv.reason, (want), "line %d: reason %s, want %s", __LINE__, sv_reason_name(sv.reason), \
		     sv_reason_name(want))

#define expect_next_deadline(want)                                                                       \
	cr_expect_eq(sv_next_deadline(&sv), (int64_t)(want), "line %d: next deadline %lld, want %lld", __LINE__, \
		     (long long)sv_next_deadline(&sv), (long long)(want))

/* Starts the service (no --pre) at time t as pid. */
static void run_service(const struct sv_policy *p, pid_t pid, int64_t t)
{
	sv_init(&sv, p);
	expect_actions(sv_begin(&sv, t), ACT(.spawn = SPAWN_SERVICE), "begin");
	expect_actions(sv_spawned(&sv, pid, t), NONE, "spawned");
	expect_state(SV_RUNNING);
}

/* A notify message, as notify_parse leaves it. */
static struct notify_message message(void)
{
	struct notify_message m;

	memset(&m, 0, sizeof m);
	m.extend_ms = -1;
	return m;
}

static struct notify_message ready_message(void)
{
	struct notify_message m = message();

	m.ready = true;
	return m;
}

static struct notify_message extend_message(int64_t ms)
{
	struct notify_message m = message();

	m.extend_ms = ms;
	return m;
}

/* One check due at t: it is started as pid, and ends at t + 10 with status code. */
static struct sv_actions run_check(pid_t pid, int64_t t, int code)
{
	expect_next_deadline(t);
	expect_actions(sv_deadline(&sv, t), ACT(.spawn_probe = PROBE_CHECK), "check due");
	expect_actions(sv_probe_spawned(&sv, pid, 0, t), NONE, "check spawned");
	cr_expect_eq(sv.probe, pid);
	expect_next_deadline(t + sv.policy.check_timeout_ms);
	return sv_probe_exited(&sv, exited(code), t + 10);
}

/* The service, ready at exec at 0 as pid 42, fails --check-retries (3) checks
 * in a row from 5000 on, and is being stopped for it at 15030. */
static void hang_by_checks(const struct sv_policy *p)
{
	run_service(p, 42, 0);
	expect_actions(run_check(60, 5000, 1), NONE, "first failure");
	expect_actions(run_check(61, 10010, 1), NONE, "second failure");
	expect_actions(run_check(62, 15020, 1), ACT(.hung = true, .signal_child = SIGTERM), "third failure");
	expect_state(SV_STOPPING);
	expect_reason(REASON_UNHEALTHY);
	cr_expect(sv.recovering);
	cr_expect_not(sv.ready, "a service being stopped for hanging is not ready");
	cr_expect_eq(sv.deadline_ms, 15030 + 8000);
}

static void announce(const struct sv_actions *a, int wait_status, enum log_level want_level, const char *want)
{
	char buf[256];
	enum log_level level = LOG_DEBUG;

	cr_assert(plan_announcement(&sv, a, wait_status, &level, buf, sizeof buf), "nothing said, want \"%s\"", want);
	cr_expect_str_eq(buf, want);
	cr_expect_eq(level, want_level, "\"%s\": level %d, want %d", buf, level, want_level);
}

/* ------------------------------------------------------------------------- */
/* Readiness */

Test(readiness, exec_is_ready_at_spawn)
{
	struct sv_policy p = policy(READY_EXEC);

	run_service(&p, 42, 100);
	cr_expect(sv.ready);
	expect_next_deadline(-1);
	cr_expect(status_of(&sv).ready);
	expect_actions(sv_ready(&sv, 200), NONE, "already ready");
}

Test(readiness, notify_not_ready_until_ready_from_the_service)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	run_service(&p, 42, 1000);
	cr_expect_not(sv.ready);
	expect_next_deadline(-1);
	cr_expect_not(status_of(&sv).ready);
	expect_actions(sv_notified(&sv, 42, &m, 2500), ACT(.became_ready = true, .ran_ms = 1500), "READY=1");
	cr_expect(sv.ready);
	expect_state(SV_RUNNING);
	cr_expect(status_of(&sv).ready);
}

Test(readiness, notify_from_another_pid_is_dropped)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	p.ready_timeout_ms = 10000;
	run_service(&p, 42, 0);
	m.has_status = true;
	strcpy(m.status, "from a stranger");
	m.watchdog = true;
	m.stopping = true;
	m.extend_ms = 60000;
	expect_actions(sv_notified(&sv, 43, &m, 100), ACT(.notify_dropped = true), "another pid");
	expect_actions(sv_notified(&sv, 0, &m, 100), ACT(.notify_dropped = true), "pid 0");
	expect_actions(sv_notified(&sv, -42, &m, 100), ACT(.notify_dropped = true), "a negative pid");
	cr_expect_not(sv.ready);
	cr_expect_str_eq(sv.status_text, "");
	cr_expect_eq(sv.ready_by_ms, 10000, "not extended");
	expect_state(SV_RUNNING);
}

Test(readiness, notify_from_a_pre_program_is_dropped)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	p.npre = 1;
	sv_init(&sv, &p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	expect_actions(sv_spawned(&sv, 10, 0), NONE, "pre spawned");
	expect_actions(sv_notified(&sv, 10, &m, 5), ACT(.notify_dropped = true), "the --pre program is not the service");
	cr_expect_not(sv.ready);
	expect_state(SV_STARTING);
}

Test(readiness, status_text_is_kept)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = message();

	run_service(&p, 42, 0);
	m.has_status = true;
	strcpy(m.status, "loading 3/10");
	expect_actions(sv_notified(&sv, 42, &m, 10), NONE, "STATUS=");
	cr_expect_str_eq(sv.status_text, "loading 3/10");
	cr_expect_str_eq(status_of(&sv).text, "loading 3/10");
	cr_expect_not(sv.ready);
	/* A message without STATUS= leaves it; an empty STATUS= clears it. */
	m = message();
	expect_actions(sv_notified(&sv, 42, &m, 20), NONE, "no STATUS=");
	cr_expect_str_eq(sv.status_text, "loading 3/10");
	m.has_status = true;
	expect_actions(sv_notified(&sv, 42, &m, 30), NONE, "STATUS= empty");
	cr_expect_str_eq(sv.status_text, "");
}

Test(readiness, status_text_with_ready_in_one_message)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	run_service(&p, 42, 0);
	m.has_status = true;
	strcpy(m.status, "serving");
	expect_actions(sv_notified(&sv, 42, &m, 700), ACT(.became_ready = true, .ran_ms = 700), "READY=1 STATUS=");
	cr_expect_str_eq(sv.status_text, "serving");
}

Test(readiness, ready_once_per_run)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	run_service(&p, 42, 0);
	expect_actions(sv_notified(&sv, 42, &m, 100), ACT(.became_ready = true, .ran_ms = 100), "first READY=1");
	expect_actions(sv_notified(&sv, 42, &m, 200), NONE, "second READY=1");
	expect_actions(sv_ready(&sv, 300), NONE, "sv_ready again");
	cr_expect(sv.ready);
	/* The next run has to say it again. */
	expect_actions(sv_child_exited(&sv, exited(1), false, 400),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 400, .signal_stale = SIGTERM), "exit");
	cr_expect_not(sv.ready);
	expect_actions(sv_deadline(&sv, 650), ACT(.spawn = SPAWN_SERVICE, .kill_group = 42), "backoff over");
	expect_actions(sv_spawned(&sv, 43, 660), NONE, "respawned");
	cr_expect_not(sv.ready);
	expect_actions(sv_notified(&sv, 42, &m, 670), ACT(.notify_dropped = true), "the old pid");
	expect_actions(sv_notified(&sv, 43, &m, 700), ACT(.became_ready = true, .ran_ms = 40), "new run's READY=1");
}

Test(readiness, ready_not_heard_while_stopping)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	run_service(&p, 42, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 100), ACT(.signal_child = SIGTERM), "stop");
	m.has_status = true;
	strcpy(m.status, "shutting down");
	expect_actions(sv_notified(&sv, 42, &m, 200), NONE, "READY=1 while stopping");
	cr_expect_not(sv.ready);
	cr_expect_str_eq(sv.status_text, "shutting down", "STATUS= is still heard");
	expect_state(SV_STOPPING);
}

Test(readiness, status_text_cleared_by_a_new_run)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = message();

	run_service(&p, 42, 0);
	m.has_status = true;
	strcpy(m.status, "old run");
	sv_notified(&sv, 42, &m, 10);
	sv_child_exited(&sv, exited(1), false, 20);
	sv_deadline(&sv, 270);
	sv_spawned(&sv, 43, 270);
	cr_expect_str_eq(sv.status_text, "");
}

/* ------------------------------------------------------------------------- */
/* --ready=cmd */

Test(readiness, ready_cmd_polls_until_it_exits_0)
{
	struct sv_policy p = policy(READY_CMD);

	run_service(&p, 42, 0);
	cr_expect_not(sv.ready);
	expect_next_deadline(1000);
	expect_actions(sv_deadline(&sv, 999), NONE, "not yet");
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "first ready run");
	expect_next_deadline(-1);
	expect_actions(sv_probe_spawned(&sv, 50, 0, 1000), NONE, "ready cmd spawned");
	cr_expect_eq(sv.probe, 50);
	expect_next_deadline(1000 + 2000);
	expect_actions(sv_probe_exited(&sv, exited(1), 1200), NONE, "not ready yet");
	cr_expect_eq(sv.probe, 0);
	cr_expect_not(sv.ready);
	expect_next_deadline(1200 + 1000);
	expect_actions(sv_deadline(&sv, 2200), ACT(.spawn_probe = PROBE_READY), "second ready run");
	expect_actions(sv_probe_spawned(&sv, 51, 0, 2200), NONE, "spawned");
	expect_actions(sv_probe_exited(&sv, exited(0), 2300), ACT(.became_ready = true, .ran_ms = 2300), "ready");
	cr_expect(sv.ready);
	cr_expect_eq(sv.probe, 0);
	expect_next_deadline(-1);
	cr_expect_eq(sv.check_failures, 0u, "ready runs are not failed checks");
}

Test(readiness, ready_cmd_that_cannot_start_is_a_failed_run)
{
	struct sv_policy p = policy(READY_CMD);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "due");
	expect_actions(sv_probe_spawned(&sv, -1, 127, 1000), NONE, "spawn failed");
	cr_expect_not(sv.ready);
	expect_next_deadline(2000);
}

Test(readiness, ready_cmd_timed_out_is_tried_again)
{
	struct sv_policy p = policy(READY_CMD);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "due");
	expect_actions(sv_probe_spawned(&sv, 50, 0, 1000), NONE, "spawned");
	expect_actions(sv_deadline(&sv, 3000), ACT(.kill_probe = 50), "timed out");
	expect_next_deadline(-1);
	/* Even an exit 0 after the timeout's SIGKILL is not ready. */
	expect_actions(sv_probe_exited(&sv, exited(0), 3010), NONE, "reaped");
	cr_expect_not(sv.ready);
	expect_next_deadline(4010);
}

Test(readiness, ready_message_while_the_ready_cmd_runs_kills_it)
{
	struct sv_policy p = policy(READY_CMD);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "due");
	expect_actions(sv_probe_spawned(&sv, 50, 0, 1000), NONE, "spawned");
	expect_actions(sv_ready(&sv, 1500), ACT(.became_ready = true, .ran_ms = 1500, .kill_probe = 50), "ready");
	cr_expect_eq(sv.probe, 0);
	expect_next_deadline(-1);
}

Test(readiness, ready_cmd_then_checks)
{
	struct sv_policy p = checked(READY_CMD);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "ready due");
	expect_actions(sv_probe_spawned(&sv, 50, 0, 1000), NONE, "spawned");
	expect_actions(sv_probe_exited(&sv, exited(0), 1100), ACT(.became_ready = true, .ran_ms = 1100), "ready");
	cr_expect_eq(sv.probe_kind, PROBE_CHECK);
	expect_actions(run_check(60, 6100, 0), NONE, "first check passes");
}

/* ------------------------------------------------------------------------- */
/* --check-cmd */

Test(readiness, first_check_after_one_interval)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 100);
	expect_next_deadline(100 + 5000);
	cr_expect_eq(sv.probe_kind, PROBE_CHECK);
}

Test(readiness, first_check_after_check_start_when_longer)
{
	struct sv_policy p = checked(READY_EXEC);

	p.check_start_ms = 12000;
	run_service(&p, 42, 100);
	expect_next_deadline(100 + 12000);
	p.check_start_ms = 3000;
	run_service(&p, 42, 100);
	expect_next_deadline(100 + 5000);
}

Test(readiness, first_check_counts_from_ready)
{
	struct sv_policy p = checked(READY_NOTIFY);
	struct notify_message m = ready_message();

	p.check_start_ms = 7000;
	run_service(&p, 42, 0);
	expect_next_deadline(-1);
	expect_actions(sv_deadline(&sv, 100000), NONE, "no check before ready");
	sv_notified(&sv, 42, &m, 2000);
	expect_next_deadline(2000 + 7000);
}

Test(readiness, failures_count_and_a_success_resets)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 0);
	expect_actions(run_check(60, 5000, 1), NONE, "fail 1");
	cr_expect_eq(sv.check_failures, 1u);
	cr_expect_eq(sv.last_check_status, 1);
	cr_expect_eq(status_of(&sv).check_failures, 1u);
	expect_next_deadline(5010 + 5000);
	expect_actions(run_check(61, 10010, 2), NONE, "fail 2");
	cr_expect_eq(sv.check_failures, 2u);
	cr_expect_eq(sv.last_check_status, 2);
	expect_actions(run_check(62, 15020, 0), NONE, "pass");
	cr_expect_eq(sv.check_failures, 0u);
	expect_actions(run_check(63, 20030, 1), NONE, "fail again: 1, not 3");
	cr_expect_eq(sv.check_failures, 1u);
	expect_state(SV_RUNNING);
	cr_expect(sv.ready, "failing checks do not make it not ready");
}

Test(readiness, check_that_cannot_start_is_a_failure)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn_probe = PROBE_CHECK), "due");
	expect_actions(sv_probe_spawned(&sv, 0, 126, 5000), NONE, "spawn failed");
	cr_expect_eq(sv.check_failures, 1u);
	cr_expect_eq(sv.last_check_status, 126);
	expect_next_deadline(10000);
}

Test(readiness, retries_in_a_row_stop_it_as_unhealthy)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	cr_expect_eq(sv.check_failures, 3u);
	cr_expect_eq(sv.last_check_status, 1);
	cr_expect_eq(sv.probe, 0);
	expect_next_deadline(15030 + 8000);
	cr_expect_eq(status_of(&sv).last_reason, REASON_UNHEALTHY);
}

Test(readiness, unhealthy_service_is_restarted_with_backoff)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 16000),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 16000, .signal_stale = SIGTERM),
		       "it ends");
	expect_state(SV_BACKOFF);
	expect_reason(REASON_UNHEALTHY);
	cr_expect_eq(sv.restarts, 1u);
	cr_expect_eq(sv.last_status, EXIT_SIGNAL_BASE + SIGTERM);
	cr_expect_not(sv.recovering);
	expect_next_deadline(16250);
	expect_actions(sv_deadline(&sv, 16250), ACT(.spawn = SPAWN_SERVICE, .kill_group = 42), "backoff over");
	expect_actions(sv_spawned(&sv, 43, 16260), NONE, "respawned");
	expect_state(SV_RUNNING);
	expect_reason(REASON_UNHEALTHY);
	cr_expect_eq(sv.check_failures, 0u, "a new run starts with no failed checks");
	expect_next_deadline(16260 + 5000);
}

Test(readiness, unhealthy_is_a_failure_whatever_it_exits_with)
{
	struct sv_policy p = checked(READY_EXEC);

	p.restart = RESTART_ON_FAILURE;
	hang_by_checks(&p);
	expect_actions(sv_child_exited(&sv, exited(0), false, 16000),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 16000, .signal_stale = SIGTERM),
		       "a clean exit after the stop signal");
	expect_reason(REASON_UNHEALTHY);
	cr_expect_not(sv.last_clean);
}

Test(readiness, unhealthy_restarts_count_toward_max_restarts)
{
	struct sv_policy p = checked(READY_EXEC);

	p.max_restarts = 1;
	p.stable_ms = 100000;
	hang_by_checks(&p);
	sv_child_exited(&sv, killed_by(SIGTERM), false, 16000);
	cr_expect_eq(sv.restarts, 1u);
	cr_expect_eq(sv.failures, 1u);
	sv_deadline(&sv, 16250);
	sv_spawned(&sv, 43, 16250);
	expect_actions(run_check(60, 21250, 1), NONE, "1");
	expect_actions(run_check(61, 26260, 1), NONE, "2");
	expect_actions(run_check(62, 31270, 1), ACT(.hung = true, .signal_child = SIGTERM), "3");
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 31300),
		       ACT(.gave_up = true, .signal_leftovers = SIGTERM), "no more restarts");
	expect_state(SV_STOPPING);
	expect_actions(sv_no_children(&sv, 31400), ACT(.exit_now = true, .exit_code = EXIT_SIGNAL_BASE + SIGTERM),
		       "exit");
}

Test(readiness, timed_out_check_is_killed_and_counts_a_failure)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn_probe = PROBE_CHECK), "due");
	expect_actions(sv_probe_spawned(&sv, 60, 0, 5000), NONE, "spawned");
	expect_next_deadline(7000);
	expect_actions(sv_deadline(&sv, 6999), NONE, "not yet");
	expect_actions(sv_deadline(&sv, 7000), ACT(.kill_probe = 60), "check timeout");
	cr_expect_eq(sv.probe, 60, "waited for until reaped");
	expect_next_deadline(-1);
	expect_actions(sv_deadline(&sv, 7001), NONE, "the same deadline is not seen twice");
	expect_actions(sv_probe_exited(&sv, killed_by(SIGKILL), 7005), NONE, "reaped");
	cr_expect_eq(sv.check_failures, 1u);
	cr_expect_eq(sv.last_check_status, SV_CHECK_TIMED_OUT);
	expect_next_deadline(7005 + 5000);
}

Test(readiness, timed_out_checks_hang_it)
{
	struct sv_policy p = checked(READY_EXEC);

	p.check_retries = 2;
	run_service(&p, 42, 0);
	for (int i = 0; i < 2; i++) {
		int64_t t = i == 0 ? 5000 : 12010;
		expect_actions(sv_deadline(&sv, t), ACT(.spawn_probe = PROBE_CHECK), "due");
		expect_actions(sv_probe_spawned(&sv, 60 + i, 0, t), NONE, "spawned");
		expect_actions(sv_deadline(&sv, t + 2000), ACT(.kill_probe = 60 + i), "timeout");
		expect_actions(sv_probe_exited(&sv, exited(0), t + 2010),
			       i == 0 ? NONE : ACT(.hung = true, .signal_child = SIGTERM), "reaped");
	}
	expect_state(SV_STOPPING);
	expect_reason(REASON_UNHEALTHY);
	cr_expect_eq(sv.last_check_status, SV_CHECK_TIMED_OUT);
}

/* ------------------------------------------------------------------------- */
/* --watchdog */

Test(readiness, watchdog_keepalive_moves_the_deadline)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message ready = ready_message(), ping = message();

	p.watchdog_ms = 3000;
	ping.watchdog = true;
	run_service(&p, 42, 0);
	cr_expect_eq(sv.watchdog_at_ms, -1, "not armed before ready");
	expect_actions(sv_notified(&sv, 42, &ping, 100), NONE, "WATCHDOG=1 before ready");
	cr_expect_eq(sv.watchdog_at_ms, -1);
	expect_actions(sv_notified(&sv, 42, &ready, 500), ACT(.became_ready = true, .ran_ms = 500), "ready");
	cr_expect_eq(sv.watchdog_at_ms, 3500);
	expect_actions(sv_notified(&sv, 42, &ping, 2000), NONE, "WATCHDOG=1");
	cr_expect_eq(sv.watchdog_at_ms, 5000);
	expect_next_deadline(5000);
	expect_actions(sv_notified(&sv, 43, &ping, 4000), ACT(.notify_dropped = true), "from a stranger");
	cr_expect_eq(sv.watchdog_at_ms, 5000);
	expect_actions(sv_deadline(&sv, 4999), NONE, "not yet");
	expect_state(SV_RUNNING);
}

Test(readiness, watchdog_silence_hangs_it)
{
	struct sv_policy p = policy(READY_EXEC);

	p.watchdog_ms = 3000;
	run_service(&p, 42, 0);
	expect_next_deadline(3000);
	expect_actions(sv_deadline(&sv, 3000), ACT(.hung = true, .signal_child = SIGTERM), "silent");
	expect_state(SV_STOPPING);
	expect_reason(REASON_UNHEALTHY);
	cr_expect_eq(sv.last_check_status, SV_WATCHDOG_SILENT);
	cr_expect_eq(sv.watchdog_at_ms, -1);
	expect_next_deadline(3000 + 8000);
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 3500),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 3500, .signal_stale = SIGTERM), "ends");
	expect_reason(REASON_UNHEALTHY);
	expect_state(SV_BACKOFF);
}

Test(readiness, watchdog_silence_kills_a_running_check)
{
	struct sv_policy p = checked(READY_EXEC);

	p.watchdog_ms = 6000;
	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn_probe = PROBE_CHECK), "check due");
	expect_actions(sv_probe_spawned(&sv, 60, 0, 5000), NONE, "spawned");
	expect_actions(sv_deadline(&sv, 6000), ACT(.hung = true, .signal_child = SIGTERM, .kill_probe = 60), "silent");
	cr_expect_eq(sv.probe, 0);
}

/* ------------------------------------------------------------------------- */
/* --ready-timeout and EXTEND_TIMEOUT_USEC= */

Test(readiness, ready_timeout_stops_it_as_not_ready)
{
	struct sv_policy p = policy(READY_NOTIFY);

	p.ready_timeout_ms = 10000;
	run_service(&p, 42, 0);
	expect_next_deadline(10000);
	expect_actions(sv_deadline(&sv, 9999), NONE, "not yet");
	expect_actions(sv_deadline(&sv, 10000), ACT(.hung = true, .signal_child = SIGTERM), "not ready in time");
	expect_state(SV_STOPPING);
	expect_reason(REASON_NOT_READY);
	cr_expect_eq(sv.ready_by_ms, -1);
	expect_next_deadline(18000);
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 10500),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 10500, .signal_stale = SIGTERM), "ends");
	expect_reason(REASON_NOT_READY);
	cr_expect_eq(status_of(&sv).last_reason, REASON_NOT_READY);
	sv_deadline(&sv, 10750);
	sv_spawned(&sv, 43, 10750);
	expect_next_deadline(10750 + 10000);
}

Test(readiness, ready_disarms_the_ready_timeout)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();

	p.ready_timeout_ms = 10000;
	run_service(&p, 42, 0);
	sv_notified(&sv, 42, &m, 9000);
	cr_expect_eq(sv.ready_by_ms, -1);
	expect_next_deadline(-1);
	expect_actions(sv_deadline(&sv, 10000), NONE, "ready in time");
}

Test(readiness, ready_cmd_with_ready_timeout)
{
	struct sv_policy p = policy(READY_CMD);

	p.ready_timeout_ms = 2500;
	run_service(&p, 42, 0);
	expect_next_deadline(1000);
	expect_actions(sv_deadline(&sv, 1000), ACT(.spawn_probe = PROBE_READY), "due");
	expect_actions(sv_probe_spawned(&sv, 50, 0, 1000), NONE, "spawned");
	expect_next_deadline(2500);
	expect_actions(sv_deadline(&sv, 2500), ACT(.hung = true, .signal_child = SIGTERM, .kill_probe = 50), "too late");
	expect_reason(REASON_NOT_READY);
}

Test(readiness, extend_moves_the_ready_timeout)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = extend_message(20000);

	p.ready_timeout_ms = 10000;
	run_service(&p, 42, 0);
	expect_actions(sv_notified(&sv, 42, &m, 5000), NONE, "EXTEND 20s");
	cr_expect_eq(sv.ready_by_ms, 25000);
	m = extend_message(1000);
	expect_actions(sv_notified(&sv, 42, &m, 6000), NONE, "EXTEND 1s: never sooner");
	cr_expect_eq(sv.ready_by_ms, 25000);
	m = extend_message(86400000);
	expect_actions(sv_notified(&sv, 42, &m, 7000), NONE, "EXTEND a day");
	cr_expect_eq(sv.ready_by_ms, 10000 + SV_EXTEND_MAX_MS);
}

Test(readiness, extend_moves_a_stops_deadline_within_the_limit)
{
	struct sv_policy p = policy(READY_EXEC);
	struct notify_message m = extend_message(20000);

	run_service(&p, 42, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 1000), ACT(.signal_child = SIGTERM), "stop");
	cr_expect_eq(sv.deadline_ms, 9000);
	expect_actions(sv_notified(&sv, 42, &m, 2000), NONE, "EXTEND 20s");
	cr_expect_eq(sv.deadline_ms, 22000);
	expect_next_deadline(22000);
	m = extend_message(1000);
	expect_actions(sv_notified(&sv, 42, &m, 3000), NONE, "EXTEND 1s");
	cr_expect_eq(sv.deadline_ms, 22000, "never sooner");
	m = extend_message(0);
	expect_actions(sv_notified(&sv, 42, &m, 3000), NONE, "EXTEND 0");
	cr_expect_eq(sv.deadline_ms, 22000);
	m = extend_message(200000);
	expect_actions(sv_notified(&sv, 43, &m, 4000), ACT(.notify_dropped = true), "from a stranger");
	cr_expect_eq(sv.deadline_ms, 22000);
	expect_actions(sv_notified(&sv, 42, &m, 150000), NONE, "EXTEND 200s at 150s");
	cr_expect_eq(sv.deadline_ms, 9000 + SV_EXTEND_MAX_MS, "capped at the first deadline + SV_EXTEND_MAX_MS");
	m = extend_message(86400000);
	expect_actions(sv_notified(&sv, 42, &m, 200000), NONE, "EXTEND a day");
	cr_expect_eq(sv.deadline_ms, 9000 + SV_EXTEND_MAX_MS);
	expect_actions(sv_deadline(&sv, 9000 + SV_EXTEND_MAX_MS - 1), NONE, "not yet");
	expect_actions(sv_deadline(&sv, 9000 + SV_EXTEND_MAX_MS), ACT(.kill_all = true), "grace over");
	/* After SIGKILL, no more time. */
	int64_t kill_wait = sv.deadline_ms;
	expect_actions(sv_notified(&sv, 42, &m, 9000 + SV_EXTEND_MAX_MS + 1), NONE, "EXTEND after SIGKILL");
	cr_expect_eq(sv.deadline_ms, kill_wait);
}

Test(readiness, extend_during_a_recovery)
{
	struct sv_policy p = policy(READY_EXEC);
	struct notify_message m = extend_message(60000);

	p.watchdog_ms = 3000;
	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 3000), ACT(.hung = true, .signal_child = SIGTERM), "silent");
	cr_expect_eq(sv.deadline_ms, 11000);
	expect_actions(sv_notified(&sv, 42, &m, 4000), NONE, "EXTEND 60s");
	cr_expect_eq(sv.deadline_ms, 64000);
	m = extend_message(86400000);
	expect_actions(sv_notified(&sv, 42, &m, 5000), NONE, "EXTEND a day");
	cr_expect_eq(sv.deadline_ms, 11000 + SV_EXTEND_MAX_MS);
}

/* ------------------------------------------------------------------------- */
/* STOPPING=1 and stops */

Test(readiness, stopping_makes_it_not_ready_and_disarms_probes)
{
	struct sv_policy p = checked(READY_NOTIFY);
	struct notify_message ready = ready_message(), stopping = message();

	p.watchdog_ms = 20000;
	stopping.stopping = true;
	run_service(&p, 42, 0);
	sv_notified(&sv, 42, &ready, 0);
	cr_expect_eq(sv.watchdog_at_ms, 20000);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn_probe = PROBE_CHECK), "check due");
	expect_actions(sv_probe_spawned(&sv, 60, 0, 5000), NONE, "check spawned");
	expect_actions(sv_notified(&sv, 42, &stopping, 5500), ACT(.kill_probe = 60), "STOPPING=1");
	cr_expect_not(sv.ready);
	cr_expect_not(status_of(&sv).ready);
	cr_expect_eq(sv.probe, 0);
	cr_expect_eq(sv.probe_at_ms, -1);
	cr_expect_eq(sv.watchdog_at_ms, -1);
	expect_next_deadline(-1);
	expect_state(SV_RUNNING);
	expect_actions(sv_deadline(&sv, 100000), NONE, "no check, no watchdog");
	/* It then exits, as it said it would: an ordinary end. */
	expect_actions(sv_child_exited(&sv, exited(0), false, 6000),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 6000, .signal_stale = SIGTERM), "exits");
	expect_reason(REASON_EXIT);
}

Test(readiness, stopping_without_a_probe_running)
{
	struct sv_policy p = checked(READY_EXEC);
	struct notify_message stopping = message();

	stopping.stopping = true;
	run_service(&p, 42, 0);
	expect_actions(sv_notified(&sv, 42, &stopping, 100), NONE, "STOPPING=1");
	cr_expect_not(sv.ready);
	expect_next_deadline(-1);
}

Test(readiness, stop_kills_a_running_check)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 0);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn_probe = PROBE_CHECK), "check due");
	expect_actions(sv_probe_spawned(&sv, 60, 0, 5000), NONE, "spawned");
	expect_actions(sv_stop(&sv, SIGTERM, 6000), ACT(.signal_child = SIGTERM, .kill_probe = 60), "stop");
	expect_state(SV_STOPPING);
	cr_expect_not(sv.ready);
	cr_expect_eq(sv.probe, 0);
	expect_next_deadline(6000 + 8000);
	expect_actions(sv_deadline(&sv, 13999), NONE, "no check while stopping");
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 7000), ACT(.signal_leftovers = SIGTERM), "ends");
	expect_next_deadline(6000 + 8000);
	expect_actions(sv_no_children(&sv, 7001), ACT(.exit_now = true, .exit_code = EXIT_SIGNAL_BASE + SIGTERM),
		       "exit");
}

Test(readiness, no_check_during_backoff)
{
	struct sv_policy p = checked(READY_EXEC);

	p.watchdog_ms = 1000;
	p.check_interval_ms = 300;
	run_service(&p, 42, 0);
	expect_actions(sv_child_exited(&sv, exited(1), false, 200),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 200, .signal_stale = SIGTERM), "exits");
	expect_state(SV_BACKOFF);
	cr_expect_eq(sv.probe_at_ms, -1);
	cr_expect_eq(sv.watchdog_at_ms, -1);
	expect_next_deadline(450);
	expect_actions(sv_deadline(&sv, 450), ACT(.spawn = SPAWN_SERVICE, .kill_group = 42), "backoff over");
}

Test(readiness, child_exit_kills_a_running_check)
{
	struct sv_policy p = checked(READY_EXEC);

	run_service(&p, 42, 0);
	sv_deadline(&sv, 5000);
	sv_probe_spawned(&sv, 60, 0, 5000);
	expect_actions(sv_child_exited(&sv, exited(1), false, 5500),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 5500, .signal_stale = SIGTERM,
			   .kill_probe = 60),
		       "exits while its check runs");
	cr_expect_eq(sv.probe, 0);
}

Test(readiness, user_stop_during_a_recovery_means_no_restart)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	expect_actions(sv_stop(&sv, SIGINT, 16000), ACT(.signal_child = SIGINT), "user stop");
	cr_expect_not(sv.recovering);
	cr_expect(sv.stop_requested);
	cr_expect_eq(sv.deadline_ms, 15030 + 8000, "the recovery's deadline stands");
	expect_actions(sv_child_exited(&sv, killed_by(SIGINT), false, 17000), ACT(.signal_leftovers = SIGINT),
		       "it ends");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.restarts, 0u);
	expect_actions(sv_no_children(&sv, 17001), ACT(.exit_now = true, .exit_code = EXIT_SIGNAL_BASE + SIGINT),
		       "initd exits with the service's code");
}

Test(readiness, user_stop_during_a_recovery_clean_exit)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	sv_stop(&sv, SIGTERM, 16000);
	expect_actions(sv_child_exited(&sv, exited(0), false, 17000), ACT(.signal_leftovers = SIGTERM), "exits 0");
	expect_actions(sv_no_children(&sv, 17001), ACT(.exit_now = true, .exit_code = 0), "exit 0");
}

Test(readiness, recovery_waits_for_the_reap_after_sigkill)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	expect_actions(sv_deadline(&sv, 23029), NONE, "grace not over");
	expect_actions(sv_deadline(&sv, 23030), ACT(.kill_all = true), "grace over");
	cr_expect(sv.killed);
	cr_expect_lt(sv.deadline_ms, 0, "no deadline: initd waits for the reap");
	expect_next_deadline(-1);
	expect_actions(sv_deadline(&sv, 1000000), NONE, "nothing due");
	expect_actions(sv_no_children(&sv, 1000000), NONE, "the child is not reaped yet");
	expect_state(SV_STOPPING);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), false, 1000001),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 1000001, .signal_stale = SIGTERM),
		       "reaped at last");
	expect_state(SV_BACKOFF);
	expect_reason(REASON_UNHEALTHY);
	cr_expect_not(sv.killed, "the next run's stop may SIGKILL again");
}

/* A hung service SIGKILLed by its recovery and never reaped, then a user stop:
 * at the kill wait's end initd exits 137 with survivors, as after a plain
 * stop's SIGKILL (test_machine.c). A regression test: it once exited 0. */
Test(readiness, user_stop_after_a_recoverys_sigkill)
{
	struct sv_policy p = checked(READY_EXEC);

	hang_by_checks(&p);
	expect_actions(sv_deadline(&sv, 23030), ACT(.kill_all = true), "grace over");
	expect_actions(sv_stop(&sv, SIGTERM, 24000), NONE, "user stop");
	cr_expect_eq(sv.deadline_ms, 24000 + SV_KILL_WAIT_MS, "initd waits no longer than the kill wait");
	expect_actions(sv_deadline(&sv, 24000 + SV_KILL_WAIT_MS),
		       ACT(.exit_now = true, .survivors = true, .exit_code = EXIT_SIGNAL_BASE + SIGKILL),
		       "the child outlived SIGKILL");
	expect_state(SV_EXITED);
}

/* ------------------------------------------------------------------------- */
/* OOM */

Test(readiness, oom_kill_is_its_own_reason)
{
	struct sv_policy p = policy(READY_EXEC);

	run_service(&p, 42, 0);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), true, 5000),
		       ACT(.restarting = true, .restart_delay_ms = 250, .ran_ms = 5000, .signal_stale = SIGTERM), "OOM");
	expect_reason(REASON_OOM);
	cr_expect_eq(status_of(&sv).last_reason, REASON_OOM);
	cr_expect_eq(sv.last_status, EXIT_SIGNAL_BASE + SIGKILL);
	/* Another SIGKILL is a signal, an exit an exit. */
	sv_deadline(&sv, 5250);
	sv_spawned(&sv, 43, 5250);
	sv_child_exited(&sv, killed_by(SIGKILL), false, 6000);
	expect_reason(REASON_SIGNAL);
	sv_deadline(&sv, 6500);
	sv_spawned(&sv, 44, 6500);
	sv_child_exited(&sv, exited(3), false, 7000);
	expect_reason(REASON_EXIT);
}

Test(readiness, oom_kill_without_restart_exits_137)
{
	struct sv_policy p = policy(READY_EXEC);

	p.restart = RESTART_NEVER;
	run_service(&p, 42, 0);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), true, 5000), ACT(.signal_leftovers = SIGTERM), "OOM");
	expect_reason(REASON_OOM);
	expect_actions(sv_no_children(&sv, 5001), ACT(.exit_now = true, .exit_code = EXIT_SIGNAL_BASE + SIGKILL), "exit");
}

/* ------------------------------------------------------------------------- */
/* What initd says about it */

Test(readiness, announce_ready)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct notify_message m = ready_message();
	struct sv_actions a;

	run_service(&p, 42, 0);
	a = sv_notified(&sv, 42, &m, 1500);
	announce(&a, -1, LOG_INFO, "service is ready after 1500ms");
	run_service(&p, 42, 0);
	a = sv_notified(&sv, 42, &m, 2000);
	announce(&a, -1, LOG_INFO, "service is ready after 2s");
	run_service(&p, 42, 0);
	a = sv_notified(&sv, 42, &m, 250);
	announce(&a, -1, LOG_INFO, "service is ready after 250ms");
}

Test(readiness, announce_hung_by_checks)
{
	struct sv_policy p = checked(READY_EXEC);
	struct sv_actions a;

	run_service(&p, 42, 0);
	run_check(60, 5000, 1);
	run_check(61, 10010, 1);
	a = run_check(62, 15020, 3);
	cr_assert(a.hung);
	announce(&a, -1, LOG_NOTICE,
		 "service is hung: 3 checks failed in a row, the last exited with status 3; stopping it to restart it");
}

Test(readiness, announce_hung_by_a_check_killed_by_a_signal)
{
	struct sv_policy p = checked(READY_EXEC);
	struct sv_actions a;

	p.check_retries = 2;
	run_service(&p, 42, 0);
	run_check(60, 5000, 1);
	expect_actions(sv_deadline(&sv, 10010), ACT(.spawn_probe = PROBE_CHECK), "due");
	sv_probe_spawned(&sv, 61, 0, 10010);
	a = sv_probe_exited(&sv, killed_by(SIGSEGV), 10020);
	cr_assert(a.hung);
	announce(&a, -1, LOG_NOTICE,
		 "service is hung: 2 checks failed in a row, the last killed by signal 11 (SIGSEGV); stopping it to "
		 "restart it");
}

Test(readiness, announce_hung_by_timed_out_checks)
{
	struct sv_policy p = checked(READY_EXEC);
	struct sv_actions a;

	p.check_retries = 2;
	run_service(&p, 42, 0);
	run_check(60, 5000, 1);
	sv_deadline(&sv, 10010);
	sv_probe_spawned(&sv, 61, 0, 10010);
	sv_deadline(&sv, 12010);
	a = sv_probe_exited(&sv, killed_by(SIGKILL), 12020);
	cr_assert(a.hung);
	announce(&a, -1, LOG_NOTICE,
		 "service is hung: 2 checks failed in a row, the last timed out after 2s; stopping it to restart it");
}

Test(readiness, announce_hung_by_the_watchdog)
{
	struct sv_policy p = policy(READY_EXEC);
	struct sv_actions a;

	p.watchdog_ms = 3000;
	run_service(&p, 42, 0);
	a = sv_deadline(&sv, 3000);
	cr_assert(a.hung);
	announce(&a, -1, LOG_NOTICE, "service sent no WATCHDOG=1 for 3s; stopping it to restart it");
}

Test(readiness, announce_not_ready)
{
	struct sv_policy p = policy(READY_NOTIFY);
	struct sv_actions a;

	p.ready_timeout_ms = 90000;
	run_service(&p, 42, 0);
	a = sv_deadline(&sv, 90000);
	cr_assert(a.hung);
	announce(&a, -1, LOG_NOTICE, "service is not ready after 90s; stopping it to restart it");
}

Test(readiness, announce_the_restart_after_a_recovery)
{
	struct sv_policy p = checked(READY_EXEC);
	struct sv_actions a;

	hang_by_checks(&p);
	a = sv_child_exited(&sv, killed_by(SIGTERM), false, 16000);
	announce(&a, killed_by(SIGTERM), LOG_NOTICE,
		 "service killed by signal 15 (SIGTERM) after 16s; restart 1 in 250ms");
}

/* ------------------------------------------------------------------------- */
/* The status socket's name */

Test(readiness, status_socket_name_is_stable)
{
	char a[64], b[64];

	plan_status_socket_name(4026531836ULL, "/run/initd/status", a, sizeof a);
	plan_status_socket_name(4026531836ULL, "/run/initd/status", b, sizeof b);
	cr_expect_str_eq(a, b);
	cr_expect_eq(strncmp(a, "initd-status/", 13), 0, "%s", a);
}

Test(readiness, status_socket_name_differs_by_namespace_and_path)
{
	char a[64], b[64], c[64], d[64];

	plan_status_socket_name(4026531836ULL, "/run/initd/status", a, sizeof a);
	plan_status_socket_name(4026531837ULL, "/run/initd/status", b, sizeof b);
	plan_status_socket_name(4026531836ULL, "/run/initd/status2", c, sizeof c);
	plan_status_socket_name(4026531836ULL, "/tmp/status", d, sizeof d);
	cr_expect_str_neq(a, b, "another PID namespace");
	cr_expect_str_neq(a, c, "another status file");
	cr_expect_str_neq(a, d, "another status file");
	cr_expect_str_neq(c, d);
}

Test(readiness, status_socket_name_fits_64_bytes)
{
	char path[4096], small[64], big[256];

	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	/* The longest: both numbers at their widest. */
	plan_status_socket_name(UINT64_MAX, path, big, sizeof big);
	cr_expect_lt(strlen(big), sizeof small, "%zu bytes: %s", strlen(big), big);
	for (uint64_t ns = 0; ns < 3; ns++) {
		plan_status_socket_name(UINT64_MAX - ns, path, big, sizeof big);
		plan_status_socket_name(UINT64_MAX - ns, path, small, sizeof small);
		cr_expect_str_eq(small, big, "not cut to fit 64 bytes");
	}
	plan_status_socket_name(0, "", small, sizeof small);
	cr_expect_gt(strlen(small), strlen("initd-status/"), "%s", small);
}
