/* cpio "newc" reading (see <pvmm/cpio.h>). */
#include <pvmm/cpio.h>

#define HEADER_SIZE	110	/* "070701" and 13 fields of 8 hex digits */
#define TRAILER		"TRAILER!!!"

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Field @i (0: c_ino ... 12: c_check) of the header at @h; false if not hex. */
static bool field(const unsigned char *h, unsigned int i, unsigned long *out)
{
	unsigned long v = 0;

	for (unsigned int k = 0; k < 8; k++) {
		unsigned char c = h[6 + 8 * i + k];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v = v * 16 + ((c | 0x20) - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static bool is_trailer(const char *name, unsigned long namesize)
{
	const char *t = TRAILER;
	unsigned long i = 0;

	for (; t[i]; i++)
		if (i >= namesize || name[i] != t[i])
			return false;
	return i + 1 == namesize;
}

enum cpio_status cpio_next(const unsigned char *buf, size_t len, size_t *off,
			   struct cpio_entry *e, const char **why)
{
	for (;;) {
		const unsigned char *h;
		unsigned long mode, filesize, namesize;
		size_t name_at, data_at;

		/* Padding between archives: NULs, in 4-byte steps. */
		while (*off + 4 <= len && !buf[*off] && !buf[*off + 1] && !buf[*off + 2] && !buf[*off + 3])
			*off += 4;
		if (*off >= len || len - *off < 4)
			return CPIO_END;
		if (len - *off < HEADER_SIZE) {
			*why = "a header cut short";
			return CPIO_BAD;
		}
		h = buf + *off;
		if (h[0] != '0' || h[1] != '7' || h[2] != '0' || h[3] != '7' || h[4] != '0' || h[5] != '1') {
			*why = "no newc magic (070701): not a newc cpio archive, or a compressed one";
			return CPIO_BAD;
		}
		if (!field(h, 1, &mode) || !field(h, 6, &filesize) || !field(h, 11, &namesize)) {
			*why = "a header field that is not hexadecimal";
			return CPIO_BAD;
		}
		name_at = *off + HEADER_SIZE;
		if (!namesize || namesize > len - name_at || buf[name_at + namesize - 1]) {
			*why = "a name that does not end inside the archive";
			return CPIO_BAD;
		}
		data_at = align4(name_at + namesize);
		if (data_at > len || filesize > len - data_at) {
			*why = "file data that runs past the end of the archive";
			return CPIO_BAD;
		}
		*off = align4(data_at + filesize);
		if (*off > len)
			*off = len;
		if (is_trailer((const char *)buf + name_at, namesize))
			continue;	/* the end of one archive; another may follow */
		e->name = (const char *)buf + name_at;
		e->data = buf + data_at;
		e->size = filesize;
		e->mode = mode;
		return CPIO_ENTRY;
	}
}
