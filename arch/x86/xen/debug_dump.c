/*
 * VIRQ_DEBUG: Xen's 'q' debug key raises it on every vCPU of every domain.
 * Each vCPU answers with its state, so a guest that hangs can be asked
 * what it is doing: the runner presses 'q' before it gives up on a run.
 */
#include <asm/events.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <pvmm/sched.h>
#include <pvmm/lib.h>
#include <pv-mmu/tlb.h>

static void debug_dump(unsigned int port, struct cpu_regs *regs)
{
	struct percpu *p = this_cpu();
	const struct tlb_state *t = tlb_state_of(p->cpu_id);

	printk("debug: vcpu %u: ticks %lu, irq depth %u, ipis sent %lu received %lu, loaded_mm %p,"
	       " xen_mm %p%s\n", p->cpu_id, p->timer_ticks, p->irq_depth, p->ipis_sent,
	       p->ipis_received, t->loaded_mm, t->xen_mm, t->is_lazy ? " (lazy)" : "");
	printk("  interrupted at %lx (%s mode), waits: %u may sleep, %lu polls (%lu timed out),"
	       " %lu kicks sent\n", regs->rip, user_mode(regs) ? "user" : "kernel", p->sleep_nest,
	       p->sleeps, p->sleep_timeouts, p->kicks_sent);
	sched_dump_this_cpu();
}

void debug_dump_init(void)
{
	bind_virq(VIRQ_DEBUG, debug_dump);
}
