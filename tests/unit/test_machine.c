/* The supervisor's state machine, walked event by event through whole lifecycles.
 * Every step checks the state and every field of the actions returned. */
#include <criterion/criterion.h>

#include <signal.h>
#include <string.h>

#include "supervisor/machine.h"

static struct supervisor sv;

#include "tests/unit/machine_steps.h"

static struct sv_policy policy(enum restart_policy restart)
{
	struct sv_policy p;

	memset(&p, 0, sizeof p);
	p.restart = restart;
	p.max_restarts = 0;
	p.backoff_min_ms = 250;
	p.backoff_max_ms = 30000;
	p.stable_ms = 10000;
	p.grace_ms = 8000;
	p.npre = 0;
	p.default_stop_signal = SIGTERM;
	return p;
}

static void start(const struct sv_policy *p)
{
	sv_init(&sv, p);
}

/* Starts the service (no --pre) at time t as pid. */
static void run_service(pid_t pid, int64_t t)
{
	expect_actions(sv_begin(&sv, t), ACT(.spawn = SPAWN_SERVICE), "begin");
	expect_actions(sv_spawned(&sv, pid, t), NONE, "spawned");
	expect_state(SV_RUNNING);
}

/* ------------------------------------------------------------------------- */

Test(machine, init)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.default_stop_signal = SIGQUIT;
	start(&p);
	expect_state(SV_STARTING);
	cr_expect_eq(sv.child, 0);
	cr_expect_eq(sv.last_status, -1);
	cr_expect_eq(sv.deadline_ms, -1);
	cr_expect_eq(sv.restarts, 0u);
	cr_expect_eq(sv.failures, 0u);
	cr_expect_not(sv.stop_requested);
	cr_expect_eq(sv.stop_signal, SIGQUIT);
	cr_expect_eq(sv.policy.grace_ms, 8000);
}

Test(machine, first_start_without_pre)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	expect_actions(sv_begin(&sv, 1000), ACT(.spawn = SPAWN_SERVICE), "begin");
	expect_state(SV_STARTING);
	cr_expect_eq(sv.deadline_ms, -1);
	expect_actions(sv_spawned(&sv, 42, 1005), NONE, "spawned");
	expect_state(SV_RUNNING);
	cr_expect_eq(sv.child, 42);
	cr_expect(sv.child_is_service);
	cr_expect(sv.service_started);
	cr_expect_eq(sv.started_ms, 1005);
	cr_expect_eq(sv.deadline_ms, -1, "no deadline while running: no wake-ups");
	cr_expect_eq(sv.last_status, -1);
}

Test(machine, pre_chain_then_service)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.npre = 2;
	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	cr_expect_eq(sv.next_pre, 0u);
	expect_state(SV_STARTING);
	expect_actions(sv_spawned(&sv, 10, 0), NONE, "pre 0 spawned");
	expect_state(SV_STARTING);
	cr_expect_eq(sv.child, 10);
	cr_expect_not(sv.child_is_service);
	cr_expect_not(sv.service_started);
	expect_actions(sv_child_exited(&sv, exited(0), false, 100), ACT(.spawn = SPAWN_PRE), "pre 0 done");
	cr_expect_eq(sv.next_pre, 1u);
	cr_expect_eq(sv.child, 0);
	expect_state(SV_STARTING);
	expect_actions(sv_spawned(&sv, 11, 100), NONE, "pre 1 spawned");
	expect_state(SV_STARTING);
	cr_expect_not(sv.child_is_service);
	expect_actions(sv_child_exited(&sv, exited(0), false, 200), ACT(.spawn = SPAWN_SERVICE), "pre 1 done");
	expect_state(SV_STARTING);
	expect_actions(sv_spawned(&sv, 12, 210), NONE, "service spawned");
	expect_state(SV_RUNNING);
	cr_expect(sv.child_is_service);
	cr_expect_eq(sv.started_ms, 210);
	cr_expect_eq(sv.restarts, 0u, "--pre programs are not restarts");
	cr_expect_eq(sv.last_status, -1, "a successful --pre is not the service's last run");
}

Test(machine, pre_failure_exits_with_its_status_after_leftovers)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 3;
	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	expect_actions(sv_spawned(&sv, 10, 0), NONE, "pre 0");
	expect_actions(sv_child_exited(&sv, exited(0), false, 50), ACT(.spawn = SPAWN_PRE), "pre 0 ok");
	expect_actions(sv_spawned(&sv, 11, 50), NONE, "pre 1");
	expect_actions(sv_child_exited(&sv, exited(3), false, 100), ACT(.signal_leftovers = SIGTERM), "pre 1 fails");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.deadline_ms, 100 + 8000);
	cr_expect_eq(sv.child, 0);
	cr_expect_eq(sv.last_status, 3);
	/* Nothing is started any more. */
	expect_actions(sv_deadline(&sv, 5000), NONE, "before grace end");
	expect_actions(sv_no_children(&sv, 150), ACT(.exit_now = true, .exit_code = 3), "leftovers gone");
	expect_state(SV_EXITED);
	cr_expect_eq(sv.restarts, 0u);
}

Test(machine, pre_killed_by_signal_exits_128_plus_n)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.npre = 1;
	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	expect_actions(sv_spawned(&sv, 10, 0), NONE, "pre");
	expect_actions(sv_child_exited(&sv, killed_by(SIGSEGV), false, 10), ACT(.signal_leftovers = SIGTERM), "pre dies");
	expect_actions(sv_no_children(&sv, 11), ACT(.exit_now = true, .exit_code = 139), "exit");
}

Test(machine, pre_failure_leftovers_outlive_grace)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.npre = 1;
	start(&p);
	sv_begin(&sv, 0);
	sv_spawned(&sv, 10, 0);
	expect_actions(sv_child_exited(&sv, exited(4), false, 1000), ACT(.signal_leftovers = SIGTERM), "pre fails");
	expect_actions(sv_deadline(&sv, 8999), NONE, "1 ms early");
	expect_actions(sv_deadline(&sv, 9000), ACT(.kill_all = true), "grace end");
	cr_expect_eq(sv.deadline_ms, 9000 + SV_KILL_WAIT_MS);
	expect_actions(sv_deadline(&sv, 9000 + SV_KILL_WAIT_MS),
		       ACT(.exit_now = true, .exit_code = 4, .survivors = true), "exit anyway");
	expect_state(SV_EXITED);
}

Test(machine, pre_spawn_failure_exits_127)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 2;
	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	expect_actions(sv_spawn_failed(&sv, 127, 0), ACT(.signal_leftovers = SIGTERM), "pre not found");
	expect_state(SV_STOPPING);
	expect_actions(sv_no_children(&sv, 1), ACT(.exit_now = true, .exit_code = 127), "exit");
}

Test(machine, second_pre_spawn_failure_exits_126)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 2;
	start(&p);
	sv_begin(&sv, 0);
	sv_spawned(&sv, 10, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 5), ACT(.spawn = SPAWN_PRE), "pre 0 ok");
	expect_actions(sv_spawn_failed(&sv, 126, 5), ACT(.signal_leftovers = SIGTERM), "pre 1 not executable");
	expect_actions(sv_no_children(&sv, 6), ACT(.exit_now = true, .exit_code = 126), "exit");
}

Test(machine, first_spawn_failure_exits_127_even_under_always)
{
	static const enum restart_policy policies[] = { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

	for (size_t i = 0; i < 3; i++) {
		struct sv_policy p = policy(policies[i]);
		start(&p);
		expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_SERVICE), "begin");
		expect_actions(sv_spawn_failed(&sv, 127, 0), ACT(.signal_leftovers = SIGTERM), "not found");
		expect_state(SV_STOPPING);
		cr_expect_eq(sv.restarts, 0u);
		cr_expect_eq(sv.last_status, 127);
		expect_actions(sv_deadline(&sv, 250), NONE, "no restart at the backoff time");
		expect_actions(sv_no_children(&sv, 1), ACT(.exit_now = true, .exit_code = 127), "exit");
		expect_state(SV_EXITED);
	}
}

Test(machine, first_spawn_failure_after_pre_exits_126)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 1;
	start(&p);
	sv_begin(&sv, 0);
	sv_spawned(&sv, 10, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 5), ACT(.spawn = SPAWN_SERVICE), "pre ok");
	expect_actions(sv_spawn_failed(&sv, 126, 5), ACT(.signal_leftovers = SIGTERM), "service not executable");
	expect_actions(sv_no_children(&sv, 6), ACT(.exit_now = true, .exit_code = 126), "exit");
}

Test(machine, later_spawn_failure_counts_as_failed_run)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(1), false, 1000),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 1000),
		       "run 1 fails");
	expect_actions(sv_deadline(&sv, 1250), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart 1");
	expect_actions(sv_spawn_failed(&sv, 127, 1250),
		       ACT(.restarting = true, .restart_delay_ms = 500, .ran_ms = 0), "binary vanished");
	expect_state(SV_BACKOFF);
	cr_expect_eq(sv.last_status, 127);
	cr_expect_eq(sv.restarts, 2u);
	cr_expect_eq(sv.deadline_ms, 1750);
	expect_actions(sv_deadline(&sv, 1750), ACT(.spawn = SPAWN_SERVICE), "restart 2, no stale group");
	expect_actions(sv_spawned(&sv, 101, 1750), NONE, "back");
	expect_state(SV_RUNNING);
}

Test(machine, later_spawn_failure_under_never_exits_with_it)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(2), false, 100),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 100),
		       "run fails");
	expect_actions(sv_deadline(&sv, 350), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart");
	sv.policy.restart = RESTART_NEVER; /* only to check the finish path of a late failure */
	expect_actions(sv_spawn_failed(&sv, 126, 350), ACT(.signal_leftovers = SIGTERM), "cannot exec");
	expect_actions(sv_no_children(&sv, 351), ACT(.exit_now = true, .exit_code = 126), "exit");
}

Test(machine, on_failure_exit_0_is_not_restarted)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 500), ACT(.signal_leftovers = SIGTERM), "clean exit");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.deadline_ms, 500 + 8000);
	cr_expect_eq(sv.restarts, 0u);
	expect_actions(sv_no_children(&sv, 501), ACT(.exit_now = true, .exit_code = 0), "exit 0");
	expect_state(SV_EXITED);
	cr_expect_eq(sv.deadline_ms, -1);
}

Test(machine, on_failure_restarts_non_zero_and_signal_deaths)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(1), false, 100),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 100),
		       "exit 1");
	expect_state(SV_BACKOFF);
	cr_expect_eq(sv.last_status, 1);
	expect_actions(sv_deadline(&sv, 350), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart 1");
	expect_actions(sv_spawned(&sv, 101, 350), NONE, "spawned");
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), false, 3350),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 500, .ran_ms = 3000),
		       "SIGKILL");
	cr_expect_eq(sv.last_status, 137);
	cr_expect_eq(sv.restarts, 2u);
	expect_actions(sv_deadline(&sv, 3850), ACT(.spawn = SPAWN_SERVICE, .kill_group = 101), "restart 2");
	expect_actions(sv_spawned(&sv, 102, 3850), NONE, "spawned");
	expect_actions(sv_child_exited(&sv, exited(0), false, 4000), ACT(.signal_leftovers = SIGTERM), "clean exit");
	expect_actions(sv_no_children(&sv, 4001), ACT(.exit_now = true, .exit_code = 0), "exit 0");
}

static struct sv_policy success_exit(enum restart_policy restart, int code, int signo)
{
	struct sv_policy p = policy(restart);

	p.success.codes[code / 64] |= (uint64_t)1 << (code % 64);
	p.success.signals |= (uint64_t)1 << (signo - 1);
	return p;
}

Test(machine, success_exit_code_is_clean)
{
	struct sv_policy p = success_exit(RESTART_ON_FAILURE, 143, SIGUSR1);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(143), false, 500), ACT(.signal_leftovers = SIGTERM), "exit 143");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.restarts, 0u);
	cr_expect_eq(sv.last_status, 143, "the status file still says what happened");
	expect_actions(sv_no_children(&sv, 501), ACT(.exit_now = true, .exit_code = 0), "initd exits 0");
}

Test(machine, success_exit_signal_is_clean_and_a_code_is_not_a_signal)
{
	struct sv_policy p = success_exit(RESTART_ON_FAILURE, 3, SIGTERM);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(143), false, 100),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 100),
		       "exit 143 is not death by TERM");
	expect_actions(sv_deadline(&sv, 350), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart");
	expect_actions(sv_spawned(&sv, 101, 350), NONE, "spawned");
	expect_actions(sv_child_exited(&sv, exited(1), false, 400),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 500, .ran_ms = 50),
		       "exit 1 is still a failure");
	expect_actions(sv_deadline(&sv, 900), ACT(.spawn = SPAWN_SERVICE, .kill_group = 101), "restart");
	expect_actions(sv_spawned(&sv, 102, 900), NONE, "spawned");
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 1000), ACT(.signal_leftovers = SIGTERM),
		       "death by TERM is clean");
	cr_expect_eq(sv.last_status, 143);
	expect_actions(sv_no_children(&sv, 1001), ACT(.exit_now = true, .exit_code = 0), "initd exits 0");
}

Test(machine, success_exit_after_a_stop_request_exits_0)
{
	struct sv_policy p = success_exit(RESTART_ON_FAILURE, 0, SIGTERM);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 50), ACT(.signal_child = SIGTERM), "stop");
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 60), ACT(.signal_leftovers = SIGTERM), "died");
	expect_actions(sv_no_children(&sv, 61), ACT(.exit_now = true, .exit_code = 0), "0, not 143");
}

Test(machine, success_exit_under_always_restarts_and_a_stop_in_backoff_exits_0)
{
	struct sv_policy p = success_exit(RESTART_ALWAYS, 143, SIGUSR1);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(143), false, 100),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 100),
		       "always restarts");
	expect_state(SV_BACKOFF);
	expect_actions(sv_stop(&sv, SIGTERM, 150), ACT(.signal_leftovers = SIGTERM), "stop in backoff");
	expect_actions(sv_no_children(&sv, 151), ACT(.exit_now = true, .exit_code = 0), "the last run was clean");
}

Test(machine, success_exit_does_not_cover_a_spawn_failure)
{
	struct sv_policy p = success_exit(RESTART_ON_FAILURE, 127, SIGUSR1);

	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_SERVICE), "begin");
	expect_actions(sv_spawn_failed(&sv, 127, 1), ACT(.signal_leftovers = SIGTERM), "not found");
	expect_actions(sv_no_children(&sv, 2), ACT(.exit_now = true, .exit_code = 127), "127 all the same");
}

Test(machine, always_restarts_exit_0)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 20),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 20),
		       "exit 0");
	expect_state(SV_BACKOFF);
	cr_expect_eq(sv.last_status, 0);
	cr_expect_eq(sv.deadline_ms, 270);
	expect_actions(sv_deadline(&sv, 269), NONE, "early");
	expect_state(SV_BACKOFF);
	expect_actions(sv_deadline(&sv, 270), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart");
	expect_state(SV_STARTING);
	cr_expect_eq(sv.deadline_ms, -1);
}

Test(machine, never_exits_with_status)
{
	struct sv_policy p = policy(RESTART_NEVER);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(5), false, 20), ACT(.signal_leftovers = SIGTERM), "exit 5");
	expect_state(SV_STOPPING);
	expect_actions(sv_no_children(&sv, 21), ACT(.exit_now = true, .exit_code = 5), "exit");

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), false, 20), ACT(.signal_leftovers = SIGTERM), "SIGKILL");
	expect_actions(sv_no_children(&sv, 21), ACT(.exit_now = true, .exit_code = 137), "exit");
}

Test(machine, service_exit_leftovers_get_the_configured_stop_signal)
{
	struct sv_policy p = policy(RESTART_NEVER);

	p.default_stop_signal = SIGQUIT;
	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 20), ACT(.signal_leftovers = SIGQUIT), "exit 0");
}

Test(machine, backoff_delays_double_and_cap)
{
	static const int64_t want[] = { 250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
	struct sv_policy p = policy(RESTART_ON_FAILURE);
	int64_t t = 0;
	pid_t pid = 100;

	start(&p);
	run_service(pid, t);
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		t += 10; /* a short run: far below --stable */
		expect_actions(sv_child_exited(&sv, exited(1), false, t),
			       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = want[k], .ran_ms = 10),
			       "quick failure");
		cr_expect_eq(sv.restarts, k + 1);
		cr_expect_eq(sv.deadline_ms, t + want[k]);
		expect_actions(sv_deadline(&sv, t + want[k] - 1), NONE, "not yet");
		t += want[k];
		expect_actions(sv_deadline(&sv, t), ACT(.spawn = SPAWN_SERVICE, .kill_group = pid), "restart");
		pid++;
		expect_actions(sv_spawned(&sv, pid, t), NONE, "spawned");
		expect_state(SV_RUNNING);
	}
}

Test(machine, stable_run_resets_the_series)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);
	int64_t t = 0;

	start(&p);
	run_service(100, 0);
	/* Three quick failures: 250, 500, 1000. */
	for (int k = 0; k < 3; k++) {
		sv_child_exited(&sv, exited(1), false, t + 10);
		t = sv.deadline_ms;
		sv_deadline(&sv, t);
		sv_spawned(&sv, 101 + k, t);
	}
	cr_assert_eq(sv.restarts, 3u);
	/* A run 1 ms short of --stable keeps doubling. */
	expect_actions(sv_child_exited(&sv, exited(1), false, t + 9999),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 2000, .ran_ms = 9999),
		       "almost stable");
	t = sv.deadline_ms;
	sv_deadline(&sv, t);
	sv_spawned(&sv, 200, t);
	/* A run of exactly --stable starts a new series. */
	expect_actions(sv_child_exited(&sv, exited(1), false, t + 10000),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 10000),
		       "stable");
	cr_expect_eq(sv.restarts, 5u, "the total still counts every restart");
	t = sv.deadline_ms;
	sv_deadline(&sv, t);
	sv_spawned(&sv, 201, t);
	expect_actions(sv_child_exited(&sv, exited(1), false, t + 5),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 500, .ran_ms = 5),
		       "series goes on");
}

Test(machine, max_restarts_gives_up_after_exactly_n)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);
	int64_t t = 0;

	p.max_restarts = 3;
	start(&p);
	run_service(100, 0);
	for (int k = 1; k <= 3; k++) {
		t += 10;
		struct sv_actions a = sv_child_exited(&sv, exited(k), false, t);
		cr_expect(a.restarting, "restart %d", k);
		cr_expect_not(a.gave_up, "restart %d", k);
		cr_expect_eq(sv.restarts, (unsigned)k);
		t = sv.deadline_ms;
		expect_actions(sv_deadline(&sv, t), ACT(.spawn = SPAWN_SERVICE, .kill_group = 99 + k), "restart");
		expect_actions(sv_spawned(&sv, 100 + k, t), NONE, "spawned");
	}
	t += 10;
	expect_actions(sv_child_exited(&sv, exited(7), false, t), ACT(.signal_leftovers = SIGTERM, .gave_up = true),
		       "fourth failure: give up");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.restarts, 3u);
	cr_expect_eq(sv.last_status, 7);
	expect_actions(sv_deadline(&sv, t + 500), NONE, "no restart");
	expect_actions(sv_no_children(&sv, t + 1), ACT(.exit_now = true, .exit_code = 7), "last status");
}

Test(machine, max_restarts_one)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.max_restarts = 1;
	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, killed_by(SIGSEGV), false, 10),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 10),
		       "first failure");
	expect_actions(sv_deadline(&sv, 260), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "restart 1");
	sv_spawned(&sv, 101, 260);
	expect_actions(sv_child_exited(&sv, killed_by(SIGSEGV), false, 270), ACT(.signal_leftovers = SIGTERM, .gave_up = true),
		       "give up");
	expect_actions(sv_no_children(&sv, 271), ACT(.exit_now = true, .exit_code = 139), "exit");
}

Test(machine, max_restarts_counts_only_unstable_runs)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);
	int64_t t = 0;

	p.max_restarts = 2;
	start(&p);
	run_service(100, 0);
	/* Fail, fail (2 restarts), a stable run that starts a new series, fail: 4
	 * restarts in all, more than 2, and only the next failure gives up. */
	static const int64_t runs[] = { 10, 10, 10000, 10 };
	for (size_t i = 0; i < 4; i++) {
		struct sv_actions a = sv_child_exited(&sv, exited(1), false, t + runs[i]);
		cr_expect(a.restarting, "run %zu", i);
		cr_expect_not(a.gave_up, "run %zu", i);
		t = sv.deadline_ms;
		sv_deadline(&sv, t);
		sv_spawned(&sv, 101 + (pid_t)i, t);
	}
	cr_expect_eq(sv.restarts, 4u);
	struct sv_actions a = sv_child_exited(&sv, exited(1), false, t + 10);
	cr_expect(a.gave_up);
	cr_expect_not(a.restarting);
}

Test(machine, stop_while_running)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 5000), ACT(.signal_child = SIGTERM), "stop");
	expect_state(SV_STOPPING);
	cr_expect(sv.stop_requested);
	cr_expect_eq(sv.deadline_ms, 5000 + 8000);
	expect_actions(sv_no_children(&sv, 5001), NONE, "the service is still ours");
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 6000), ACT(.signal_leftovers = SIGTERM),
		       "service gone, no restart");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.deadline_ms, 13000, "the grace period is not restarted");
	cr_expect_eq(sv.restarts, 0u);
	expect_actions(sv_no_children(&sv, 6001), ACT(.exit_now = true, .exit_code = 143), "exit");
	expect_state(SV_EXITED);
}

Test(machine, stop_uses_the_given_signal_for_child_and_leftovers)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGQUIT, 10), ACT(.signal_child = SIGQUIT), "stop (rewritten)");
	expect_actions(sv_child_exited(&sv, exited(0), false, 20), ACT(.signal_leftovers = SIGQUIT), "service gone");
	expect_actions(sv_no_children(&sv, 21), ACT(.exit_now = true, .exit_code = 0), "exit 0");
}

Test(machine, no_restart_after_stop_whatever_the_status)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	start(&p);
	run_service(100, 0);
	sv_stop(&sv, SIGINT, 100);
	struct sv_actions a = sv_child_exited(&sv, exited(1), false, 200);
	cr_expect_not(a.restarting);
	cr_expect_eq(a.spawn, SPAWN_NOTHING);
	expect_actions(sv_deadline(&sv, 250), NONE, "the backoff time means nothing now");
	expect_actions(sv_deadline(&sv, 100 + 8000), ACT(.kill_all = true), "grace end: leftovers");
	expect_state(SV_STOPPING);
	expect_actions(sv_no_children(&sv, 8200), ACT(.exit_now = true, .exit_code = 1), "exit 1");
}

Test(machine, repeated_stop_is_forwarded_again)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 1000), ACT(.signal_child = SIGTERM), "first");
	expect_actions(sv_stop(&sv, SIGINT, 2000), ACT(.signal_child = SIGINT), "second");
	cr_expect_eq(sv.deadline_ms, 9000, "the deadline stays");
	expect_actions(sv_stop(&sv, SIGTERM, 3000), ACT(.signal_child = SIGTERM), "third");
	cr_expect_eq(sv.deadline_ms, 9000);
	expect_state(SV_STOPPING);
}

Test(machine, grace_deadline_kills_then_exits_with_real_status)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 0), ACT(.signal_child = SIGTERM), "stop");
	expect_actions(sv_deadline(&sv, 7999), NONE, "early");
	expect_actions(sv_deadline(&sv, 8000), ACT(.kill_all = true), "grace over");
	cr_expect(sv.killed);
	cr_expect_eq(sv.deadline_ms, 8000 + SV_KILL_WAIT_MS);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), false, 8001), NONE, "reaped: nothing more to signal");
	expect_state(SV_STOPPING);
	expect_actions(sv_no_children(&sv, 8002), ACT(.exit_now = true, .exit_code = 137), "exit 137");
}

Test(machine, grace_deadline_child_never_reaped_exits_137)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	sv_stop(&sv, SIGTERM, 1000);
	expect_actions(sv_deadline(&sv, 9000), ACT(.kill_all = true), "grace over");
	expect_actions(sv_deadline(&sv, 9000 + SV_KILL_WAIT_MS - 1), NONE, "still waiting");
	expect_actions(sv_deadline(&sv, 9000 + SV_KILL_WAIT_MS),
		       ACT(.exit_now = true, .exit_code = 137, .survivors = true), "give up waiting");
	expect_state(SV_EXITED);
	expect_actions(sv_stop(&sv, SIGTERM, 12000), NONE, "after exit");
	expect_actions(sv_deadline(&sv, 20000), NONE, "after exit");
	expect_actions(sv_no_children(&sv, 20000), NONE, "after exit");
}

Test(machine, stop_after_kill_is_ignored)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	sv_stop(&sv, SIGTERM, 0);
	sv_deadline(&sv, 8000);
	expect_actions(sv_stop(&sv, SIGTERM, 8100), NONE, "already SIGKILLed");
}

Test(machine, leftovers_outlive_grace_status_stays_the_services)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 0), ACT(.signal_child = SIGTERM), "stop");
	expect_actions(sv_child_exited(&sv, exited(3), false, 100), ACT(.signal_leftovers = SIGTERM), "service exits 3");
	expect_actions(sv_deadline(&sv, 8000), ACT(.kill_all = true), "grace over: kill leftovers");
	expect_actions(sv_deadline(&sv, 8000 + SV_KILL_WAIT_MS),
		       ACT(.exit_now = true, .exit_code = 3, .survivors = true), "exit with the service's status");
}

Test(machine, stop_during_backoff_exits_with_last_status)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(9), false, 1000),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 250, .ran_ms = 1000),
		       "failure");
	expect_state(SV_BACKOFF);
	expect_actions(sv_stop(&sv, SIGTERM, 1100), ACT(.signal_leftovers = SIGTERM), "stop in backoff");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.deadline_ms, 1100 + 8000);
	expect_actions(sv_deadline(&sv, 1250), NONE, "the backoff end starts nothing");
	expect_actions(sv_no_children(&sv, 1101), ACT(.exit_now = true, .exit_code = 9), "exit 9");
	expect_state(SV_EXITED);
}

Test(machine, stop_during_backoff_stale_group_outlives_grace)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	sv_child_exited(&sv, killed_by(SIGKILL), false, 1000);
	expect_actions(sv_stop(&sv, SIGINT, 1100), ACT(.signal_leftovers = SIGINT), "stop in backoff");
	expect_actions(sv_deadline(&sv, 9100), ACT(.kill_all = true), "grace end");
	expect_actions(sv_deadline(&sv, 9100 + SV_KILL_WAIT_MS),
		       ACT(.exit_now = true, .exit_code = 137, .survivors = true), "exit with last status");
}

Test(machine, stop_during_pre_is_forwarded_and_exits_with_its_status)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 2;
	start(&p);
	sv_begin(&sv, 0);
	sv_spawned(&sv, 10, 0);
	expect_actions(sv_stop(&sv, SIGTERM, 50), ACT(.signal_child = SIGTERM), "stop during pre");
	expect_state(SV_STOPPING);
	cr_expect_eq(sv.deadline_ms, 50 + 8000);
	expect_actions(sv_child_exited(&sv, killed_by(SIGTERM), false, 60), ACT(.signal_leftovers = SIGTERM),
		       "pre ends, nothing else starts");
	expect_actions(sv_no_children(&sv, 61), ACT(.exit_now = true, .exit_code = 143), "exit with its status");
}

Test(machine, stop_during_pre_that_then_succeeds_starts_nothing)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 2;
	start(&p);
	sv_begin(&sv, 0);
	sv_spawned(&sv, 10, 0);
	sv_stop(&sv, SIGTERM, 50);
	expect_actions(sv_child_exited(&sv, exited(0), false, 60), ACT(.signal_leftovers = SIGTERM), "pre exits 0");
	cr_expect_not(sv.service_started);
	expect_actions(sv_no_children(&sv, 61), ACT(.exit_now = true, .exit_code = 0), "exit 0");
}

Test(machine, stop_while_leftovers_drain_reaches_them)
{
	struct sv_policy p = policy(RESTART_NEVER);

	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(2), false, 100), ACT(.signal_leftovers = SIGTERM), "service exits");
	expect_actions(sv_stop(&sv, SIGINT, 200), ACT(.signal_leftovers = SIGINT), "stop while draining");
	cr_expect_eq(sv.deadline_ms, 8100, "the grace period already running is kept");
	expect_actions(sv_no_children(&sv, 300), ACT(.exit_now = true, .exit_code = 2), "exit 2");
}

Test(machine, stale_group_signalled_then_killed_before_restart)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.default_stop_signal = SIGQUIT;
	start(&p);
	run_service(300, 0);
	expect_actions(sv_child_exited(&sv, killed_by(SIGKILL), false, 50),
		       ACT(.signal_stale = SIGQUIT, .restarting = true, .restart_delay_ms = 250, .ran_ms = 50),
		       "master killed: its workers get the stop signal");
	cr_expect_eq(sv.stale_group, 300);
	expect_actions(sv_deadline(&sv, 300), ACT(.spawn = SPAWN_SERVICE, .kill_group = 300),
		       "SIGKILL the old group just before the new start");
	cr_expect_eq(sv.stale_group, 0);
	expect_actions(sv_spawned(&sv, 301, 300), NONE, "spawned");
	expect_actions(sv_child_exited(&sv, exited(1), false, 400),
		       ACT(.signal_stale = SIGQUIT, .restarting = true, .restart_delay_ms = 500, .ran_ms = 100),
		       "second failure");
	expect_actions(sv_deadline(&sv, 900), ACT(.spawn = SPAWN_SERVICE, .kill_group = 301), "second restart");
}

Test(machine, no_children_ignored_unless_stopping)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	expect_actions(sv_no_children(&sv, 0), NONE, "before start");
	run_service(100, 0);
	expect_actions(sv_no_children(&sv, 1), NONE, "running");
	sv_child_exited(&sv, exited(1), false, 10);
	expect_state(SV_BACKOFF);
	expect_actions(sv_no_children(&sv, 11), NONE, "backoff: waiting to restart is not the end");
	expect_state(SV_BACKOFF);
}

Test(machine, deadline_without_one_does_nothing)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	expect_actions(sv_deadline(&sv, 1000000), NONE, "starting");
	run_service(100, 0);
	expect_actions(sv_deadline(&sv, 1000000), NONE, "running");
	expect_state(SV_RUNNING);
}

Test(machine, late_backoff_wakeup_still_restarts)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	start(&p);
	run_service(100, 0);
	sv_child_exited(&sv, exited(1), false, 10);
	expect_actions(sv_deadline(&sv, 5000), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "late");
}

Test(machine, restart_never_runs_pre_again)
{
	struct sv_policy p = policy(RESTART_ALWAYS);

	p.npre = 1;
	start(&p);
	expect_actions(sv_begin(&sv, 0), ACT(.spawn = SPAWN_PRE), "begin");
	sv_spawned(&sv, 10, 0);
	expect_actions(sv_child_exited(&sv, exited(0), false, 5), ACT(.spawn = SPAWN_SERVICE), "pre ok");
	sv_spawned(&sv, 11, 5);
	sv_child_exited(&sv, exited(1), false, 20);
	expect_actions(sv_deadline(&sv, 270), ACT(.spawn = SPAWN_SERVICE, .kill_group = 11), "restart: no pre");
}

Test(machine, zero_grace_and_zero_backoff)
{
	struct sv_policy p = policy(RESTART_ON_FAILURE);

	p.grace_ms = 0;
	p.backoff_min_ms = 0;
	p.backoff_max_ms = 0;
	start(&p);
	run_service(100, 0);
	expect_actions(sv_child_exited(&sv, exited(1), false, 10),
		       ACT(.signal_stale = SIGTERM, .restarting = true, .restart_delay_ms = 0, .ran_ms = 10),
		       "no delay");
	cr_expect_eq(sv.deadline_ms, 10);
	expect_actions(sv_deadline(&sv, 10), ACT(.spawn = SPAWN_SERVICE, .kill_group = 100), "at once");
	sv_spawned(&sv, 101, 10);
	expect_actions(sv_stop(&sv, SIGTERM, 20), ACT(.signal_child = SIGTERM), "stop");
	cr_expect_eq(sv.deadline_ms, 20);
	expect_actions(sv_deadline(&sv, 20), ACT(.kill_all = true), "no grace");
}

Test(machine, state_names)
{
	cr_assert_str_eq(sv_state_name(SV_STARTING), "starting");
	cr_assert_str_eq(sv_state_name(SV_RUNNING), "running");
	cr_assert_str_eq(sv_state_name(SV_BACKOFF), "backoff");
	cr_assert_str_eq(sv_state_name(SV_STOPPING), "stopping");
	cr_assert_str_eq(sv_state_name(SV_EXITED), "exited");
}
