/*
 * The initramfs: the ramdisk the domain builder loaded for the guest (xl's
 * ramdisk=, or an initial domain's second multiboot module), read as a
 * cpio "newc" archive. Its regular files are programs execve() can start
 * by their path (kernel/initramfs.c, docs/syscalls.md).
 */
#ifndef PVMM_INITRAMFS_H
#define PVMM_INITRAMFS_H

#include <pvmm/process.h>

/* Index the ramdisk, if there is one; a malformed archive ends the run with ERROR. */
void initramfs_init(void);
/* The regular file at absolute @path, as a program, or NULL. */
const struct user_program *initramfs_find(const char *path);
/* How many regular files the archive holds (0: no ramdisk). */
unsigned int initramfs_files(void);
/* The archive's file @i (0 to initramfs_files() - 1, one array), or NULL. */
const struct user_program *initramfs_file(unsigned int i);

#endif
