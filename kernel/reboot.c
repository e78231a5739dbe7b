/*
 * reboot(2). Linux stops everything and powers off, halts or restarts the
 * machine; pvmm records the command, kills every process (each exits at
 * its next return to user mode, its mm torn down by exit_mmap as in any
 * exit), and leaves ending the domain to the running scenario, which
 * reports what it saw (tests/pv-guest/init). The caller exits with 0.
 */
#include <xen/errno.h>
#include <linux/reboot.h>
#include <pvmm/process.h>
#include <pvmm/reboot.h>

static unsigned long request;

long sys_reboot(unsigned long magic1, unsigned long magic2, unsigned long cmd)
{
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 || (unsigned int)magic2 != LINUX_REBOOT_MAGIC2)
		return -XEN_EINVAL;
	cmd = (unsigned int)cmd;
	if (cmd != LINUX_REBOOT_CMD_POWER_OFF && cmd != LINUX_REBOOT_CMD_HALT &&
	    cmd != LINUX_REBOOT_CMD_RESTART)
		return -XEN_EINVAL;
	__atomic_store_n(&request, cmd, __ATOMIC_RELEASE);
	processes_kill_all();
	process_exit_group(EXIT_STATUS(0));
}

unsigned long reboot_request(void)
{
	return __atomic_load_n(&request, __ATOMIC_ACQUIRE);
}
