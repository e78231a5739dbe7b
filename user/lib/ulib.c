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

void exit_from_main(int status)
{
	exit(status);
}
