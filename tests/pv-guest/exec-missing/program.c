/* exec-missing's process: exec of a program that does not exist fails cleanly, and the caller goes on. */
#include <ulib.h>

int main(unsigned long arg)
{
	long rc = exec("no-such-program", 0);

	printf("exec-missing: exec(\"no-such-program\") = %ld\n", rc);
	return rc == -XEN_ENOENT ? 0 : 1;
}
