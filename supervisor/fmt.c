#include "supervisor/fmt.h"

#include <stdbool.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_number(struct out *o, unsigned long long value, bool negative, unsigned width, bool zero)
{
	char digits[24];
	unsigned n = 0;

	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	unsigned total = n + (negative ? 1 : 0);
	if (negative && zero)
		put(o, '-');
	for (; width > total; width--)
		put(o, zero ? '0' : ' ');
	if (negative && !zero)
		put(o, '-');
	while (n > 0)
		put(o, digits[--n]);
}

static void put_signed(struct out *o, long long v, unsigned width, bool zero)
{
	unsigned long long magnitude = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	put_number(o, magnitude, v < 0, width, zero);
}

size_t fmt_v(char *buf, size_t size, const char *format, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = format; *p != '\0'; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		bool zero = *p == '0';
		unsigned width = 0;
		int precision = -1;
		int longs = 0;
		for (; *p >= '0' && *p <= '9'; p++)
			width = width * 10 + (unsigned)(*p - '0');
		if (p[0] == '.' && p[1] == '*') {
			precision = va_arg(ap, int);
			p += 2;
		}
		for (; *p == 'l'; p++)
			longs++;
		switch (*p) {
		case 'd':
			put_signed(&o, longs == 2 ? va_arg(ap, long long) : longs == 1 ? va_arg(ap, long) : va_arg(ap, int),
				   width, zero);
			break;
		case 'u':
			put_number(&o,
				   longs == 2 ? va_arg(ap, unsigned long long)
				   : longs == 1 ? va_arg(ap, unsigned long)
						: va_arg(ap, unsigned),
				   false, width, zero);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			/* The precision first: %.*s may point at bytes with no terminator. */
			for (int i = 0; (precision < 0 || i < precision) && s[i] != '\0'; i++)
				put(&o, s[i]);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '%':
			put(&o, '%');
			break;
		default:
			/* Not a conversion this formatter knows: show it rather than guess. */
			put(&o, '%');
			if (*p == '\0')
				p--;
			else
				put(&o, *p);
			break;
		}
	}
	if (size > 0)
		buf[o.len] = '\0';
	return o.len;
}

size_t fmt(char *buf, size_t size, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	size_t n = fmt_v(buf, size, format, ap);
	va_end(ap);
	return n;
}
