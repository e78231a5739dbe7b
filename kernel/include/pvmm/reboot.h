/* reboot(2): how a process ends the system, as a Linux init does (kernel/reboot.c). */
#ifndef PVMM_REBOOT_H
#define PVMM_REBOOT_H

long sys_reboot(unsigned long magic1, unsigned long magic2, unsigned long cmd);
/* The command of the last reboot(2) a process made (LINUX_REBOOT_CMD_*), 0 if none. */
unsigned long reboot_request(void);

#endif
