/*
 * The xenstore client: requests and their replies over the ring and event
 * channel that start_info names (<xen/io/xs_wire.h>), one request in
 * flight at a time; watches, whose events a kernel thread ("xenwatch")
 * hands to their callbacks; transactions.
 *
 * Every call blocks until xenstored answers, so it runs in task context,
 * never in an event handler. A call returns 0 (or a length) on success, or
 * the negative errno that xenstored named (-XEN_ENOENT for "ENOENT",
 * xen_errno_name() turns it back into the name). Paths without a leading
 * '/' are relative to the domain's own directory, /local/domain/<domid>.
 */
#ifndef PVMM_XENSTORE_H
#define PVMM_XENSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t xs_transaction_t;
#define XS_NO_TRANSACTION	0

/* Whether this domain has a store (a domU; the initial domain has none). */
bool xenstore_available(void);
/* Connect to the ring and start the xenwatch thread, on vCPU 0. */
void xenstore_init(void);

/* @path's value into @buf, NUL-terminated: its length, or -XEN_E2BIG if it does not fit. */
long xenstore_read(xs_transaction_t t, const char *path, char *buf, size_t size);
long xenstore_write(xs_transaction_t t, const char *path, const char *value);
long xenstore_rm(xs_transaction_t t, const char *path);
/* @path's children, each NUL-terminated, into @buf: how many, or an error. */
long xenstore_directory(xs_transaction_t t, const char *path, char *buf, size_t size);

long xenstore_transaction_start(xs_transaction_t *t);
/* Commit (or abort) @t: -XEN_EAGAIN if the store changed under it (start again). */
long xenstore_transaction_end(xs_transaction_t t, bool commit);

/*
 * Call @fn with the path that changed whenever @path or anything below it
 * changes, from the xenwatch thread (which may make xenstore calls).
 * xenstored fires every new watch once at once. 0, or an error.
 */
long xenstore_watch(const char *path, void (*fn)(const char *changed));

/*
 * Around a suspend: hold the request slot, so that no request is in
 * flight when the domain is saved; then let requests go again. After a
 * restore (@new_domain) the ring is reconnected on the new channel and
 * every watch is made again (each fires once; one that fails is reported
 * with xenstore_failed()).
 */
void xenstore_suspend(void);
void xenstore_resume(bool new_domain);

/* A store call that failed: a line naming the call, the path and the error; FAILURE. */
void xenstore_failed(const char *call, const char *path, long rc);

#endif
