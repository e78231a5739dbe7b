/* yielder: yield ARG times, then exit. */
#include <ulib.h>

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	for (unsigned long i = 0; i < arg; i++)
		yield();
	return 0;
}
