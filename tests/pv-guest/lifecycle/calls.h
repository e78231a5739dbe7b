/* lifecycle: what its program tells the test (PVMM_SYS_test_call ops). */
#ifndef LIFECYCLE_CALLS_H
#define LIFECYCLE_CALLS_H

enum lifecycle_call {
	LIFECYCLE_LIFETIME = 1,		/* a child lived and was reaped */
};

#endif
