#include <ulib.h>

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
	return n;
}

/* Returning from main ends the process, other threads included. */
void exit_from_main(int status)
{
	exit_group(status);
}
