/*
 * switch-race's process: load this mm on vCPU 1, go back to vCPU 0, then
 * wait in PVMM_SYS_test_call until the test lets it exit.
 */
#include <ulib.h>

int main(int argc, char **argv)
{
	volatile char *p = map_anon(4096, PROT_READ | PROT_WRITE);

	if ((long)p < 0 || set_affinity(2))
		return 1;
	p[0] = 1;
	if (set_affinity(1))
		return 2;
	return test_call(0, 0) ? 3 : 0;
}
