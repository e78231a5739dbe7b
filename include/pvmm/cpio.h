/*
 * Reading a cpio "newc" archive (the format of Linux's initramfs): pure
 * logic on a byte buffer, built into the guest and into the host-side unit
 * test alike (lib/cpio.c).
 */
#ifndef PVMM_CPIO_H
#define PVMM_CPIO_H

#include <stddef.h>
#include <stdbool.h>

struct cpio_entry {
	const char *name;		/* NUL-terminated, inside the archive */
	const unsigned char *data;
	unsigned long size;
	unsigned int mode;		/* st_mode: type and permissions */
};

#define CPIO_TYPE_MASK	0170000
#define CPIO_REGULAR	0100000

enum cpio_status {
	CPIO_ENTRY,	/* *e is the next entry */
	CPIO_END,	/* the last archive's trailer, or only padding left */
	CPIO_BAD,	/* malformed at *off: *why says how */
};

/*
 * The entry at *@off of @buf (@len bytes), and *@off moved past it.
 * Archives may follow each other, with NUL padding between them, as the
 * kernel's initramfs allows: the trailer of one goes on to the next.
 */
enum cpio_status cpio_next(const unsigned char *buf, size_t len, size_t *off,
			   struct cpio_entry *e, const char **why);

#endif
