/* Hook points (see seam.h). */
#include "seam.h"

static mmu_hook_fn hooks[MMU_MAX_HOOKS];
unsigned int mmu_nr_hooks;

bool mmu_hook_add(mmu_hook_fn fn)
{
	unsigned int n = mmu_nr_hooks;

	if (n == MMU_MAX_HOOKS)
		return false;
	hooks[n] = fn;
	/* Published after the slot: a reader that sees the count sees the handler. */
	__atomic_store_n(&mmu_nr_hooks, n + 1, __ATOMIC_RELEASE);
	return true;
}

void mmu_hook_call(const struct mmu_hook_event *e)
{
	unsigned int n = __atomic_load_n(&mmu_nr_hooks, __ATOMIC_ACQUIRE);

	for (unsigned int i = 0; i < n; i++)
		hooks[i](e);
}
