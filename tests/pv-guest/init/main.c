/*
 * init: the guest's first process comes from its initramfs, started the
 * way Linux starts one: the file rdinit= names (default /init), argv
 * {path}, no environment. A Linux init never exits (the kernel would
 * panic) and ends the system with reboot(2). So: SUCCESS when the process
 * tree ends through reboot(LINUX_REBOOT_CMD_POWER_OFF) with every page
 * back; FAILURE when init exits, is killed, or asks for another command;
 * ERROR when the guest has no ramdisk or the file is not in it.
 */
#include <linux/reboot.h>
#include <hypercall/hypercall.h>
#include <pvmm/initramfs.h>
#include <pvmm/process.h>
#include <pvmm/reboot.h>
#include "user_util.h"

static void init_run(void)
{
	const char *rdinit = "/init";
	unsigned long base = pages_in_use(), cmd;
	int pid, status, stopped;

	test_option("rdinit", &rdinit);
	if (!initramfs_files())
		test_error("no initramfs: boot the guest with a ramdisk (xl's ramdisk=, or a second multiboot module)");
	if (!initramfs_find(rdinit))
		test_error("rdinit=%s: no such file in the initramfs", rdinit);
	pid = process_spawn_init(rdinit, 0);
	if (pid < 0)
		test_error("cannot start %s: %s", rdinit, xen_errno_name(pid));
	status = process_wait_spawned(pid);
	stopped = processes_stop_all();	/* what init left running */
	cmd = reboot_request();
	check_pages_back(base, "the init's process tree");
	printk("init_exit=%d\nprocesses_left=%d\nreboot=0x%lx\n", status, stopped, cmd);
	test_print_counters();	/* what a traced run (the benchmark's) checks against Xen's count */
	test_check(cmd, "%s ended (status %d) without reboot(2): on Linux the kernel would panic",
		   rdinit, status);
	test_check(!cmd || cmd == LINUX_REBOOT_CMD_POWER_OFF,
		   "reboot(2) with command 0x%lx, not LINUX_REBOOT_CMD_POWER_OFF", cmd);
}

static const char *const init_options[] = { "rdinit", NULL };

REGISTER_TEST(init, "init",
	.description = "the initramfs's init runs and ends the system with reboot(2)",
	.options = init_options,
	.run = init_run,
);
