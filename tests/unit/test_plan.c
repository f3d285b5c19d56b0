/* What init/run.c asks between system calls: whom to signal and with what, what
 * to print, how long to sleep, what the status file should say. */
#include <criterion/criterion.h>

#include <signal.h>
#include <string.h>

#include "supervisor/plan.h"
#include "supervisor/status.h"

static struct config cfg;
static struct supervisor sv;

/* Built by hand, not parsed: each test names only the options it is about. */
static void setup(void)
{
	struct sv_policy policy;

	memset(&cfg, 0, sizeof cfg);
	cfg.restart = RESTART_ON_FAILURE;
	cfg.backoff_min_ms = 250;
	cfg.backoff_max_ms = 30000;
	cfg.stable_ms = 10000;
	cfg.grace_ms = 8000;
	plan_policy(&cfg, &policy);
	sv_init(&sv, &policy);
}

TestSuite(plan, .init = setup);

static void running(pid_t pid)
{
	sv_begin(&sv, 0);
	sv_spawned(&sv, pid, 0);
}

Test(plan, policy_copies_the_options)
{
	struct sv_policy p;

	cfg.restart = RESTART_ALWAYS;
	cfg.max_restarts = 7;
	cfg.npre = 2;
	cfg.success.codes[2] = 1u << 15;
	cfg.success.signals = 1u << (SIGTERM - 1);
	plan_policy(&cfg, &p);
	cr_expect_eq(p.restart, RESTART_ALWAYS);
	cr_expect_eq(p.max_restarts, 7);
	cr_expect_eq(p.backoff_min_ms, 250);
	cr_expect_eq(p.backoff_max_ms, 30000);
	cr_expect_eq(p.stable_ms, 10000);
	cr_expect_eq(p.grace_ms, 8000);
	cr_expect_eq(p.npre, 2);
	cr_expect_eq(p.default_stop_signal, SIGTERM);
	cr_expect_eq(p.success.codes[2], 1u << 15, "exit status 143");
	cr_expect_eq(p.success.signals, 1u << (SIGTERM - 1));
}

Test(plan, policy_stop_signal_for_leftovers)
{
	struct sv_policy p;

	cfg.rewrite[SIGTERM] = SIGQUIT;
	plan_policy(&cfg, &p);
	cr_expect_eq(p.default_stop_signal, SIGQUIT, "TERM rewritten");
	cfg.stop_signal = SIGINT;
	plan_policy(&cfg, &p);
	cr_expect_eq(p.default_stop_signal, SIGINT, "--stop-signal wins over a rewrite");
}

Test(plan, stop_signals)
{
	cr_expect(signal_means_stop(SIGTERM));
	cr_expect(signal_means_stop(SIGINT));
	cr_expect(signal_means_stop(SIGQUIT));
	cr_expect_not(signal_means_stop(SIGHUP));
	cr_expect_not(signal_means_stop(SIGCHLD));
	cr_expect_not(signal_means_stop(SIGUSR1));
}

Test(plan, pwr_and_rtmin_3_also_mean_stop)
{
	int send = 0;

	cr_expect(signal_means_stop(SIGPWR), "LXC's halt");
	cr_expect(signal_means_stop(37), "systemd-nspawn's SIGRTMIN+3, glibc's numbering");
	cr_expect(signal_means_stop(SIGRTMIN + 3), "RTMIN+3 as this libc numbers it");
	cr_expect_not(signal_means_stop(SIGRTMIN), "the other real-time signals are forwarded");
	cr_expect_not(signal_means_stop(SIGRTMAX));
	cr_expect_not(signal_means_stop(SIGRTMIN + 4));
	running(42);
	cr_expect_eq(plan_received(&cfg, &sv, SIGPWR, &send), PLAN_STOP);
	cr_expect_eq(send, SIGPWR, "the received signal, as for TERM");
	cfg.rewrite[SIGPWR] = SIGQUIT;
	cr_expect_eq(plan_received(&cfg, &sv, SIGPWR, &send), PLAN_STOP);
	cr_expect_eq(send, SIGQUIT, "rewritten like TERM");
}

#define BIT(signo) ((uint64_t)1 << ((signo) - 1))

Test(plan, the_stop_signals_go_back_to_their_default_action)
{
	uint64_t stops = BIT(SIGTERM) | BIT(SIGINT) | BIT(SIGQUIT) | BIT(SIGPWR) | BIT(37) | BIT(SIGRTMIN + 3);

	cr_expect_eq(plan_signals_to_default(&cfg), stops, "without options: the stop signals alone");
	cr_expect_eq(plan_signals_to_default(&cfg) & (BIT(SIGHUP) | BIT(SIGPIPE) | BIT(SIGUSR1)), 0,
		     "no other signal an ignore may be meant for");
}

Test(plan, rewrite_targets_of_stop_signals_and_the_stop_signal_go_back_too)
{
	uint64_t stops = plan_signals_to_default(&cfg);

	cfg.rewrite[SIGTERM] = SIGUSR1;
	cfg.rewrite[SIGHUP] = SIGUSR2; /* not a stop signal: its target stays as inherited */
	cfg.stop_signal = SIGWINCH;
	uint64_t set = plan_signals_to_default(&cfg);
	cr_expect_eq(set, stops | BIT(SIGUSR1) | BIT(SIGWINCH), "got %#llx", (unsigned long long)set);
	cr_expect_eq(set & BIT(SIGTERM), BIT(SIGTERM), "TERM itself, rewritten or not");
}

Test(plan, kill_and_stop_are_never_in_the_set)
{
	cfg.stop_signal = SIGKILL;
	cfg.rewrite[SIGTERM] = SIGSTOP;
	cr_expect_eq(plan_signals_to_default(&cfg) & (BIT(SIGKILL) | BIT(SIGSTOP)), 0);
	cfg.stop_signal = SIGRTMAX;
	cr_expect_neq(plan_signals_to_default(&cfg) & BIT(SIGRTMAX), 0, "the highest signal has its bit");
}

Test(plan, a_relative_path_is_joined_to_the_start_directory)
{
	char buf[32];

	cr_expect_str_eq(plan_path_from("/srv/app", "run/st", buf, sizeof buf), "/srv/app/run/st");
	cr_expect_str_eq(plan_path_from("/", "st", buf, sizeof buf), "/st", "no double slash");
	cr_expect_str_eq(plan_path_from("/srv", "./st", buf, sizeof buf), "/srv/./st");
}

Test(plan, an_absolute_path_is_kept_and_a_long_one_refused)
{
	char buf[16];
	const char *abs = "/run/initd.status.long.enough";

	cr_expect_eq(plan_path_from("/srv", abs, buf, sizeof buf), abs, "the same string, whatever its length");
	cr_expect_str_eq(plan_path_from("/abcdefghij", "123", buf, sizeof buf), "/abcdefghij/123", "15 bytes and the NUL fit");
	cr_expect_null(plan_path_from("/abcdefghij", "1234", buf, sizeof buf), "16 do not");
}

Test(plan, received_chld_is_reaped_not_forwarded)
{
	int send = -1;

	running(42);
	cr_expect_eq(plan_received(&cfg, &sv, SIGCHLD, &send), PLAN_REAP);
	cr_expect_eq(send, -1, "nothing to send");
}

Test(plan, received_stop_uses_the_received_signal_rewritten)
{
	int send = 0;

	running(42);
	cr_expect_eq(plan_received(&cfg, &sv, SIGINT, &send), PLAN_STOP);
	cr_expect_eq(send, SIGINT);
	cfg.rewrite[SIGTERM] = SIGUSR1;
	cr_expect_eq(plan_received(&cfg, &sv, SIGTERM, &send), PLAN_STOP);
	cr_expect_eq(send, SIGUSR1);
	cfg.stop_signal = SIGQUIT;
	cr_expect_eq(plan_received(&cfg, &sv, SIGTERM, &send), PLAN_STOP);
	cr_expect_eq(send, SIGQUIT, "--stop-signal wins");
}

Test(plan, received_stop_without_a_child_is_still_a_stop)
{
	int send = 0;

	cr_expect_eq(plan_received(&cfg, &sv, SIGTERM, &send), PLAN_STOP);
	cr_expect_eq(send, SIGTERM);
}

Test(plan, received_other_is_forwarded_rewritten_or_dropped)
{
	int send = 0;

	cfg.rewrite[SIGHUP] = SIGUSR2;
	cr_expect_eq(plan_received(&cfg, &sv, SIGHUP, &send), PLAN_DROP, "no child yet");
	running(42);
	cr_expect_eq(plan_received(&cfg, &sv, SIGHUP, &send), PLAN_FORWARD);
	cr_expect_eq(send, SIGUSR2);
	cr_expect_eq(plan_received(&cfg, &sv, SIGUSR1, &send), PLAN_FORWARD);
	cr_expect_eq(send, SIGUSR1);
}

Test(plan, service_target_pid_or_group)
{
	cr_expect_eq(plan_service_target(&cfg, &sv), 0, "no child");
	running(42);
	cr_expect_eq(plan_service_target(&cfg, &sv), 42);
	cfg.group = true;
	cr_expect_eq(plan_service_target(&cfg, &sv), -42);
}

Test(plan, describe_signal)
{
	char line[64];

	running(42);
	plan_describe_signal(&cfg, &sv, SIGHUP, line, sizeof line);
	cr_expect_str_eq(line, "sending SIGHUP to process 42");
	cfg.group = true;
	plan_describe_signal(&cfg, &sv, SIGRTMIN + 1, line, sizeof line);
	cr_expect_str_eq(line, "sending SIGRTMIN+1 to process group 42");
	plan_describe_signal(&cfg, &sv, 0, line, sizeof line);
	cr_expect_str_eq(line, "sending SIG? to process group 42");
}

Test(plan, stale_and_child_group_targets)
{
	struct sv_actions a;

	memset(&a, 0, sizeof a);
	cr_expect_eq(plan_child_group_target(&sv), 0);
	running(42);
	cr_expect_eq(plan_child_group_target(&sv), -42);
	sv.stale_group = 40;
	cr_expect_eq(plan_stale_target(&sv, &a), 0, "not asked for");
	a.signal_stale = SIGTERM;
	cr_expect_eq(plan_stale_target(&sv, &a), -40);
	sv.stale_group = 0;
	cr_expect_eq(plan_stale_target(&sv, &a), 0, "no stale group");
}

Test(plan, pre_program_and_child)
{
	cfg.pre[0] = "/a";
	cfg.pre[1] = "/b";
	cr_expect_str_eq(plan_pre_program(&cfg, &sv), "/a");
	sv.next_pre = 1;
	cr_expect_str_eq(plan_pre_program(&cfg, &sv), "/b");
	running(42);
	cr_expect(plan_is_child(&sv, 42));
	cr_expect_not(plan_is_child(&sv, 43));
}

Test(plan, deadline)
{
	cr_expect_lt(plan_deadline(&sv), 0, "no deadline");
	sv.deadline_ms = 100;
	cr_expect_eq(plan_deadline(&sv), 100);
}

static int exited(int code)
{
	return (code & 0xff) << 8;
}

Test(plan, announcement_silent_without_news)
{
	struct sv_actions a;
	enum log_level level = LOG_DEBUG;
	char line[256] = "untouched";

	memset(&a, 0, sizeof a);
	cr_expect_not(plan_announcement(&sv, &a, -1, &level, line, sizeof line));
	cr_expect_str_eq(line, "untouched");
	cr_expect_eq(level, LOG_DEBUG);
}

Test(plan, announcement_restart)
{
	enum log_level level;
	char line[256];

	running(42);
	struct sv_actions a = sv_child_exited(&sv, exited(3), false, 1500);
	cr_assert(a.restarting);
	cr_expect(plan_announcement(&sv, &a, exited(3), &level, line, sizeof line));
	cr_expect_eq(level, LOG_NOTICE);
	cr_expect_str_eq(line, "service exited with status 3 after 1500ms; restart 1 in 250ms");
}

Test(plan, announcement_end_of_a_run)
{
	enum log_level level;
	char line[256];

	struct sv_policy policy;

	cfg.restart = RESTART_NEVER;
	plan_policy(&cfg, &policy);
	sv_init(&sv, &policy);
	running(42);
	struct sv_actions a = sv_child_exited(&sv, 9, false, 10);
	cr_expect(plan_announcement(&sv, &a, 9, &level, line, sizeof line));
	cr_expect_eq(level, LOG_INFO);
	cr_expect_str_eq(line, "service killed by signal 9 (SIGKILL)");
}

Test(plan, announcement_give_up_uses_the_last_status)
{
	enum log_level level;
	char line[256];
	struct sv_actions a;

	running(42);
	sv.last_status = 128 + SIGSEGV;
	sv.failures = 4;
	memset(&a, 0, sizeof a);
	a.gave_up = true;
	cr_expect(plan_announcement(&sv, &a, -1, &level, line, sizeof line));
	cr_expect_eq(level, LOG_NOTICE);
	cr_expect_str_eq(line, "service killed by signal 11 (SIGSEGV); giving up after 4 restarts");
}

Test(plan, announcement_pre_program)
{
	enum log_level level;
	char line[256];
	struct sv_actions a;

	memset(&a, 0, sizeof a);
	sv.child_is_service = false;
	cr_expect(plan_announcement(&sv, &a, exited(0), &level, line, sizeof line));
	cr_expect_eq(level, LOG_INFO);
	cr_expect_str_eq(line, "pre program exited with status 0");
}

Test(plan, status_of_and_differs)
{
	running(42);
	struct status_record a = status_of(&sv);
	cr_expect_eq(a.state, SV_RUNNING);
	cr_expect_eq(a.pid, 42);
	cr_expect_eq(a.restarts, 0);
	cr_expect_eq(a.last_status, -1);
	cr_expect_eq(a.changed_ms, 0);

	struct status_record b = a;
	b.changed_ms = 123;
	cr_expect_not(status_differs(&a, &b), "the time alone is no change");
	b.restarts = 1;
	cr_expect(status_differs(&a, &b));

	sv.child_is_service = false;
	cr_expect_eq(status_of(&sv).pid, 0, "a --pre program is not the service");
}
