/*
 * restore-stack's process: enters the kernel for ever, on vCPU 1 whenever
 * vCPU 1 is online (asking for it again each time round: it is moved away
 * while vCPU 1 is offline for the save), until the kernel kills it.
 */
#include <ulib.h>
#include "calls.h"

int main(int argc, char **argv)
{
	for (;;) {
		set_affinity_cpu(1);	/* -EINVAL while vCPU 1 is offline: it goes on where it is */
		test_call(RESTORE_STACK_ENTERED, 0);
	}
}
