/*
 * init: the first process of an initramfs, the same file under pvmm and
 * under Linux. It shows how it was started, runs /bin/hello from the
 * archive in a child and waits for it, then ends the system with
 * reboot(LINUX_REBOOT_CMD_POWER_OFF), as a Linux init must.
 */
#include <ulib.h>
#include <linux/reboot.h>

int main(int argc, char **argv)
{
	int status = -1;
	long pid;

	printf("init: argc=%d argv[0]=%s\n", argc, argv[0]);
	pid = fork();
	if (pid == 0) {
		long rc = exec_program("/bin/hello", 7);

		printf("init: execve(/bin/hello) = %ld\n", rc);
		exit(127);
	}
	if (pid < 0 || waitpid(pid, &status) != pid)
		printf("init: fork or wait4 failed (%ld)\n", pid);
	else
		printf("init: /bin/hello exited with %d\n", exit_code(status));
	syscall6(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	printf("init: reboot(2) returned\n");
	return 1;
}
