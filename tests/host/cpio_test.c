/*
 * Host-side unit test of lib/cpio.c, the newc reader the guest's initramfs
 * rests on: archives written here by hand, field by field, as the format
 * defines them, then read back; and the malformed ones it must refuse
 * with a reason instead of reading past the buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvmm/cpio.h>

static int failures;

#define CHECK(cond, ...) do {							\
	if (!(cond)) {								\
		printf("FAIL: %s:%d: ", __FILE__, __LINE__);			\
		printf(__VA_ARGS__);						\
		printf("\n");							\
		failures++;							\
	}									\
} while (0)

static size_t put(unsigned char *buf, size_t off, const char *name, unsigned int mode,
		  const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	off += sprintf((char *)buf + off, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
		       1u, mode, 0u, 0u, 1u, 0u, (unsigned long)size, 0u, 0u, 0u, 0u,
		       (unsigned long)namesize, 0u);
	memcpy(buf + off, name, namesize);
	off = (off + namesize + 3) & ~3UL;
	memcpy(buf + off, data, size);
	return (off + size + 3) & ~3UL;
}

static size_t archive(unsigned char *buf, size_t off)
{
	off = put(buf, off, ".", 040755, "", 0);
	off = put(buf, off, "./init", 0100755, "ELFDATA", 7);
	off = put(buf, off, "./bin", 040755, "", 0);
	off = put(buf, off, "./bin/hello", 0100755, "hi", 2);
	return put(buf, off, "TRAILER!!!", 0, "", 0);
}

static void test_reads_entries(void)
{
	unsigned char *buf = calloc(1, 4096);
	size_t len = archive(buf, 0), off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	const char *names[] = { ".", "./init", "./bin", "./bin/hello" };

	for (int i = 0; i < 4; i++) {
		CHECK(cpio_next(buf, len, &off, &e, &why) == CPIO_ENTRY, "entry %d not read", i);
		CHECK(!strcmp(e.name, names[i]), "entry %d is '%s', not '%s'", i, e.name, names[i]);
	}
	CHECK(e.size == 2 && !memcmp(e.data, "hi", 2), "./bin/hello's data");
	CHECK((e.mode & CPIO_TYPE_MASK) == CPIO_REGULAR, "./bin/hello is not a regular file");
	CHECK(cpio_next(buf, len, &off, &e, &why) == CPIO_END, "no end after the trailer");
	free(buf);
}

/* Archives one after the other, NUL padding between: the second one's files are read too. */
static void test_concatenated(void)
{
	unsigned char *buf = calloc(1, 8192);
	size_t len = archive(buf, 0), off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	int n = 0;

	len = (len + 511) & ~511UL;	/* zeros, as gzip's or the runner's padding leaves */
	len = archive(buf, len);
	while (cpio_next(buf, len, &off, &e, &why) == CPIO_ENTRY)
		n++;
	CHECK(n == 8, "%d entries read from two archives of 4", n);
	free(buf);
}

static void test_refuses(const char *what, void (*spoil)(unsigned char *, size_t *))
{
	unsigned char *buf = calloc(1, 4096);
	size_t len = archive(buf, 0), off = 0;
	struct cpio_entry e;
	const char *why = NULL;
	enum cpio_status st;

	spoil(buf, &len);
	while ((st = cpio_next(buf, len, &off, &e, &why)) == CPIO_ENTRY)
		CHECK(e.data + e.size <= buf + len, "%s: an entry reaches past the buffer", what);
	CHECK(st == CPIO_BAD && why, "%s: not refused", what);
	CHECK(off <= len, "%s: offset %zu past the length %zu", what, off, len);
	free(buf);
}

static void bad_magic(unsigned char *buf, size_t *len) { buf[5] = '2'; }	/* 070702: newc with CRC is not read */
static void cut_data(unsigned char *buf, size_t *len) { *len = 110 + 4 + 110 + 8 + 3; }
static void cut_header(unsigned char *buf, size_t *len) { *len = 50; }
static void bad_hex(unsigned char *buf, size_t *len) { buf[6 + 8 * 6] = 'x'; }
static void huge_size(unsigned char *buf, size_t *len) { memcpy(buf + 6 + 8 * 6, "FFFFFFFF", 8); }
static void no_nul(unsigned char *buf, size_t *len) { buf[110 + 1] = 'x'; }	/* "." then no NUL */

int main(void)
{
	test_reads_entries();
	test_concatenated();
	test_refuses("a wrong magic", bad_magic);
	test_refuses("file data cut short", cut_data);
	test_refuses("a header cut short", cut_header);
	test_refuses("a non-hex field", bad_hex);
	test_refuses("a file size past the end", huge_size);
	test_refuses("a name without its NUL", no_nul);
	printf("cpio_test: %s\n", failures ? "FAILED" : "all checks passed");
	return failures != 0;
}
