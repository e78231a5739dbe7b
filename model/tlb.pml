/*
 * pvmm's switch / flush / lazy / teardown protocol, as the code in
 * xen/pv-mmu/ and arch/x86/xen/ does it: model/README.md maps every
 * process, variable and step here to its function, and lists the
 * variants (-D options) that model/check builds.
 *
 * One process per vCPU. At its idle point a vCPU has events unmasked and
 * an empty batch: a pending cross-vCPU call is taken there first (Xen
 * delivers an event as soon as it is unmasked); otherwise the vCPU picks
 * one action. An action runs with events masked from start to end (a
 * lazy-MMU section, a switch, a teardown), as in the code; each step that
 * another vCPU could see between is its own atomic step.
 */
#ifndef NCPU
#define NCPU	2
#endif
#ifndef MAXCHG
#define MAXCHG	2		/* PTE changes (each with its flush), all mms together */
#endif
#ifndef HOTPLUG
#define HOTPLUG	1		/* vCPU offline/online rounds */
#endif

#define NMM	3		/* init_mm (0) and two user mms */
#define INIT	0
#define NONE	255
#define ALIVE	0		/* tasks of the mm may run */
#define DYING	1		/* its last thread exited: nothing may load it again */
#define FREED	2
#define BIT(i)	(1 << (i))

/* Per vCPU: struct tlb_state (tlb.h), Xen's side, the task, the batch, the TLB. */
byte loaded[NCPU];	/* tlb_states[c].loaded_mm, as other vCPUs read it */
byte sb[NCPU];		/* x86-TSO: a store to loaded_mm still in c's store buffer (NO_BARRIER) */
byte xen_mm[NCPU];	/* tlb_states[c].xen_mm: written by cr3_issued() */
bool lazy[NCPU];	/* tlb_states[c].is_lazy */
byte cr3[NCPU];		/* Xen's guest_table for the vCPU: what its TLB fills from */
byte queued[NCPU];	/* a CR3 switch in c's multicall batch, not issued yet (NONE: none) */
byte running[NCPU];	/* the mm of the task running on c; 0: a kernel thread */
/*
 * c's TLB holds a translation of cr3[c]'s page: always, the worst case (a
 * fill right after a CR3 load or a flush reads the PTE as it is then).
 */
bool stale[NCPU];	/* Xen has changed that PTE since the translation was cached */
bool doomed[NCPU];	/* ...and the flush covering the change has returned */
/*
 * The same for fork's write-protect: the translation may be the writable one
 * cached before Xen made the parent's PTE read-only.
 */
bool wstale[NCPU];
bool wdoomed[NCPU];
byte dropreq[NCPU];	/* queued calls: drop_mm_if_loaded(mm) (bit mm), teardown waits */
byte leavereq[NCPU];	/* queued calls: leave_if_lazy(mm) (lazy=leave), nobody waits */
byte onl = BIT(NCPU) - 1;	/* cpu_online_mask */

/* Per mm. */
byte mmstate[NMM];
bool pinned[NMM];	/* mm->pinned: both user mms start pinned (their exec loaded them) */
bool locked[NMM];	/* mm->lock, held by a PTE change and its flush */
byte remaining[NMM];	/* the teardown's wait counter (smp_call_function_many(wait)) */
byte cpumask[NMM];	/* ACTIVE_MM: mm_cpumask */

byte changes;		/* PTE changes made so far */
byte hotplugs;

#ifdef INJECT_IGNORE_XEN_MM
#define TRUST_XEN_MM	false	/* drop_mm_everywhere(): trust_xen_mm */
#else
#define TRUST_XEN_MM	true
#endif

/* What c itself reads of its loaded_mm: its own buffered store first. */
#define OWN_LOADED(c)	(sb[c] != NONE -> sb[c] : loaded[c])
/* What vCPU d's loaded_mm reads as from vCPU c. */
#define LOADED_SEEN(c, d)	(d == c -> OWN_LOADED(c) : loaded[d])
#define TLB_FLUSH(c)	stale[c] = 0; doomed[c] = 0; wstale[c] = 0; wdoomed[c] = 0
#define PENDING(c)	(dropreq[c] | leavereq[c])

/* A property: printed when it fails, so that a trail names it. */
#define PROPERTY(cond, name) \
	if :: !(cond) -> printf(name) :: else -> skip fi; assert(cond)

#define P_STALE		"VIOLATED: no stale translation used after the flush covering it returned\n"
#define P_UNPIN		"VIOLATED: no unpin while a vCPU's Xen-side CR3 references the mm\n"
#define P_FREED		"VIOLATED: a freed mm is never loaded\n"
#define P_CR3		"VIOLATED: Xen's CR3 (and xen_mm) == loaded_mm whenever no batch is queued\n"
#define P_TASK		"VIOLATED: a task runs on its own mm's tables\n"
#define P_OFFLINE	"VIOLATED: an offline vCPU holds nothing but init_mm\n"
#define P_WRITE		"VIOLATED: no write through the parent's writable translation after fork's write-protect flush returned\n"
#define P_TABLE		"VIOLATED: a page table is freed only when no vCPU whose CR3 is the mm can walk through it\n"

/* The kinds of change_and_flush(). */
#define CHG_LEAF	1	/* a munmap chunk freeing a table, an mprotect chunk, a CoW break */
#define CHG_WP		2	/* fork: a chunk of the parent's PTEs write-protected */

/* An inject option that issues the change with no flush at all, not even this vCPU's. */
#if defined(INJECT_NO_COW_FLUSH)
#define NO_FLUSH_INJECTED
#define NO_FLUSH(k)	(k == CHG_LEAF)
#elif defined(INJECT_NO_FORK_FLUSH)
#define NO_FLUSH_INJECTED
#define NO_FLUSH(k)	(k == CHG_WP)
#else
#define NO_FLUSH(k)	false
#endif
/* The leaf change frees a page table after its flush (munmap), unless it stands for a CoW break. */
#ifdef INJECT_NO_COW_FLUSH
#define FREES_TABLE(k)	false
#define LEAF_BEGIN	"@%d CoW break in mm%d: lock; PTE swap to the copy queued\n"
#define LEAF_XEN	"@%d Xen: mm%d's PTE swapped to the copy\n"
#define LEAF_END	"@%d (no flush) mm%d's old page put; unlock\n"
#else
#define FREES_TABLE(k)	(k == CHG_LEAF)
#define LEAF_BEGIN	"@%d munmap in mm%d: lock; PTE change and table unlink queued\n"
#define LEAF_XEN	"@%d Xen: mm%d's PTE changed, its table unlinked\n"
#define LEAF_END	"@%d flush of mm%d returned; unlock\n"
#endif
#ifdef INJECT_NO_FORK_FLUSH
#define WP_END		"@%d (no flush) unlock mm%d; fork returns\n"
#else
#define WP_END		"@%d flush of mm%d returned; unlock; fork returns\n"
#endif

inline drain(c)
{
	if
	:: sb[c] != NONE -> loaded[c] = sb[c]; sb[c] = NONE
	:: else -> skip
	fi
}

/* load_mm() (tlb.c): publish loaded_mm = m; smp_mb(); pv_queue_cr3(m), mc_callback(cr3_issued). */
inline load_mm(c, m)
{
	atomic {
		assert(queued[c] == NONE);	/* one CR3 switch in a batch: never two */
#ifdef NO_BARRIER
		drain(c);			/* (a one-entry buffer: the older store goes first) */
		sb[c] = m;
		printf("@%d publish loaded_mm=mm%d (into the store buffer); queue CR3 switch\n", c, m);
#else
		loaded[c] = m;			/* and smp_mb(): seen before anything after it */
		printf("@%d publish loaded_mm=mm%d; smp_mb(); queue CR3 switch\n", c, m);
#endif
		queued[c] = m
	}
}

/* mmu_issue() of a batch holding a CR3 switch: Xen loads it, then cr3_issued() runs. */
inline issue_cr3(c)
{
	atomic {
#ifdef XEN_SERIALIZES
		drain(c);	/* a hypercall that drains the store buffer (mov to CR3 does) */
#endif
		PROPERTY(mmstate[queued[c]] != FREED, P_FREED);
		cr3[c] = queued[c];
		TLB_FLUSH(c);	/* a CR3 load flushes the TLB */
		printf("@%d Xen: CR3 = mm%d (TLB flushed, then filled from the PTE as it is)\n", c, cr3[c])
	}
	atomic {
		xen_mm[c] = queued[c];
		queued[c] = NONE;
		printf("@%d cr3_issued: xen_mm=mm%d\n", c, xen_mm[c])
	}
}

/* leave_mm() (tlb_loaded_mm.c; tlb_active_mm.c): load_init_mm_now(), issued at once. */
inline leave_mm(c)
{
	if
	:: OWN_LOADED(c) == INIT && xen_mm[c] == INIT -> skip
	:: else ->
#ifdef ACTIVE_MM
		atomic {	/* cpumask_clear_atomic(): a locked op */
			drain(c);
			cpumask[loaded[c]] = cpumask[loaded[c]] & ~BIT(c)
		}
#endif
		load_mm(c, INIT);
		issue_cr3(c)
	fi
}

/* switch_mm() (tlb_loaded_mm.c, tlb_active_mm.c) from arch_switch_to()'s load_task_context(). */
inline switch_to_task(c, m)
{
	atomic {
		mmstate[m] == ALIVE && !(running[c] == m && !lazy[c]) ->
		running[c] = m;
		lazy[c] = 0;
		printf("@%d switch to a task of mm%d\n", c, m);
		if
		:: OWN_LOADED(c) == m -> prev = NONE	/* same mm, maybe after a lazy spell */
		:: else ->
			prev = OWN_LOADED(c);
#ifndef ACTIVE_MM
			load_mm(c, m)	/* MMU_HOOK_SWITCH_QUEUED is after this */
#endif
		fi
	}
	if
	:: prev != NONE ->
#ifdef ACTIVE_MM
		atomic {
			drain(c);	/* cpumask_set_atomic(): a locked op */
			cpumask[m] = cpumask[m] | BIT(c)
		}
		load_mm(c, m);
#endif
#ifdef ACTIVE_MM
		atomic {
			drain(c);
			if
			:: prev != INIT -> cpumask[prev] = cpumask[prev] & ~BIT(c)
			:: else -> skip
			fi
		}
#endif
		issue_cr3(c)
	:: else -> skip
	fi
}

/*
 * flush_tlb_mm_range() with freed_tables (tlb.c, flush_targets()): a chunk that frees a table
 * also flushes the vCPUs whose xen_mm is the mm, as the teardown picks them: one whose switch
 * away is queued still has the mm as its CR3. The late re-read reads them again: a vCPU may
 * arrive after the first read and be on its way out again by the second (it left the mm, its
 * CR3 load queued), its TLB filled before the change (found by this model with one read only).
 * INJECT_TABLE_FREE_LOADED_ONLY
 * (inject=table-free-loaded-only) flushes the holders only.
 */
#ifndef INJECT_TABLE_FREE_LOADED_ONLY
#define HOLDS_BY_XEN_MM(dd)	(kind == CHG_LEAF && xen_mm[dd] == m)
#else
#define HOLDS_BY_XEN_MM(dd)	false
#endif

/* The holders of m as mm_holders() reads them: one vCPU at a time, into h. */
#define HOLDER_STEP(dd) \
	atomic { \
		if \
		:: (onl & BIT(dd)) && (LOADED_SEEN(c, dd) == m || HOLDS_BY_XEN_MM(dd)) -> h = h | BIT(dd) \
		:: else -> skip \
		fi \
	}
#if NCPU == 2
#define HOLDER_STEPS	HOLDER_STEP(0); HOLDER_STEP(1)
#elif NCPU == 3
#define HOLDER_STEPS	HOLDER_STEP(0); HOLDER_STEP(1); HOLDER_STEP(2)
#else
#define HOLDER_STEPS	HOLDER_STEP(0); HOLDER_STEP(1); HOLDER_STEP(2); HOLDER_STEP(3)
#endif

/* flush_targets() (tlb.c, both models): then, one vCPU at a time, those whose xen_mm is m. */
#define XEN_MM_STEP(dd) \
	atomic { \
		if \
		:: (onl & BIT(dd)) && HOLDS_BY_XEN_MM(dd) -> h = h | BIT(dd) \
		:: else -> skip \
		fi \
	}
#if NCPU == 2
#define XEN_MM_STEPS	XEN_MM_STEP(0); XEN_MM_STEP(1)
#elif NCPU == 3
#define XEN_MM_STEPS	XEN_MM_STEP(0); XEN_MM_STEP(1); XEN_MM_STEP(2)
#else
#define XEN_MM_STEPS	XEN_MM_STEP(0); XEN_MM_STEP(1); XEN_MM_STEP(2); XEN_MM_STEP(3)
#endif

inline read_holders(c, m, h)
{
#ifdef ACTIVE_MM
	h = cpumask[m] & onl;	/* cpumask_load(): one word */
	XEN_MM_STEPS
#else
	HOLDER_STEPS
#endif
}

/* Xen carries out a flush of the vCPUs in mask (INVLPG_MULTI / TLB_FLUSH_MULTI, INVLPG_LOCAL). */
inline xen_flush(mask)
{
	d = 0;
	do
	:: d < NCPU ->
		if
		:: mask & BIT(d) -> TLB_FLUSH(d)
		:: else -> skip
		fi;
		d++
	:: else -> break
	od;
	d = 0;
	printf("@%d Xen: flush vCPUs 0x%x\n", c, mask)
}

/*
 * free_tables() (range.c) of the table a munmap chunk unlinked. A vCPU whose CR3 is the mm
 * and whose TLB holds a translation cached before the unlink (stale) may still walk through
 * the table: the translation's paging-structure cache entries point at it. That includes a
 * vCPU that has published its switch away from the mm but whose CR3 load Xen has not carried
 * out yet: it runs only the rest of its switch, events masked, but a CPU may walk the tables
 * its CR3 points to at any time, speculatively too.
 */
/*
 * NO_TABLE_FREE: the chunks free no table (an mprotect chunk, a CoW break: range.c, mm.c), so
 * P_TABLE does not apply; with INJECT_TABLE_FREE_LOADED_ONLY's flush (the holders only, as
 * flush_tlb_mm_range() without freed_tables) P_STALE must still hold.
 */
inline free_table(c, m)
{
#ifdef NO_TABLE_FREE
	skip
#else
	printf("@%d free mm%d's page table\n", c, m);
	d = 0;
	do
	:: d < NCPU ->
		if
		:: cr3[d] == m && stale[d] ->
			printf("@%d (CR3 still mm%d, not flushed since the unlink: may walk through the freed table)\n", d, m)
		:: else -> skip
		fi;
		PROPERTY(!(cr3[d] == m && stale[d]), P_TABLE);
		d++
	:: else -> break
	od;
	d = 0
#endif
}

/*
 * A chunk of PTE changes and its flush, with the mm's lock held:
 *  CHG_LEAF: a munmap chunk (change_pte(), unlink_table(), finish_chunk() in range.c: leaves
 *	cleared, the table unlinked, then freed after the flush), an mprotect chunk (no table),
 *	or a CoW break (mm_break_cow(), mm.c: the PTE swapped to the copy, then the old page put);
 *  CHG_WP: fork's write-protect of the parent (share_page(), finish_wp_chunk() in mm.c).
 * The flush is flush_tlb_mm_range() (tlb.c). Xen applies the PTE change and the flush of the
 * holders in one step: a TLB filled between the two would be filled from the new PTE, and so
 * not stale.
 */
inline change_and_flush(c, m, k)
{
	atomic {
		running[c] == m && !locked[m] && changes < MAXCHG ->
		locked[m] = 1;
		changes++;
		drain(c);	/* spin_lock(): a locked op */
		h = 0;
		kind = k;
		if
		:: kind == CHG_WP -> printf("@%d fork of mm%d: lock; write-protect queued\n", c, m)
		:: else -> printf(LEAF_BEGIN, c, m)
		fi
	}
#ifdef NO_FLUSH_INJECTED
	if
	:: !NO_FLUSH(kind) ->
#endif
		read_holders(c, m, h);		/* MMU_HOOK_RANGE_HOLDERS is after this */
		atomic {
			holders = h;
			h = 0;
#ifdef INJECT_NO_REMOTE_FLUSH
			holders = holders & BIT(c);
#endif
			printf("@%d holders of mm%d: 0x%x\n", c, m, holders)
		}
#ifdef NO_FLUSH_INJECTED
	:: else -> skip
	fi;
#endif
#ifdef LAZY_LEAVE
	/* ask_lazy_to_leave(): smp_call_function_many_nowait(leave_if_lazy), in one step */
	atomic {
		d = 0;
		do
		:: d < NCPU ->
			if
			:: d != c && (holders & BIT(d)) && lazy[d] && (onl & BIT(d)) ->
				drain(c);
				leavereq[d] = leavereq[d] | BIT(m);
				printf("@%d ask vCPU %d to leave mm%d (no wait)\n", c, d, m)
			:: else -> skip
			fi;
			d++
		:: else -> d = 0; break
		od
	}
#endif
	/* mmu_issue(): the multicall; Xen applies the update, then the flush */
	atomic {
		if
		:: kind == CHG_WP -> printf("@%d Xen: mm%d's PTE read-only\n", c, m)
		:: else -> printf(LEAF_XEN, c, m)
		fi;
		d = 0;
		do
		:: d < NCPU ->
			if
			:: cr3[d] == m && kind == CHG_WP ->
				wstale[d] = 1; printf("@%d (its TLB's translation may be the writable one)\n", d)
			:: cr3[d] == m && kind != CHG_WP ->
				stale[d] = 1; printf("@%d (its TLB's translation is stale now)\n", d)
			:: else -> skip
			fi;
			d++
		:: else -> break
		od;
#ifdef INJECT_TABLE_FREE_BEFORE_FLUSH
		/* finish_chunk(): mmu_issue(), the tables freed, then the flush */
		if
		:: FREES_TABLE(kind) -> free_table(c, m)
		:: else -> skip
		fi;
#endif
		if
		:: !NO_FLUSH(kind) -> xen_flush(holders)
		:: else -> skip
		fi
	}
#if !defined(INJECT_NO_REMOTE_FLUSH) && !defined(INJECT_NO_LATE_FLUSH)
	/* the late re-read: flush whoever appeared since the holders were read */
#ifdef NO_FLUSH_INJECTED
	if
	:: !NO_FLUSH(kind) -> read_holders(c, m, h)
	:: else -> skip
	fi;
#else
	read_holders(c, m, h);
#endif
#endif
	atomic {
		late = h & ~holders & ~BIT(c);
#if !defined(INJECT_NO_REMOTE_FLUSH) && !defined(INJECT_NO_LATE_FLUSH)
		if
		:: !NO_FLUSH(kind) -> printf("@%d re-read holders of mm%d: 0x%x; late arrivals 0x%x\n", c, m, h, late)
		:: else -> skip
		fi;
#endif
		if
		:: late != 0 -> xen_flush(late)
		:: else -> skip
		fi;
		/* the flush has returned: a stale translation left now is one the protocol let through */
		d = 0;
		do
		:: d < NCPU ->
			if
			:: stale[d] && cr3[d] == m -> doomed[d] = 1
			:: else -> skip
			fi;
			if
			:: wstale[d] && cr3[d] == m -> wdoomed[d] = 1
			:: else -> skip
			fi;
			d++
		:: else -> break
		od;
#ifndef INJECT_TABLE_FREE_BEFORE_FLUSH
		/* the table is freed (the CoW break's old page put) only now, the lock still held */
		if
		:: FREES_TABLE(kind) -> free_table(c, m)
		:: else -> skip
		fi;
#endif
		locked[m] = 0;
		if
		:: kind == CHG_WP -> printf(WP_END, c, m)
		:: else -> printf(LEAF_END, c, m)
		fi;
		d = 0; h = 0; holders = 0; late = 0; kind = 0
	}
}

/*
 * The drop handler, on a vCPU asked (or choosing itself) to drop m. handle_one() checks
 * P_CR3 before it runs: drop_mm_if_loaded()'s BUG_ON(xen_mm != loaded_mm).
 */
inline drop(c, m)
{
	PROPERTY(queued[c] == NONE && xen_mm[c] == OWN_LOADED(c), P_CR3);
#ifdef ACTIVE_MM
	/* drop_other_mm_ref() */
	if
#ifdef INJECT_NO_DROP_RECHECK
	:: true -> leave_mm(c)
#else
	:: OWN_LOADED(c) == m && lazy[c] -> leave_mm(c)
#endif
	:: else -> skip
	fi;
	if
	:: xen_mm[c] == m -> leave_mm(c)
	:: else -> skip
	fi
#else
	/* drop_mm_if_loaded() */
	if
#ifdef INJECT_NO_DROP_RECHECK
	:: true -> leave_mm(c)
#else
	:: OWN_LOADED(c) == m -> leave_mm(c)
#endif
	:: else -> skip
	fi
#endif
}

/* smp_call_handle_queue(): one queued call. */
inline handle_one(c)
{
	atomic {
		PENDING(c) != 0 ->
		if
		:: dropreq[c] & BIT(1) -> hm = 1; dropreq[c] = dropreq[c] & ~BIT(1); hwait = 1
		:: dropreq[c] & BIT(2) -> hm = 2; dropreq[c] = dropreq[c] & ~BIT(2); hwait = 1
		:: leavereq[c] & BIT(1) -> hm = 1; leavereq[c] = leavereq[c] & ~BIT(1); hwait = 0
		:: leavereq[c] & BIT(2) -> hm = 2; leavereq[c] = leavereq[c] & ~BIT(2); hwait = 0
		fi;
		printf("@%d IPI: drop (1) or leave if lazy (0): %d, mm%d\n", c, hwait, hm)
	}
	/* a call is taken where the batch is empty */
	PROPERTY(queued[c] == NONE && cr3[c] == OWN_LOADED(c) && xen_mm[c] == OWN_LOADED(c), P_CR3);
	if
	:: hwait ->
		drop(c, hm);
		remaining[hm]--
	:: else ->
		/* leave_if_lazy() */
		if
#ifdef NO_LAZY_RECHECK
		:: true -> leave_mm(c)	/* (not an inject option: leave_if_lazy() without its test) */
#else
		:: lazy[c] && OWN_LOADED(c) == hm -> leave_mm(c)
#endif
		:: else -> skip
		fi
	fi
}

/* mm_destroy() (teardown.c): drop_mm_everywhere(), wait, unpin, free. */
inline teardown(c, m)
{
	printf("@%d exit_mmap(mm%d)\n", c, m);
	h = 0;
#ifdef ACTIVE_MM
	if
	:: OWN_LOADED(c) == m || xen_mm[c] == m -> leave_mm(c)
	:: else -> skip
	fi;
	read_holders(c, m, h);
#endif
	d = 0;
	do
	:: d < NCPU ->
		atomic {
			if
#ifdef ACTIVE_MM
			:: (onl & BIT(d)) && xen_mm[d] == m && TRUST_XEN_MM -> h = h | BIT(d)
#else
			:: (onl & BIT(d)) && LOADED_SEEN(c, d) == m -> h = h | BIT(d)
			:: (onl & BIT(d)) && LOADED_SEEN(c, d) != m && xen_mm[d] == m && TRUST_XEN_MM ->
				h = h | BIT(d)
#endif
			:: else -> skip
			fi;
			d++
		}
	:: else -> break
	od;
	printf("@%d holders of mm%d by loaded_mm or xen_mm: 0x%x\n", c, m, h);
#ifndef ACTIVE_MM
	if
	:: h & BIT(c) -> drop(c, m)
	:: else -> skip
	fi;
#endif
#ifndef INJECT_NO_TEARDOWN_DROP
	/* ask_to_drop(): smp_call_function_many(wait); MMU_HOOK_TEARDOWN_WAIT */
	d = 0;
	do
	:: d < NCPU ->
		atomic {
			if
			:: d != c && (h & BIT(d)) && (onl & BIT(d)) ->
				drain(c);
				dropreq[d] = dropreq[d] | BIT(m);
				remaining[m]++
			:: else -> skip
			fi;
			d++
		}
	:: else -> break
	od;
	/* wait_for_zero(): answering its own calls meanwhile */
	do
	:: remaining[m] == 0 -> break
	:: handle_one(c)
	od;
#endif
	atomic {
		d = 0;
		do
		:: d < NCPU -> PROPERTY(cr3[d] != m, P_UNPIN); d++
		:: else -> break
		od;
		pinned[m] = 0;
		printf("@%d unpin mm%d\n", c, m)
	}
	mmstate[m] = FREED;
	printf("@%d free mm%d\n", c, m)
}

/* cpu_go_offline() (kernel/hotplug.c), then back online. */
inline offline_online(c)
{
	atomic {
		c != 0 && hotplugs < HOTPLUG ->
		hotplugs++;
		running[c] = 0;
		lazy[c] = 1;	/* sched_send_tasks_away(): the hotplug path is a kernel context */
		printf("@%d going offline\n", c)
	}
	leave_mm(c);
	atomic { drain(c); onl = onl & ~BIT(c) }
	/* smp_call_quiesce(): the calls claimed before the bit went */
	do
	:: PENDING(c) == 0 -> break
	:: handle_one(c)
	od;
	atomic {
		PROPERTY(OWN_LOADED(c) == INIT && cr3[c] == INIT && xen_mm[c] == INIT, P_OFFLINE);
		printf("@%d offline (VCPUOP_down)\n", c)
	}
	atomic {
		onl = onl | BIT(c);
		printf("@%d back online\n", c)
	}
}

proctype cpu(byte c)
{
	byte d, h, holders, late, hm, tm, prev, kind;
	bool hwait;

end_idle:
	do
	:: handle_one(c)
	:: PENDING(c) == 0 ->
		atomic {
			PROPERTY(queued[c] == NONE && cr3[c] == OWN_LOADED(c) && xen_mm[c] == OWN_LOADED(c), P_CR3);
			PROPERTY(running[c] == 0 || running[c] == OWN_LOADED(c), P_TASK);
			/* its task, or a lazy kernel thread (lazy-borrow), may read the page now */
			PROPERTY(!doomed[c] || !(running[c] == cr3[c] || lazy[c]), P_STALE);
			/* ...or write it: the parent's task, after fork returned (or a lazy kernel thread) */
			PROPERTY(!wdoomed[c] || !(running[c] == cr3[c] || lazy[c]), P_WRITE);
			d = 0; h = 0; holders = 0; late = 0; hm = 0; tm = 0; prev = 0; hwait = 0; kind = 0
		};
end_choose:
		if
		:: PENDING(c) != 0 -> skip	/* a call arrived: take it first */
		:: switch_to_task(c, 1)
		:: switch_to_task(c, 2)
		:: atomic {	/* enter_lazy_tlb(): a kernel thread borrows what is loaded */
			running[c] != 0 || !lazy[c] ->
			running[c] = 0; lazy[c] = 1;
			printf("@%d switch to a kernel thread (lazy in mm%d)\n", c, OWN_LOADED(c))
		   }
		:: change_and_flush(c, 1, CHG_LEAF)
		:: change_and_flush(c, 2, CHG_LEAF)
		:: change_and_flush(c, 1, CHG_WP)	/* fork: mm1 the parent (README: the mms are symmetric) */
		:: atomic {	/* thread_exit() of the last thread: task->mm = NULL first */
			running[c] != 0 && mmstate[running[c]] == ALIVE &&
			(NCPU < 2 || c == 0 || running[0] != running[c]) &&
			(NCPU < 2 || c == 1 || running[1] != running[c]) &&
			(NCPU < 3 || c == 2 || running[2] != running[c]) ->
			mmstate[running[c]] = DYING;
			tm = running[c];
			printf("@%d last thread of mm%d exits\n", c, running[c]);
			running[c] = 0
		   } -> goto exit_mmap
		:: offline_online(c)
		:: goto end_stopped
		fi
	od;
exit_mmap:
	/* the exiting thread, a kernel context now (task->mm = NULL), runs exit_mmap */
	teardown(c, tm);
	goto end_idle;
end_stopped:
	/* its task runs on for ever: it still answers calls */
	do
	:: handle_one(c)
	od
}

#ifdef NO_BARRIER
/* x86-TSO: a buffered store reaches memory at any time. */
#define DRAIN_ONE(i) \
	:: atomic { sb[i] != NONE -> loaded[i] = sb[i]; sb[i] = NONE; \
		printf("@%d (store buffer: loaded_mm=mm%d now visible)\n", i, loaded[i]) }
active proctype tso()
{
end_tso:
	do
	DRAIN_ONE(0)
#if NCPU > 1
	DRAIN_ONE(1)
#endif
#if NCPU > 2
	DRAIN_ONE(2)
#endif
#if NCPU > 3
	DRAIN_ONE(3)
#endif
	od
}
#endif

init
{
	byte i;

	atomic {
		i = 0;
		do
		:: i < NCPU ->
			sb[i] = NONE; queued[i] = NONE;	/* loaded_mm = xen_mm = CR3 = init_mm */
			i++
		:: else -> break
		od;
		pinned[1] = 1;
		pinned[2] = 1;
		i = 0;
		do
		:: i < NCPU -> run cpu(i); i++
		:: else -> break
		od
	}
}
