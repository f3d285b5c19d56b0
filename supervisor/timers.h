#ifndef INITD_TIMERS_H
#define INITD_TIMERS_H
/* The loop's deadlines. Each event source that needs one owns a slot (today the
 * state machine's: a restart delay, a grace period); the wait's timeout is the
 * earliest armed slot, and the slot that comes due is handed back to its owner,
 * so a new source adds a slot here, not a second clock in init/run.c. */

#include <stdint.h>

enum timer_slot {
	TIMER_MACHINE, /* the supervisor's own deadline (supervisor/machine.h) */
	TIMER_OOM,     /* cgroup v1's OOM counter, looked at once a second */
	TIMER_SLOTS,   /* the count, and "none" where a slot is returned */
};

struct timers {
	int64_t at_ms[TIMER_SLOTS]; /* monotonic ms; negative: not armed */
};

/* Inline: with two slots the compiler folds each of these to a comparison or
 * two, and a call apiece would cost the static binary more than the answer. */

/* Every slot disarmed. */
static inline void timers_init(struct timers *t)
{
	for (int i = 0; i < TIMER_SLOTS; i++)
		t->at_ms[i] = -1;
}

/* Arms a slot for at_ms, or disarms it with a negative value. */
static inline void timers_set(struct timers *t, enum timer_slot slot, int64_t at_ms)
{
	t->at_ms[slot] = at_ms < 0 ? -1 : at_ms;
}

/* The armed slot with the earliest deadline, TIMER_SLOTS when none is armed. */
static inline enum timer_slot timers_earliest(const struct timers *t)
{
	enum timer_slot best = TIMER_SLOTS;

	for (int i = 0; i < TIMER_SLOTS; i++)
		if (t->at_ms[i] >= 0 && (best == TIMER_SLOTS || t->at_ms[i] < t->at_ms[best]))
			best = (enum timer_slot)i;
	return best;
}

/* The armed slot with the earliest deadline at or before now_ms, or
 * TIMER_SLOTS when none is due. */
static inline enum timer_slot timers_due(const struct timers *t, int64_t now_ms)
{
	enum timer_slot first = timers_earliest(t);

	return first != TIMER_SLOTS && t->at_ms[first] <= now_ms ? first : TIMER_SLOTS;
}

/* How long the loop may sleep: until the earliest armed deadline (0 when it has
 * passed), or -1 (for ever) when no slot is armed. */
static inline int64_t timers_wait_ms(const struct timers *t, int64_t now_ms)
{
	enum timer_slot first = timers_earliest(t);

	if (first == TIMER_SLOTS)
		return -1;
	return t->at_ms[first] > now_ms ? t->at_ms[first] - now_ms : 0;
}

#endif
