/* Command line and INITD_* variables to a config, and the usage errors. */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "supervisor/options.h"

#define MAX_ITEMS 40

static char arg_store[MAX_ITEMS][256];
static char *arg_vec[MAX_ITEMS + 2];
static int arg_count;
static char env_store[MAX_ITEMS][1400];
static char *env_vec[MAX_ITEMS + 1];
static struct config cfg;
static struct options_error err;
static char msg[512];

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ENV(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NOARGS ((const char *const[]){ NULL })
#define NOENV NULL

/* Copies the texts into writable storage, as the kernel hands them to main. The
 * config points into that storage, so it stays valid until the next call. */
static bool parse(const char *const *args, const char *const *env)
{
	int n = 0;

	memset(&cfg, 0xa5, sizeof cfg); /* no field may be left as it was */
	memset(&err, 0, sizeof err);
	snprintf(arg_store[n], sizeof arg_store[n], "initd");
	arg_vec[n] = arg_store[n];
	n++;
	for (size_t i = 0; args[i] != NULL; i++, n++) {
		cr_assert_lt(n, MAX_ITEMS);
		cr_assert_lt(strlen(args[i]), sizeof arg_store[n]);
		snprintf(arg_store[n], sizeof arg_store[n], "%s", args[i]);
		arg_vec[n] = arg_store[n];
	}
	arg_vec[n] = NULL;
	arg_count = n;
	size_t e = 0;
	for (; env != NULL && env[e] != NULL; e++) {
		cr_assert_lt(e, (size_t)MAX_ITEMS);
		cr_assert_lt(strlen(env[e]), sizeof env_store[e]);
		snprintf(env_store[e], sizeof env_store[e], "%s", env[e]);
		env_vec[e] = env_store[e];
	}
	env_vec[e] = NULL;
	bool ok = options_parse(&cfg, arg_count, arg_vec, env != NULL ? env_vec : NULL, &err);
	options_error_message(&err, msg, sizeof msg);
	return ok;
}

static void expect_defaults_except_command(void)
{
	cr_expect_eq(cfg.mode, MODE_RUN);
	cr_expect_eq(cfg.restart, RESTART_ON_FAILURE);
	cr_expect_eq(cfg.max_restarts, 0u);
	cr_expect_eq(cfg.backoff_min_ms, 250);
	cr_expect_eq(cfg.backoff_max_ms, 30000);
	cr_expect_eq(cfg.stable_ms, 10000);
	cr_expect_eq(cfg.grace_ms, 8000);
	cr_expect_eq(cfg.min_uptime_ms, 0);
	cr_expect_eq(cfg.stop_signal, 0);
	for (int s = 0; s < SIGNAL_SLOTS; s++)
		cr_expect_eq(cfg.rewrite[s], 0, "rewrite[%d]", s);
	cr_expect_not(cfg.group);
	cr_expect_null(cfg.user);
	cr_expect_not(cfg.caps_given);
	cr_expect_eq(cfg.npre, 0u);
	for (int i = 0; i < 4; i++)
		cr_expect_eq(cfg.success.codes[i], 0u, "success.codes[%d]", i);
	cr_expect_eq(cfg.success.signals, 0u);
	cr_expect_eq(cfg.nsuccess, 0u);
	cr_expect_str_eq(cfg.status_file, "/run/initd.status");
	cr_expect_eq(cfg.verbosity, VERBOSITY_DEFAULT);
}

static void expect_command(const char *const *want)
{
	size_t i = 0;

	cr_assert_not_null(cfg.command);
	for (; want[i] != NULL; i++) {
		cr_assert_not_null(cfg.command[i], "command[%zu] missing, want '%s'", i, want[i]);
		cr_expect_str_eq(cfg.command[i], want[i], "command[%zu]", i);
	}
	cr_expect_null(cfg.command[i], "command has more than %zu words", i);
}

/* The problem, and a message naming every part and ending in the hint. */
static void expect_error(enum options_problem problem, const char *const *parts)
{
	static const char hint[] = "; try 'initd --help'";
	size_t len = strlen(msg);

	cr_expect_eq(err.problem, problem, "problem %d, want %d (%s)", err.problem, problem, msg);
	cr_expect(len > strlen(hint) && strcmp(msg + len - strlen(hint), hint) == 0,
		  "'%s' does not end with the --help hint", msg);
	cr_expect_null(strchr(msg, '\n'), "'%s' is more than one line", msg);
	cr_expect_neq(strncmp(msg, "initd:", 6), 0, "'%s' carries the prefix", msg);
	for (size_t i = 0; parts != NULL && parts[i] != NULL; i++)
		cr_expect_not_null(strstr(msg, parts[i]), "'%s' does not mention '%s'", msg, parts[i]);
}

/* --- defaults, command, "--" ---------------------------------------------------- */

Test(options, defaults)
{
	cr_assert(parse(ARGS("/bin/true"), NOENV), "%s", msg);
	expect_defaults_except_command();
	expect_command(ARGS("/bin/true"));
	cr_expect_eq(err.problem, OPT_OK);
}

Test(options, defaults_with_unrelated_environment)
{
	cr_assert(parse(ARGS("cmd"), ENV("PATH=/bin", "HOME=/root", "INITD_FOO=1", "INITD_PREFIX=/x",
					 "INITD_GRACEFUL=soon", "XINITD_GRACE=soon", "INITD_grace=1s")),
		  "%s", msg);
	expect_defaults_except_command();
}

Test(options, command_keeps_all_its_arguments)
{
	cr_assert(parse(ARGS("nginx", "-g", "daemon off;"), NOENV), "%s", msg);
	expect_command(ARGS("nginx", "-g", "daemon off;"));
	cr_expect_not(cfg.group, "-g after COMMAND belongs to the command");
}

Test(options, stops_at_first_non_option)
{
	cr_assert(parse(ARGS("-g", "nginx", "-t", "5s", "-v", "--restart=never", "--", "x"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.grace_ms, 8000);
	cr_expect_eq(cfg.verbosity, 0);
	cr_expect_eq(cfg.restart, RESTART_ON_FAILURE);
	expect_command(ARGS("nginx", "-t", "5s", "-v", "--restart=never", "--", "x"));
}

Test(options, double_dash_ends_options)
{
	cr_assert(parse(ARGS("-g", "--", "-v", "--grace=1s"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.verbosity, 0);
	cr_expect_eq(cfg.grace_ms, 8000);
	expect_command(ARGS("-v", "--grace=1s"));
}

Test(options, only_the_first_double_dash_is_eaten)
{
	cr_assert(parse(ARGS("--", "--", "x"), NOENV), "%s", msg);
	expect_command(ARGS("--", "x"));
}

Test(options, service_named_status_or_health_after_double_dash)
{
	cr_assert(parse(ARGS("--", "status"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_RUN);
	expect_command(ARGS("status"));
	cr_assert(parse(ARGS("--", "health", "--min-uptime=1s"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_RUN);
	expect_command(ARGS("health", "--min-uptime=1s"));
}

Test(options, no_command)
{
	cr_assert_not(parse(NOARGS, NOENV));
	expect_error(OPT_NO_COMMAND, ARGS("COMMAND"));
	cr_assert_not(parse(ARGS("-g", "-v"), NOENV));
	expect_error(OPT_NO_COMMAND, ARGS("COMMAND"));
	cr_assert_not(parse(ARGS("--grace=1s", "--"), NOENV));
	expect_error(OPT_NO_COMMAND, ARGS("COMMAND"));
}

/* --- every option, every spelling ----------------------------------------------- */

Test(options, restart_policy_spellings)
{
	static const struct {
		const char *a, *b;
		enum restart_policy want;
	} cases[] = {
		{ "--restart=always", NULL, RESTART_ALWAYS }, { "--restart", "never", RESTART_NEVER },
		{ "-r", "always", RESTART_ALWAYS },           { "-rnever", NULL, RESTART_NEVER },
		{ "--restart=on-failure", NULL, RESTART_ON_FAILURE },
		{ "-ron-failure", NULL, RESTART_ON_FAILURE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = cases[i].b ? parse(ARGS(cases[i].a, cases[i].b, "cmd"), NOENV)
				     : parse(ARGS(cases[i].a, "cmd"), NOENV);
		cr_expect(ok, "%s %s: %s", cases[i].a, cases[i].b ? cases[i].b : "", msg);
		cr_expect_eq(cfg.restart, cases[i].want, "%s %s", cases[i].a, cases[i].b ? cases[i].b : "");
		if (ok)
			expect_command(ARGS("cmd"));
	}
}

Test(options, restart_policy_bad)
{
	cr_assert_not(parse(ARGS("--restart=sometimes", "cmd"), NOENV));
	expect_error(OPT_BAD_POLICY, ARGS("--restart", "'sometimes'"));
	cr_assert_not(parse(ARGS("-r", "no", "cmd"), NOENV));
	expect_error(OPT_BAD_POLICY, ARGS("-r", "'no'"));
	cr_assert_not(parse(ARGS("--restart=", "cmd"), NOENV));
	expect_error(OPT_BAD_POLICY, ARGS("--restart"));
	cr_assert_not(parse(ARGS("--restart=on_failure", "cmd"), NOENV));
	expect_error(OPT_BAD_POLICY, ARGS("on_failure"));
}

Test(options, max_restarts)
{
	cr_assert(parse(ARGS("--max-restarts=3", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.max_restarts, 3u);
	cr_assert(parse(ARGS("--max-restarts", "17", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.max_restarts, 17u);
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("--max-restarts=0", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.max_restarts, 0u);
}

Test(options, max_restarts_bad)
{
	static const char *const bad[] = { "--max-restarts=-1", "--max-restarts=x", "--max-restarts=",
					   "--max-restarts=3x", "--max-restarts=1.5",
					   "--max-restarts=99999999999999999999999" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_BAD_NUMBER, ARGS("--max-restarts"));
	}
}

Test(options, durations_every_spelling)
{
	cr_assert(parse(ARGS("--backoff-min=100ms", "--backoff-max", "2m", "--stable=1.5s", "-t5s", "cmd"), NOENV),
		  "%s", msg);
	cr_expect_eq(cfg.backoff_min_ms, 100);
	cr_expect_eq(cfg.backoff_max_ms, 120000);
	cr_expect_eq(cfg.stable_ms, 1500);
	cr_expect_eq(cfg.grace_ms, 5000);
	expect_command(ARGS("cmd"));

	cr_assert(parse(ARGS("-t", "3", "--stable", "20", "--backoff-min", "1s", "--backoff-max=1s", "cmd"), NOENV),
		  "%s", msg);
	cr_expect_eq(cfg.grace_ms, 3000);
	cr_expect_eq(cfg.stable_ms, 20000);
	cr_expect_eq(cfg.backoff_min_ms, 1000);
	cr_expect_eq(cfg.backoff_max_ms, 1000);
	expect_command(ARGS("cmd"));

	cr_assert(parse(ARGS("--grace=250ms", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.grace_ms, 250);
	cr_assert(parse(ARGS("--grace", "0", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.grace_ms, 0);
}

Test(options, bad_duration_message_as_documented)
{
	cr_assert_not(parse(ARGS("--grace=soon", "cmd"), NOENV));
	expect_error(OPT_BAD_DURATION, ARGS("--grace", "'soon'"));
	/* README: "initd: --grace: bad duration 'soon' (e.g. ...); try 'initd --help'" */
	cr_expect_eq(strncmp(msg, "--grace: bad duration 'soon'", 28), 0, "got '%s'", msg);
}

Test(options, bad_durations_name_their_option)
{
	static const struct {
		const char *arg;
		const char *subject;
	} cases[] = {
		{ "--backoff-min=1x", "--backoff-min" }, { "--backoff-max=-1s", "--backoff-max" },
		{ "--stable=forever", "--stable" },      { "-t5x", "-t" },
		{ "--grace=25h", "--grace" },            { "--grace=1441m", "--grace" },
		{ "--grace=", "--grace" },               { "--stable=.5", "--stable" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_not(parse(ARGS(cases[i].arg, "cmd"), NOENV), "%s accepted", cases[i].arg);
		expect_error(OPT_BAD_DURATION, ARGS(cases[i].subject));
	}
	cr_assert_not(parse(ARGS("-t", "soon", "cmd"), NOENV));
	expect_error(OPT_BAD_DURATION, ARGS("-t", "'soon'"));
}

Test(options, stop_signal)
{
	cr_assert(parse(ARGS("--stop-signal=QUIT", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.stop_signal, SIGQUIT);
	cr_assert(parse(ARGS("--stop-signal", "SIGUSR1", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.stop_signal, SIGUSR1);
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("--stop-signal=15", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.stop_signal, SIGTERM);
	cr_assert(parse(ARGS("--stop-signal=int", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.stop_signal, SIGINT);
	cr_assert(parse(ARGS("--stop-signal=RTMIN+1", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.stop_signal, SIGRTMIN + 1);
}

Test(options, stop_signal_bad)
{
	static const char *const bad[] = { "--stop-signal=FOO", "--stop-signal=0", "--stop-signal=65",
					   "--stop-signal=", "--stop-signal=-15", "--stop-signal=SIG" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_BAD_SIGNAL, ARGS("--stop-signal"));
	}
	cr_assert_not(parse(ARGS("--stop-signal", "TERMINATE", "cmd"), NOENV));
	expect_error(OPT_BAD_SIGNAL, ARGS("--stop-signal", "'TERMINATE'"));
}

#define CODE_SET(cfg, n) (((cfg).success.codes[(n) / 64] >> ((n) % 64)) & 1)
#define SIGNAL_SET(cfg, s) (((cfg).success.signals >> ((s) - 1)) & 1)

Test(options, success_exit_codes_and_signals)
{
	cr_assert(parse(ARGS("--success-exit=143,TERM", "--success-exit", "0,255,sigint,SIG10,RTMIN+3", "cmd"), NOENV),
		  "%s", msg);
	cr_expect(CODE_SET(cfg, 143));
	cr_expect(CODE_SET(cfg, 0));
	cr_expect(CODE_SET(cfg, 255));
	cr_expect_not(CODE_SET(cfg, 15), "TERM is a death by signal, not exit status 15");
	cr_expect_not(CODE_SET(cfg, 1));
	cr_expect(SIGNAL_SET(cfg, SIGTERM));
	cr_expect(SIGNAL_SET(cfg, SIGINT));
	cr_expect(SIGNAL_SET(cfg, 10), "SIG10: a signal by number");
	cr_expect(SIGNAL_SET(cfg, SIGRTMIN + 3));
	cr_expect_not(SIGNAL_SET(cfg, SIGKILL));
	cr_expect_eq(cfg.success.signals & ~((1ULL << (SIGTERM - 1)) | (1ULL << (SIGINT - 1)) | (1ULL << 9) |
					     (1ULL << (SIGRTMIN + 3 - 1))),
		     0u, "no other signal");
	cr_expect_eq(cfg.nsuccess, 7u, "the flags add up");
	expect_command(ARGS("cmd"));
}

Test(options, success_exit_bad_items_are_named)
{
	static const struct {
		const char *arg, *item;
	} bad[] = {
		{ "--success-exit=256", "'256'" },	     { "--success-exit=143,FOO", "'FOO'" },
		{ "--success-exit=143,", "''" },	     { "--success-exit=,143", "''" },
		{ "--success-exit=1,,2", "''" },	     { "--success-exit=", "''" },
		{ "--success-exit=-1", "'-1'" },	     { "--success-exit=SIG0", "'SIG0'" },
		{ "--success-exit=SIG65", "'SIG65'" },	     { "--success-exit=SIG", "'SIG'" },
		{ "--success-exit= 143", "' 143'" },	     { "--success-exit=143:TERM", "'143:TERM'" },
		{ "--success-exit=1,TERMINATEDNOWPLEASE123456", "'TERMINATEDNOWPLEASE1234'" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i].arg, "cmd"), NOENV), "%s accepted", bad[i].arg);
		expect_error(OPT_BAD_SUCCESS_EXIT, ARGS("--success-exit", bad[i].item, "bad exit status"));
	}
}

Test(options, success_exit_at_most_32_items)
{
	char list[200] = "--success-exit=";

	for (int i = 1; i <= 32; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d", i > 1 ? "," : "", i);
	cr_assert(parse(ARGS(list, "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.nsuccess, 32u);
	cr_expect_not(parse(ARGS(list, "--success-exit=TERM", "cmd"), NOENV), "33 over two flags");
	expect_error(OPT_TOO_MANY_SUCCESS_EXIT, ARGS("--success-exit", "more than 32"));
}

Test(options, success_exit_variable_and_flag_wins)
{
	cr_assert(parse(ARGS("cmd"), ENV("INITD_SUCCESS_EXIT=143,TERM")), "%s", msg);
	cr_expect(CODE_SET(cfg, 143));
	cr_expect(SIGNAL_SET(cfg, SIGTERM));
	cr_assert(parse(ARGS("--success-exit=3", "cmd"), ENV("INITD_SUCCESS_EXIT=143,TERM")), "%s", msg);
	cr_expect(CODE_SET(cfg, 3));
	cr_expect_not(CODE_SET(cfg, 143), "the flag replaces the variable's list");
	cr_expect_eq(cfg.success.signals, 0u);
	cr_expect_eq(cfg.nsuccess, 1u);
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_SUCCESS_EXIT=143,nope")));
	expect_error(OPT_BAD_SUCCESS_EXIT, ARGS("INITD_SUCCESS_EXIT", "'nope'"));
	cr_assert(parse(ARGS("--success-exit=1", "cmd"), ENV("INITD_SUCCESS_EXIT=143,nope")), "a flag hides a bad variable: %s",
		  msg);
	cr_assert_not(parse(ARGS("status", "--success-exit=1"), NOENV), "run only");
	expect_error(OPT_UNKNOWN_OPTION, ARGS("--success-exit"));
}

Test(options, rewrite_repeatable)
{
	cr_assert(parse(ARGS("--rewrite=TERM:QUIT", "--rewrite", "SIGHUP:usr1", "--rewrite=2:3", "cmd"), NOENV),
		  "%s", msg);
	cr_expect_eq(cfg.rewrite[SIGTERM], SIGQUIT);
	cr_expect_eq(cfg.rewrite[SIGHUP], SIGUSR1);
	cr_expect_eq(cfg.rewrite[SIGINT], SIGQUIT);
	cr_expect_eq(cfg.rewrite[SIGUSR2], 0);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGQUIT);
	cr_expect_eq(options_rewritten(&cfg, SIGHUP), SIGUSR1);
	cr_expect_eq(options_rewritten(&cfg, SIGUSR2), SIGUSR2);
	cr_expect_eq(options_rewritten(&cfg, SIGWINCH), SIGWINCH);
	expect_command(ARGS("cmd"));
}

Test(options, rewrite_last_one_wins_and_realtime)
{
	cr_assert(parse(ARGS("--rewrite=TERM:QUIT", "--rewrite=TERM:INT", "--rewrite=RTMIN+1:HUP", "cmd"), NOENV),
		  "%s", msg);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGINT);
	cr_expect_eq(options_rewritten(&cfg, SIGRTMIN + 1), SIGHUP);
	cr_expect_eq(options_rewritten(&cfg, SIGRTMIN), SIGRTMIN);
}

Test(options, rewrite_to_kill_is_allowed)
{
	cr_assert(parse(ARGS("--rewrite=TERM:KILL", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGKILL);
}

Test(options, rewrite_from_kill_or_stop_rejected)
{
	static const char *const bad[] = { "--rewrite=KILL:TERM", "--rewrite=SIGKILL:TERM", "--rewrite=9:15",
					   "--rewrite=kill:term", "--rewrite=STOP:TERM", "--rewrite=SIGSTOP:CONT",
					   "--rewrite=19:15" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_BAD_REWRITE, ARGS("--rewrite"));
	}
}

Test(options, rewrite_malformed)
{
	static const char *const bad[] = { "--rewrite=TERM", "--rewrite=TERM:", "--rewrite=:QUIT",
					   "--rewrite=TERM:FOO", "--rewrite=FOO:TERM", "--rewrite=TERM:0",
					   "--rewrite=0:TERM", "--rewrite=", "--rewrite=TERM:QUIT:HUP",
					   "--rewrite=TERM:QUIT,HUP:USR1", "--rewrite=TERM-QUIT",
					   "--rewrite=65:TERM" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_BAD_REWRITE, ARGS("--rewrite"));
	}
	cr_assert_not(parse(ARGS("--rewrite", "TERM", "cmd"), NOENV));
	expect_error(OPT_BAD_REWRITE, ARGS("--rewrite", "'TERM'"));
}

Test(options, rewritten_outside_table)
{
	cr_assert(parse(ARGS("cmd"), NOENV), "%s", msg);
	cr_expect_eq(options_rewritten(&cfg, 0), 0);
	cr_expect_eq(options_rewritten(&cfg, 65), 65);
	cr_expect_eq(options_rewritten(&cfg, -1), -1);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGTERM);
}

Test(options, group_flag)
{
	cr_assert(parse(ARGS("-g", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_assert(parse(ARGS("--group", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	expect_command(ARGS("cmd"));
	cr_assert_not(parse(ARGS("--group=1", "cmd"), NOENV));
	expect_error(OPT_UNEXPECTED_VALUE, ARGS("--group", "'1'"));
}

Test(options, user)
{
	cr_assert(parse(ARGS("-u", "nobody", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.user, "nobody");
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("--user=1000:1000", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.user, "1000:1000");
	cr_assert(parse(ARGS("-uwww-data:adm", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.user, "www-data:adm");
	cr_assert(parse(ARGS("--user", "nginx", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.user, "nginx");
}

Test(options, user_bad)
{
	static const char *const bad[] = { "--user=", "--user=a:b:c", "--user=:grp", "--user=usr:",
					   "--user=a b", "--user=:" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_BAD_USER, ARGS("--user"));
	}
	cr_assert_not(parse(ARGS("-u", "x:y:z", "cmd"), NOENV));
	expect_error(OPT_BAD_USER, ARGS("-u", "'x:y:z'"));
}

Test(options, caps)
{
	cr_assert(parse(ARGS("--caps=net_bind_service,CAP_CHOWN", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.caps_given);
	cr_expect_eq(cfg.caps, (UINT64_C(1) << 10) | (UINT64_C(1) << 0));
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("--caps", "none", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.caps_given, "--caps=none is a choice, not the default");
	cr_expect_eq(cfg.caps, UINT64_C(0));
	expect_command(ARGS("cmd"));
}

Test(options, caps_unknown_names_the_capability)
{
	cr_assert_not(parse(ARGS("--caps=net_bind_service,cap_fly", "cmd"), NOENV));
	expect_error(OPT_BAD_CAPS, ARGS("--caps", "cap_fly"));
	cr_expect_str_eq(err.value, "cap_fly", "the bad item only");
	cr_assert_not(parse(ARGS("--caps=", "cmd"), NOENV));
	expect_error(OPT_BAD_CAPS, ARGS("--caps"));
	cr_assert_not(parse(ARGS("--caps=chown,", "cmd"), NOENV));
	expect_error(OPT_BAD_CAPS, ARGS("--caps"));
}

Test(options, pre_repeatable_in_order)
{
	cr_assert(parse(ARGS("--pre=/setup/a", "--pre", "/setup/b", "--pre=/setup/c", "cmd"), NOENV), "%s", msg);
	cr_assert_eq(cfg.npre, 3u);
	cr_expect_str_eq(cfg.pre[0], "/setup/a");
	cr_expect_str_eq(cfg.pre[1], "/setup/b");
	cr_expect_str_eq(cfg.pre[2], "/setup/c");
	expect_command(ARGS("cmd"));
}

Test(options, pre_at_most_16)
{
	const char *args[MAX_ITEMS];
	char texts[20][32];
	size_t n = 0;

	for (int i = 0; i < 16; i++) {
		snprintf(texts[i], sizeof texts[i], "--pre=/p%d", i);
		args[n++] = texts[i];
	}
	args[n++] = "cmd";
	args[n] = NULL;
	cr_assert(parse(args, NOENV), "%s", msg);
	cr_assert_eq(cfg.npre, 16u);
	cr_expect_str_eq(cfg.pre[0], "/p0");
	cr_expect_str_eq(cfg.pre[15], "/p15");

	snprintf(texts[16], sizeof texts[16], "--pre=/p16");
	args[16] = texts[16];
	args[17] = "cmd";
	args[18] = NULL;
	cr_assert_not(parse(args, NOENV));
	expect_error(OPT_TOO_MANY_PRE, ARGS("--pre", "16"));
}

Test(options, pre_empty_path)
{
	cr_assert_not(parse(ARGS("--pre=", "cmd"), NOENV));
	expect_error(OPT_BAD_PATH, ARGS("--pre"));
}

Test(options, status_file)
{
	cr_assert(parse(ARGS("--status-file=/tmp/s", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.status_file, "/tmp/s");
	cr_assert(parse(ARGS("--status-file", "/var/run/x", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.status_file, "/var/run/x");
	expect_command(ARGS("cmd"));
	cr_assert_not(parse(ARGS("--status-file=", "cmd"), NOENV));
	expect_error(OPT_BAD_PATH, ARGS("--status-file"));
}

Test(options, verbose_and_quiet)
{
	cr_assert(parse(ARGS("-v", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, 1);
	cr_assert(parse(ARGS("-vv", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, 2);
	cr_assert(parse(ARGS("--verbose", "-v", "--verbose", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, 3);
	cr_assert(parse(ARGS("-vvvvvv", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_MAX);
	cr_assert(parse(ARGS("-q", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_QUIET);
	cr_assert(parse(ARGS("--quiet", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_QUIET);
	expect_command(ARGS("cmd"));
	cr_assert_not(parse(ARGS("--verbose=2", "cmd"), NOENV));
	expect_error(OPT_UNEXPECTED_VALUE, ARGS("--verbose"));
	cr_assert_not(parse(ARGS("--quiet=yes", "cmd"), NOENV));
	expect_error(OPT_UNEXPECTED_VALUE, ARGS("--quiet"));
}

Test(options, help_and_version)
{
	cr_assert(parse(ARGS("-h"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_HELP);
	cr_assert(parse(ARGS("--help"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_HELP);
	cr_assert(parse(ARGS("-V"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_VERSION);
	cr_assert(parse(ARGS("--version"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_VERSION);
	cr_assert(parse(ARGS("-g", "--help", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_HELP);
	cr_assert_not(parse(ARGS("--help=x"), NOENV));
	expect_error(OPT_UNEXPECTED_VALUE, ARGS("--help"));
}

Test(options, help_needs_no_valid_environment_for_status)
{
	cr_assert(parse(ARGS("status", "--help"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_HELP);
}

/* --- bundling ------------------------------------------------------------------ */

Test(options, bundled_flags)
{
	cr_assert(parse(ARGS("-gv", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.verbosity, 1);
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("-vgv", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.verbosity, 2);
}

Test(options, bundled_flags_then_value)
{
	cr_assert(parse(ARGS("-gt5s", "cmd"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.grace_ms, 5000);
	expect_command(ARGS("cmd"));
	cr_assert(parse(ARGS("-gvt", "2s", "cmd", "-t", "1s"), NOENV), "%s", msg);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.verbosity, 1);
	cr_expect_eq(cfg.grace_ms, 2000);
	expect_command(ARGS("cmd", "-t", "1s"));
	/* Everything after the value letter is the value, even letters of flags. */
	cr_assert(parse(ARGS("-ualice", "cmd"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.user, "alice");
	cr_expect_not(cfg.group);
	cr_assert(parse(ARGS("-ralways", "-g", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.restart, RESTART_ALWAYS);
	cr_expect(cfg.group);
}

Test(options, bundled_unknown_letter)
{
	cr_assert_not(parse(ARGS("-gx", "cmd"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("-x"));
}

/* --- usage errors ---------------------------------------------------------------- */

Test(options, unknown_options)
{
	static const char *const bad[] = { "--bogus", "--gr=5s", "--grace5s", "--GRACE=5s", "-x", "-G",
					   "--restarts=always", "--min-uptime=1s" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS(bad[i], "cmd"), NOENV), "%s accepted", bad[i]);
		expect_error(OPT_UNKNOWN_OPTION, NULL);
	}
	cr_assert_not(parse(ARGS("--bogus", "cmd"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("'--bogus'"));
	cr_assert_not(parse(ARGS("-x", "cmd"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("'-x'"));
}

Test(options, missing_values)
{
	static const struct {
		const char *arg, *subject;
	} cases[] = {
		{ "-t", "-t" },        { "--grace", "--grace" }, { "-r", "-r" },
		{ "--restart", "--restart" }, { "-u", "-u" },    { "--user", "--user" },
		{ "--caps", "--caps" }, { "--pre", "--pre" },   { "--rewrite", "--rewrite" },
		{ "--stop-signal", "--stop-signal" }, { "--max-restarts", "--max-restarts" },
		{ "--backoff-min", "--backoff-min" }, { "--backoff-max", "--backoff-max" },
		{ "--stable", "--stable" }, { "--status-file", "--status-file" }, { "-gt", "-t" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_expect_not(parse(ARGS(cases[i].arg), NOENV), "%s accepted", cases[i].arg);
		expect_error(OPT_MISSING_VALUE, ARGS(cases[i].subject));
	}
}

Test(options, backoff_min_above_max_rejected)
{
	cr_assert_not(parse(ARGS("--backoff-min=1m", "--backoff-max=30s", "cmd"), NOENV));
	expect_error(OPT_BACKOFF_RANGE, ARGS("--backoff-min", "--backoff-max"));
	/* The default min (250ms) is above this max. */
	cr_assert_not(parse(ARGS("--backoff-max=100ms", "cmd"), NOENV));
	expect_error(OPT_BACKOFF_RANGE, ARGS("--backoff-min", "--backoff-max"));
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_BACKOFF_MIN=2s", "INITD_BACKOFF_MAX=1s")));
	expect_error(OPT_BACKOFF_RANGE, ARGS("--backoff-min", "--backoff-max"));
}

Test(options, backoff_min_equal_max_or_zero_accepted)
{
	cr_assert(parse(ARGS("--backoff-min=1s", "--backoff-max=1000ms", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.backoff_min_ms, 1000);
	cr_expect_eq(cfg.backoff_max_ms, 1000);
	cr_assert(parse(ARGS("--backoff-min=0", "--backoff-max=0", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.backoff_min_ms, 0);
	cr_assert(parse(ARGS("--backoff-min=0", "cmd"), NOENV), "%s", msg);
	cr_expect_eq(cfg.backoff_min_ms, 0);
	cr_expect_eq(cfg.backoff_max_ms, 30000);
}

/* Every problem code has a one-line message with its subject and the hint. */
Test(options, every_problem_has_a_message)
{
	for (int p = OPT_UNKNOWN_OPTION; p <= OPT_UNEXPECTED_ARGUMENT; p++) {
		memset(&err, 0, sizeof err);
		err.problem = (enum options_problem)p;
		snprintf(err.subject, sizeof err.subject, "--subj");
		snprintf(err.value, sizeof err.value, "valu");
		options_error_message(&err, msg, sizeof msg);
		size_t len = strlen(msg);
		cr_expect(len > 20 && strcmp(msg + len - 20, "; try 'initd --help'") == 0,
			  "problem %d: '%s'", p, msg);
		cr_expect_null(strchr(msg, '\n'), "problem %d: '%s'", p, msg);
	}
}

Test(options, error_message_truncates_safely)
{
	char small[16];

	err.problem = OPT_BAD_DURATION;
	snprintf(err.subject, sizeof err.subject, "--grace");
	snprintf(err.value, sizeof err.value, "soon");
	options_error_message(&err, small, sizeof small);
	cr_assert_eq(strlen(small), sizeof small - 1);
	cr_assert_eq(strncmp(small, "--grace: bad du", 15), 0, "got '%s'", small);
}

Test(options, long_bad_value_is_truncated_in_error)
{
	char long_value[200];
	char arg[220];

	memset(long_value, 'z', sizeof long_value - 1);
	long_value[sizeof long_value - 1] = '\0';
	snprintf(arg, sizeof arg, "--grace=%s", long_value);
	cr_assert_not(parse(ARGS(arg, "cmd"), NOENV));
	cr_expect_eq(err.problem, OPT_BAD_DURATION);
	cr_expect_lt(strlen(err.value), sizeof err.value);
	cr_expect_str_eq(err.subject, "--grace");
}

/* --- status and health ----------------------------------------------------------- */

Test(options, status_subcommand)
{
	cr_assert(parse(ARGS("status"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_STATUS);
	cr_expect_str_eq(cfg.status_file, "/run/initd.status");
	cr_assert(parse(ARGS("status", "--status-file=/tmp/a"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_STATUS);
	cr_expect_str_eq(cfg.status_file, "/tmp/a");
	cr_assert(parse(ARGS("status", "--status-file", "/tmp/b"), NOENV), "%s", msg);
	cr_expect_str_eq(cfg.status_file, "/tmp/b");
	cr_assert(parse(ARGS("status"), ENV("INITD_STATUS_FILE=/tmp/env")), "%s", msg);
	cr_expect_str_eq(cfg.status_file, "/tmp/env");
}

Test(options, status_rejects_extra_and_run_options)
{
	cr_assert_not(parse(ARGS("status", "extra"), NOENV));
	expect_error(OPT_UNEXPECTED_ARGUMENT, ARGS("'extra'"));
	cr_assert_not(parse(ARGS("status", "--grace=1s"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("--grace"));
	cr_assert_not(parse(ARGS("status", "--min-uptime=1s"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("--min-uptime"));
	cr_assert_not(parse(ARGS("status", "-g"), NOENV));
	expect_error(OPT_UNKNOWN_OPTION, ARGS("-g"));
}

Test(options, health_subcommand)
{
	cr_assert(parse(ARGS("health"), NOENV), "%s", msg);
	cr_expect_eq(cfg.mode, MODE_HEALTH);
	cr_expect_eq(cfg.min_uptime_ms, 0);
	cr_expect_str_eq(cfg.status_file, "/run/initd.status");
	cr_assert(parse(ARGS("health", "--min-uptime=5s", "--status-file=/tmp/h"), NOENV), "%s", msg);
	cr_expect_eq(cfg.min_uptime_ms, 5000);
	cr_expect_str_eq(cfg.status_file, "/tmp/h");
	cr_assert(parse(ARGS("health", "--min-uptime", "250ms"), NOENV), "%s", msg);
	cr_expect_eq(cfg.min_uptime_ms, 250);
	cr_assert(parse(ARGS("health"), ENV("INITD_MIN_UPTIME=1m", "INITD_STATUS_FILE=/e")), "%s", msg);
	cr_expect_eq(cfg.min_uptime_ms, 60000);
	cr_expect_str_eq(cfg.status_file, "/e");
	cr_assert(parse(ARGS("health", "--min-uptime=2s"), ENV("INITD_MIN_UPTIME=1m")), "%s", msg);
	cr_expect_eq(cfg.min_uptime_ms, 2000);
}

Test(options, health_errors)
{
	cr_assert_not(parse(ARGS("health", "--min-uptime=soon"), NOENV));
	expect_error(OPT_BAD_DURATION, ARGS("--min-uptime", "'soon'"));
	cr_assert_not(parse(ARGS("health"), ENV("INITD_MIN_UPTIME=soon")));
	expect_error(OPT_BAD_DURATION, ARGS("INITD_MIN_UPTIME", "'soon'"));
	cr_assert_not(parse(ARGS("health", "now"), NOENV));
	expect_error(OPT_UNEXPECTED_ARGUMENT, ARGS("'now'"));
	cr_assert_not(parse(ARGS("health", "--min-uptime"), NOENV));
	expect_error(OPT_MISSING_VALUE, ARGS("--min-uptime"));
}

/* --- environment ---------------------------------------------------------------- */

Test(options, environment_sets_every_option)
{
	cr_assert(parse(ARGS("cmd"), ENV("INITD_RESTART=always", "INITD_MAX_RESTARTS=4", "INITD_BACKOFF_MIN=100ms",
					 "INITD_BACKOFF_MAX=5s", "INITD_STABLE=1m", "INITD_GRACE=3s",
					 "INITD_STOP_SIGNAL=QUIT", "INITD_REWRITE=TERM:QUIT,HUP:USR1",
					 "INITD_GROUP=yes", "INITD_USER=nobody:nogroup", "INITD_CAPS=chown,kill",
					 "INITD_PRE=/a:/b:/c", "INITD_STATUS_FILE=/tmp/s", "INITD_VERBOSE=2")),
		  "%s", msg);
	cr_expect_eq(cfg.restart, RESTART_ALWAYS);
	cr_expect_eq(cfg.max_restarts, 4u);
	cr_expect_eq(cfg.backoff_min_ms, 100);
	cr_expect_eq(cfg.backoff_max_ms, 5000);
	cr_expect_eq(cfg.stable_ms, 60000);
	cr_expect_eq(cfg.grace_ms, 3000);
	cr_expect_eq(cfg.stop_signal, SIGQUIT);
	cr_expect_eq(cfg.rewrite[SIGTERM], SIGQUIT);
	cr_expect_eq(cfg.rewrite[SIGHUP], SIGUSR1);
	cr_expect(cfg.group);
	cr_expect_str_eq(cfg.user, "nobody:nogroup");
	cr_expect(cfg.caps_given);
	cr_expect_eq(cfg.caps, (UINT64_C(1) << 0) | (UINT64_C(1) << 5));
	cr_assert_eq(cfg.npre, 3u);
	cr_expect_str_eq(cfg.pre[0], "/a");
	cr_expect_str_eq(cfg.pre[1], "/b");
	cr_expect_str_eq(cfg.pre[2], "/c");
	cr_expect_str_eq(cfg.status_file, "/tmp/s");
	cr_expect_eq(cfg.verbosity, 2);
	expect_command(ARGS("cmd"));
}

Test(options, environment_quiet)
{
	cr_assert(parse(ARGS("cmd"), ENV("INITD_QUIET=true")), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_QUIET);
	cr_assert(parse(ARGS("cmd"), ENV("INITD_QUIET=0")), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_DEFAULT);
	cr_assert(parse(ARGS("cmd"), ENV("INITD_QUIET=1", "INITD_VERBOSE=3")), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_QUIET, "quiet is errors only");
}

Test(options, environment_booleans)
{
	static const char *const yes[] = { "INITD_GROUP=1", "INITD_GROUP=yes", "INITD_GROUP=true", "INITD_GROUP=TRUE" };
	static const char *const no[] = { "INITD_GROUP=0", "INITD_GROUP=no", "INITD_GROUP=false" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		cr_expect(parse(ARGS("cmd"), ENV(yes[i])), "%s: %s", yes[i], msg);
		cr_expect(cfg.group, "%s", yes[i]);
	}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		cr_expect(parse(ARGS("cmd"), ENV(no[i])), "%s: %s", no[i], msg);
		cr_expect_not(cfg.group, "%s", no[i]);
	}
}

Test(options, environment_verbose_levels)
{
	static const char *const levels[] = { "INITD_VERBOSE=0", "INITD_VERBOSE=1", "INITD_VERBOSE=2",
					      "INITD_VERBOSE=3" };

	for (int i = 0; i < 4; i++) {
		cr_expect(parse(ARGS("cmd"), ENV(levels[i])), "%s: %s", levels[i], msg);
		cr_expect_eq(cfg.verbosity, i, "%s", levels[i]);
	}
}

Test(options, environment_errors_name_the_variable)
{
	static const struct {
		const char *env;
		enum options_problem problem;
		const char *variable, *value;
	} cases[] = {
		{ "INITD_RESTART=sometimes", OPT_BAD_POLICY, "INITD_RESTART", "'sometimes'" },
		{ "INITD_MAX_RESTARTS=-2", OPT_BAD_NUMBER, "INITD_MAX_RESTARTS", "'-2'" },
		{ "INITD_BACKOFF_MIN=1x", OPT_BAD_DURATION, "INITD_BACKOFF_MIN", "'1x'" },
		{ "INITD_BACKOFF_MAX=2d", OPT_BAD_DURATION, "INITD_BACKOFF_MAX", "'2d'" },
		{ "INITD_STABLE=1.", OPT_BAD_DURATION, "INITD_STABLE", "'1.'" },
		{ "INITD_GRACE=soon", OPT_BAD_DURATION, "INITD_GRACE", "'soon'" },
		{ "INITD_STOP_SIGNAL=NOPE", OPT_BAD_SIGNAL, "INITD_STOP_SIGNAL", "'NOPE'" },
		{ "INITD_REWRITE=TERM:QUIT,KILL:TERM", OPT_BAD_REWRITE, "INITD_REWRITE", "KILL:TERM" },
		{ "INITD_GROUP=maybe", OPT_BAD_BOOL, "INITD_GROUP", "'maybe'" },
		{ "INITD_USER=a:b:c", OPT_BAD_USER, "INITD_USER", "'a:b:c'" },
		{ "INITD_CAPS=chown,fly", OPT_BAD_CAPS, "INITD_CAPS", "'fly'" },
		{ "INITD_PRE=/a::/b", OPT_BAD_PATH, "INITD_PRE", NULL },
		{ "INITD_QUIET=2", OPT_BAD_BOOL, "INITD_QUIET", "'2'" },
		{ "INITD_VERBOSE=x", OPT_BAD_NUMBER, "INITD_VERBOSE", "'x'" },
		{ "INITD_VERBOSE=-1", OPT_BAD_NUMBER, "INITD_VERBOSE", "'-1'" },
		{ "INITD_STATUS_FILE=", OPT_OK, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = parse(ARGS("cmd"), ENV(cases[i].env));
		if (cases[i].problem == OPT_OK) {
			cr_expect(ok, "%s: %s", cases[i].env, msg);
			continue;
		}
		cr_expect_not(ok, "%s accepted", cases[i].env);
		expect_error(cases[i].problem, ARGS(cases[i].variable, cases[i].value));
		cr_expect_str_eq(err.subject, cases[i].variable, "%s", cases[i].env);
	}
}

/* INITD_VERBOSE is a level from 0 to 3. */
Test(options, environment_verbose_above_3_rejected)
{
	static const char *const bad[] = { "INITD_VERBOSE=4", "INITD_VERBOSE=9", "INITD_VERBOSE=10",
					   "INITD_VERBOSE=33" };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_expect_not(parse(ARGS("cmd"), ENV(bad[i])), "%s accepted (verbosity %d)", bad[i], cfg.verbosity);
		cr_expect_eq(err.problem, OPT_BAD_NUMBER, "%s", bad[i]);
	}
}

Test(options, empty_variable_is_unset)
{
	cr_assert(parse(ARGS("cmd"), ENV("INITD_GRACE=", "INITD_RESTART=", "INITD_PRE=", "INITD_USER=")), "%s", msg);
	expect_defaults_except_command();
}

Test(options, environment_pre_colon_list)
{
	static const char pre[] = "INITD_PRE=/x/one:/y/two";

	cr_assert(parse(ARGS("cmd"), ENV(pre)), "%s", msg);
	cr_assert_eq(cfg.npre, 2u);
	cr_expect_str_eq(cfg.pre[0], "/x/one");
	cr_expect_str_eq(cfg.pre[1], "/y/two");
	/* The environment itself is not cut into pieces. */
	cr_expect_str_eq(env_vec[0], pre);
	cr_assert(parse(ARGS("cmd"), ENV("INITD_PRE=/only")), "%s", msg);
	cr_assert_eq(cfg.npre, 1u);
	cr_expect_str_eq(cfg.pre[0], "/only");
}

Test(options, environment_pre_limits)
{
	char sixteen[300] = "INITD_PRE=", seventeen[400];

	for (int i = 0; i < 16; i++) {
		char item[16];
		snprintf(item, sizeof item, "%s/p%d", i ? ":" : "", i);
		strcat(sixteen, item);
	}
	snprintf(seventeen, sizeof seventeen, "%s:/p16", sixteen);
	cr_assert(parse(ARGS("cmd"), ENV(sixteen)), "%s", msg);
	cr_assert_eq(cfg.npre, 16u);
	cr_expect_str_eq(cfg.pre[15], "/p15");
	cr_assert_not(parse(ARGS("cmd"), ENV(seventeen)));
	expect_error(OPT_TOO_MANY_PRE, ARGS("INITD_PRE"));
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_PRE=/a:")));
	expect_error(OPT_BAD_PATH, ARGS("INITD_PRE"));
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_PRE=:/a")));
	expect_error(OPT_BAD_PATH, ARGS("INITD_PRE"));
}

Test(options, environment_pre_too_long_is_an_error_not_an_overflow)
{
	char big[1300];

	snprintf(big, sizeof big, "INITD_PRE=/");
	memset(big + 11, 'a', sizeof big - 12);
	big[sizeof big - 1] = '\0';
	cr_assert_not(parse(ARGS("cmd"), ENV(big)));
	cr_expect_neq(err.problem, OPT_OK);
	cr_expect_str_eq(err.subject, "INITD_PRE");
}

Test(options, environment_rewrite_comma_list)
{
	cr_assert(parse(ARGS("cmd"), ENV("INITD_REWRITE=TERM:QUIT,SIGINT:sigquit,HUP:USR2")), "%s", msg);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGQUIT);
	cr_expect_eq(options_rewritten(&cfg, SIGINT), SIGQUIT);
	cr_expect_eq(options_rewritten(&cfg, SIGHUP), SIGUSR2);
	cr_expect_eq(options_rewritten(&cfg, SIGUSR1), SIGUSR1);
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_REWRITE=STOP:TERM")));
	expect_error(OPT_BAD_REWRITE, ARGS("INITD_REWRITE"));
	cr_assert_not(parse(ARGS("cmd"), ENV("INITD_REWRITE=TERM:QUIT,,HUP:USR1")));
	expect_error(OPT_BAD_REWRITE, ARGS("INITD_REWRITE"));
}

Test(options, null_environment)
{
	cr_assert(parse(ARGS("cmd"), NOENV), "%s", msg);
	expect_defaults_except_command();
}

/* --- a flag wins over the variable -------------------------------------------- */

Test(options, flag_wins_over_variable_scalars)
{
	cr_assert(parse(ARGS("-r", "never", "--max-restarts=1", "--backoff-min=1s", "--backoff-max=2s", "--stable=3s",
			     "-t", "4s", "--stop-signal=INT", "--user=bob", "--caps=none", "--status-file=/flag", "cmd"),
			ENV("INITD_RESTART=always", "INITD_MAX_RESTARTS=9", "INITD_BACKOFF_MIN=10ms",
			    "INITD_BACKOFF_MAX=20s", "INITD_STABLE=30s", "INITD_GRACE=40s", "INITD_STOP_SIGNAL=QUIT",
			    "INITD_USER=alice", "INITD_CAPS=chown", "INITD_STATUS_FILE=/env")),
		  "%s", msg);
	cr_expect_eq(cfg.restart, RESTART_NEVER);
	cr_expect_eq(cfg.max_restarts, 1u);
	cr_expect_eq(cfg.backoff_min_ms, 1000);
	cr_expect_eq(cfg.backoff_max_ms, 2000);
	cr_expect_eq(cfg.stable_ms, 3000);
	cr_expect_eq(cfg.grace_ms, 4000);
	cr_expect_eq(cfg.stop_signal, SIGINT);
	cr_expect_str_eq(cfg.user, "bob");
	cr_expect(cfg.caps_given);
	cr_expect_eq(cfg.caps, UINT64_C(0));
	cr_expect_str_eq(cfg.status_file, "/flag");
}

Test(options, flag_wins_over_variable_pre_list)
{
	cr_assert(parse(ARGS("--pre=/flag", "cmd"), ENV("INITD_PRE=/env1:/env2")), "%s", msg);
	cr_assert_eq(cfg.npre, 1u);
	cr_expect_str_eq(cfg.pre[0], "/flag");
	cr_assert(parse(ARGS("--pre=/f1", "--pre", "/f2", "cmd"), ENV("INITD_PRE=/env1")), "%s", msg);
	cr_assert_eq(cfg.npre, 2u);
	cr_expect_str_eq(cfg.pre[0], "/f1");
	cr_expect_str_eq(cfg.pre[1], "/f2");
}

Test(options, flag_wins_over_variable_pre_list_limit)
{
	const char *args[MAX_ITEMS];
	char texts[16][32];
	size_t n = 0;

	/* 16 in the variable and 16 flags: the flags replace the list, so 16, not 32. */
	for (int i = 0; i < 16; i++) {
		snprintf(texts[i], sizeof texts[i], "--pre=/f%d", i);
		args[n++] = texts[i];
	}
	args[n++] = "cmd";
	args[n] = NULL;
	cr_assert(parse(args, ENV("INITD_PRE=/1:/2:/3:/4:/5:/6:/7:/8:/9:/10:/11:/12:/13:/14:/15:/16")), "%s", msg);
	cr_assert_eq(cfg.npre, 16u);
	cr_expect_str_eq(cfg.pre[0], "/f0");
	cr_expect_str_eq(cfg.pre[15], "/f15");
}

Test(options, flag_wins_over_variable_rewrite_list)
{
	cr_assert(parse(ARGS("--rewrite=HUP:USR1", "cmd"), ENV("INITD_REWRITE=TERM:QUIT,INT:QUIT")), "%s", msg);
	cr_expect_eq(options_rewritten(&cfg, SIGHUP), SIGUSR1);
	cr_expect_eq(options_rewritten(&cfg, SIGTERM), SIGTERM, "the variable's TERM:QUIT must be gone");
	cr_expect_eq(options_rewritten(&cfg, SIGINT), SIGINT, "the variable's INT:QUIT must be gone");
}

Test(options, flag_wins_over_variable_verbosity)
{
	cr_assert(parse(ARGS("-v", "cmd"), ENV("INITD_VERBOSE=3")), "%s", msg);
	cr_expect_eq(cfg.verbosity, 1);
	cr_assert(parse(ARGS("-v", "cmd"), ENV("INITD_QUIET=1")), "%s", msg);
	cr_expect_eq(cfg.verbosity, 1);
	cr_assert(parse(ARGS("-q", "cmd"), ENV("INITD_VERBOSE=2")), "%s", msg);
	cr_expect_eq(cfg.verbosity, VERBOSITY_QUIET);
	cr_assert(parse(ARGS("-vv", "cmd"), ENV("INITD_VERBOSE=1")), "%s", msg);
	cr_expect_eq(cfg.verbosity, 2);
}

Test(options, flag_wins_over_variable_group)
{
	cr_assert(parse(ARGS("-g", "cmd"), ENV("INITD_GROUP=no")), "%s", msg);
	cr_expect(cfg.group);
}

Test(options, variable_used_when_no_flag)
{
	cr_assert(parse(ARGS("-v", "cmd"), ENV("INITD_GRACE=2s", "INITD_PRE=/a")), "%s", msg);
	cr_expect_eq(cfg.grace_ms, 2000);
	cr_assert_eq(cfg.npre, 1u);
	cr_expect_str_eq(cfg.pre[0], "/a");
	cr_expect_eq(cfg.verbosity, 1);
}

/* Found by fuzz_options: --pre replaced INITD_PRE's list but left its later
 * entries pointing into the discarded copy. */
Test(options, pre_flag_leaves_nothing_of_the_variable_list)
{
	cr_assert(parse(ARGS("--pre", "/c", "cmd"), ENV("INITD_PRE=/a:/b")), "%s", msg);
	cr_assert_eq(cfg.npre, 1u);
	cr_expect_str_eq(cfg.pre[0], "/c");
	for (unsigned i = 1; i < MAX_PRE; i++)
		cr_expect_null(cfg.pre[i], "pre[%u] still set", i);
}
