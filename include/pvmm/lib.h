/* The freestanding C library of the guest. */
#ifndef PVMM_LIB_H
#define PVMM_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <pvmm/compiler.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/*
 * Parse an unsigned number (decimal, or hex with 0x) that must span the
 * whole string: true on success. No silent truncation or trailing junk.
 */
bool parse_ulong(const char *s, unsigned long *out);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Formatted output to the guest console (see arch/x86/xen/console.c). */
void vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
