#include "supervisor/signame.h"

#include <signal.h>
#include <string.h>

#include "supervisor/fmt.h"
#include "supervisor/strict.h"

struct signal_entry {
	unsigned char signo;
	char name[7];
};

/* The names printed, one per signal. */
static const struct signal_entry names[] = {
	{ SIGHUP, "HUP" },       { SIGINT, "INT" },       { SIGQUIT, "QUIT" },
	{ SIGILL, "ILL" },       { SIGTRAP, "TRAP" },     { SIGABRT, "ABRT" },
	{ SIGBUS, "BUS" },       { SIGFPE, "FPE" },       { SIGKILL, "KILL" },
	{ SIGUSR1, "USR1" },     { SIGSEGV, "SEGV" },     { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" },     { SIGALRM, "ALRM" },     { SIGTERM, "TERM" },
	{ SIGSTKFLT, "STKFLT" }, { SIGCHLD, "CHLD" },     { SIGCONT, "CONT" },
	{ SIGSTOP, "STOP" },     { SIGTSTP, "TSTP" },     { SIGTTIN, "TTIN" },
	{ SIGTTOU, "TTOU" },     { SIGURG, "URG" },       { SIGXCPU, "XCPU" },
	{ SIGXFSZ, "XFSZ" },     { SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" },
	{ SIGWINCH, "WINCH" },   { SIGIO, "IO" },         { SIGPWR, "PWR" },
	{ SIGSYS, "SYS" },
};

/* Read but never printed. */
static const struct signal_entry aliases[] = {
	{ SIGABRT, "IOT" }, { SIGCHLD, "CLD" }, { SIGIO, "POLL" },
};

#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

static int realtime_from_text(const char *text)
{
	unsigned long offset = 0;
	int base, sign;

	if (ascii_equal_nocase(text, "RTMIN"))
		return SIGRTMIN;
	if (ascii_equal_nocase(text, "RTMAX"))
		return SIGRTMAX;
	if (strlen(text) < 6)
		return -1;
	char head[6];
	memcpy(head, text, 5);
	head[5] = '\0';
	if (ascii_equal_nocase(head, "RTMIN") && text[5] == '+') {
		base = SIGRTMIN;
		sign = 1;
	} else if (ascii_equal_nocase(head, "RTMAX") && text[5] == '-') {
		base = SIGRTMAX;
		sign = -1;
	} else {
		return -1;
	}
	if (!parse_unsigned(text + 6, (unsigned long)(SIGRTMAX - SIGRTMIN), &offset))
		return -1;
	return base + sign * (int)offset;
}

int signal_from_text(const char *text)
{
	unsigned long number;

	if (text == NULL || *text == '\0')
		return -1;
	if (parse_unsigned(text, (unsigned long)SIGRTMAX, &number))
		return number == 0 ? -1 : (int)number;
	if (strlen(text) > 3 && (text[0] == 'S' || text[0] == 's') &&
	    (text[1] == 'I' || text[1] == 'i') && (text[2] == 'G' || text[2] == 'g'))
		text += 3;
	for (size_t i = 0; i < COUNT(names); i++)
		if (ascii_equal_nocase(text, names[i].name))
			return names[i].signo;
	for (size_t i = 0; i < COUNT(aliases); i++)
		if (ascii_equal_nocase(text, aliases[i].name))
			return aliases[i].signo;
	return realtime_from_text(text);
}

const char *signal_name(int signo, char *buf, unsigned long size)
{
	for (size_t i = 0; i < COUNT(names); i++)
		if (names[i].signo == signo)
			return names[i].name;
	if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
		if (signo - SIGRTMIN <= SIGRTMAX - signo)
			fmt(buf, size, "RTMIN+%d", signo - SIGRTMIN);
		else
			fmt(buf, size, "RTMAX-%d", SIGRTMAX - signo);
		return buf;
	}
	return NULL;
}
