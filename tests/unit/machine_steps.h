#ifndef INITD_TEST_MACHINE_STEPS_H
#define INITD_TEST_MACHINE_STEPS_H
/* What the state machine's tests share: building actions, wait statuses, and
 * checking every field of the actions a step returned (a field added to
 * struct sv_actions is added here, once). Include after declaring the
 * `struct supervisor sv` the state macros read. */

#include <criterion/criterion.h>

#include "supervisor/machine.h"

#define ACT(...) ((struct sv_actions){ __VA_ARGS__ })
#define NONE ACT(.spawn = SPAWN_NOTHING)

static inline int exited(int code)
{
	return (code & 0xff) << 8;
}

static inline int killed_by(int signo)
{
	return signo & 0x7f;
}

#define expect_actions(got, want, step) check_actions((got), (want), (step), __LINE__)

static inline void check_actions(struct sv_actions got, struct sv_actions want, const char *step, int line)
{
	cr_expect_eq(got.spawn, want.spawn, "line %d, %s: spawn %d, want %d", line, step, got.spawn, want.spawn);
	cr_expect_eq(got.signal_child, want.signal_child, "line %d, %s: signal_child %d, want %d", line, step,
		     got.signal_child, want.signal_child);
	cr_expect_eq(got.signal_stale, want.signal_stale, "line %d, %s: signal_stale %d, want %d", line, step,
		     got.signal_stale, want.signal_stale);
	cr_expect_eq(got.signal_leftovers, want.signal_leftovers, "line %d, %s: signal_leftovers %d, want %d", line,
		     step, got.signal_leftovers, want.signal_leftovers);
	cr_expect_eq(got.kill_group, want.kill_group, "line %d, %s: kill_group %d, want %d", line, step,
		     (int)got.kill_group, (int)want.kill_group);
	cr_expect_eq(got.kill_all, want.kill_all, "line %d, %s: kill_all %d, want %d", line, step, got.kill_all,
		     want.kill_all);
	cr_expect_eq(got.exit_now, want.exit_now, "line %d, %s: exit_now %d, want %d", line, step, got.exit_now,
		     want.exit_now);
	cr_expect_eq(got.exit_code, want.exit_code, "line %d, %s: exit_code %d, want %d", line, step, got.exit_code,
		     want.exit_code);
	cr_expect_eq(got.restarting, want.restarting, "line %d, %s: restarting %d, want %d", line, step,
		     got.restarting, want.restarting);
	cr_expect_eq(got.restart_delay_ms, want.restart_delay_ms, "line %d, %s: restart_delay_ms %lld, want %lld",
		     line, step, (long long)got.restart_delay_ms, (long long)want.restart_delay_ms);
	cr_expect_eq(got.ran_ms, want.ran_ms, "line %d, %s: ran_ms %lld, want %lld", line, step,
		     (long long)got.ran_ms, (long long)want.ran_ms);
	cr_expect_eq(got.gave_up, want.gave_up, "line %d, %s: gave_up %d, want %d", line, step, got.gave_up,
		     want.gave_up);
	cr_expect_eq(got.survivors, want.survivors, "line %d, %s: survivors %d, want %d", line, step, got.survivors,
		     want.survivors);
	cr_expect_eq(got.spawn_probe, want.spawn_probe, "line %d, %s: spawn_probe %d, want %d", line, step,
		     got.spawn_probe, want.spawn_probe);
	cr_expect_eq(got.kill_probe, want.kill_probe, "line %d, %s: kill_probe %d, want %d", line, step,
		     (int)got.kill_probe, (int)want.kill_probe);
	cr_expect_eq(got.became_ready, want.became_ready, "line %d, %s: became_ready %d, want %d", line, step,
		     got.became_ready, want.became_ready);
	cr_expect_eq(got.hung, want.hung, "line %d, %s: hung %d, want %d", line, step, got.hung, want.hung);
	cr_expect_eq(got.notify_dropped, want.notify_dropped, "line %d, %s: notify_dropped %d, want %d", line, step,
		     got.notify_dropped, want.notify_dropped);
}

#define expect_state(want) \
	cr_expect_eq(sv.state, (want), "line %d: state %s, want %s", __LINE__, sv_state_name(sv.state), \
		     sv_state_name(want))

#endif
