/* yielder: yield ARG times, then exit. */
#include <ulib.h>

int main(unsigned long arg)
{
	for (unsigned long i = 0; i < arg; i++)
		yield();
	return 0;
}
