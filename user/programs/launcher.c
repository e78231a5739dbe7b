/*
 * launcher: make bench's /init for programs nobody here wrote (docs/bench.md,
 * "Your own workload"). It reads phase lines from /phases (or the file its
 * argv[1] names),
 *
 *	NAME ITERATIONS PROGRAM ARGS...
 *
 * and runs each phase as ITERATIONS runs of fork + execve(PROGRAM, {PROGRAM,
 * ARGS...}, no environment) + wait4, between the phase's markers
 * (<bench_markers.h>), after one warm-up run outside the window. The phases
 * of the file become phases 1 to n; 0 and n + 1 are the two "marker" phases.
 * A program's standard output goes into a pipe that the launcher drains and
 * drops, so that output costs the same under every kernel and never floods
 * the console; its standard error is the console. The same binary runs
 * under pvmm and under Linux (Linux's system calls only); either way it
 * ends the system with reboot(2), as an init must.
 *
 * A bad phase file, a program missing from the initramfs or markers that
 * cannot be mapped end it with one line, "launcher: ERROR: ...", before any
 * phase runs. A run that exits with a status other than 0 is counted and
 * reported after the phase lines, not hidden.
 */
#include <ulib.h>
#include <linux/reboot.h>
#include <bench_markers.h>

#define PHASES_FILE	"/phases"
#define FILE_MAX	8192
#define MAX_ARGS	16
#define MAX_ITERATIONS	100000
#define WARM_UP_RUNS	1

struct launch {
	const char *name;
	unsigned long iterations;
	char *argv[MAX_ARGS + 2];	/* PROGRAM, ARGS, NULL */
	unsigned long failed;		/* runs (the warm-up's included) that exited with a status */
	int first_status;		/* the first of them */
};

static char text[FILE_MAX + 1];
static struct launch phases[BENCH_MAX_PHASES - 2];
static int nphases;
static char drain[4096];

static void __attribute__((noreturn)) power_off(void)
{
	syscall6(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, 0, 0, 0);
	exit(1);	/* not allowed to power off: an init's exit is the kernel's problem */
}

#define fail(...)	do { printf("launcher: ERROR: " __VA_ARGS__); power_off(); } while (0)

/*
 * The next word of @*p, in place: words are separated by blanks, and a
 * part of a word in '...' or "..." keeps its blanks (the quotes go, no
 * escapes). NULL at the end of the line; *@p is left after the word.
 */
static char *next_word(char **p, int line)
{
	char *s = *p, *out, *word;
	char quote = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	word = out = s;
	for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
		if (!quote && (*s == '"' || *s == '\''))
			quote = *s;
		else if (quote && *s == quote)
			quote = 0;
		else
			*out++ = *s;
	}
	if (quote)
		fail("%s line %d: a %c quote is not closed\n", PHASES_FILE, line, quote);
	*p = *s ? s + 1 : s;
	*out = 0;
	return word;
}

static bool is_name(const char *s)
{
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			return false;
	return *s && strcmp(s, "marker");
}

static unsigned long number(const char *s)
{
	unsigned long n = 0;

	for (; *s >= '0' && *s <= '9' && n <= MAX_ITERATIONS; s++)
		n = n * 10 + (*s - '0');
	return *s ? 0 : n;
}

static void parse_line(char *s, int line)
{
	struct launch *ph = &phases[nphases];
	char *word = next_word(&s, line);
	int argc = 0;

	if (!word || word[0] == '#')
		return;
	if (nphases == BENCH_MAX_PHASES - 2)
		fail("%s line %d: more than %d phases\n", PHASES_FILE, line, BENCH_MAX_PHASES - 2);
	if (!is_name(word))
		fail("%s line %d: phase name '%s': use letters, digits and _ (and not 'marker')\n",
		     PHASES_FILE, line, word);
	ph->name = word;
	word = next_word(&s, line);
	ph->iterations = word ? number(word) : 0;
	if (!ph->iterations || ph->iterations > MAX_ITERATIONS)
		fail("%s line %d: iterations '%s': a number from 1 to %d; a line is NAME ITERATIONS PROGRAM ARGS...\n",
		     PHASES_FILE, line, word ? word : "", MAX_ITERATIONS);
	while ((word = next_word(&s, line))) {
		if (argc == MAX_ARGS + 1)
			fail("%s line %d: more than %d arguments\n", PHASES_FILE, line, MAX_ARGS);
		ph->argv[argc++] = word;
	}
	if (!argc)
		fail("%s line %d: no program; a line is NAME ITERATIONS PROGRAM ARGS...\n", PHASES_FILE, line);
	ph->argv[argc] = NULL;
	nphases++;
}

static void read_phases(const char *path)
{
	long fd = open(path, O_RDONLY), n = 0, rc = 0;
	int line = 1;

	if (fd < 0)
		fail("cannot open %s (error %ld): put the phase file in the cpio (scripts/bench-cpio)\n",
		     path, -fd);
	while (n < FILE_MAX && (rc = read(fd, text + n, FILE_MAX - n)) > 0)
		n += rc;
	close(fd);
	if (rc < 0 || n == FILE_MAX)
		fail("%s: %s\n", path, rc < 0 ? "cannot read it" : "longer than 8 KiB");
	for (char *s = text, *end, *next; *s; s = next, line++) {
		for (end = s; *end && *end != '\n'; end++)
			;
		next = *end ? end + 1 : end;	/* the last line may have no newline */
		*end = 0;
		parse_line(s, line);
	}
	if (!nphases)
		fail("%s has no phase lines (NAME ITERATIONS PROGRAM ARGS...)\n", path);
	for (int k = 0; k < nphases; k++) {
		fd = open(phases[k].argv[0], O_RDONLY);
		if (fd < 0)
			fail("phase %s: program %s is not in the initramfs (error %ld)\n", phases[k].name,
			     phases[k].argv[0], -fd);
		close(fd);
	}
}

/* One run: fork + exec + wait, its output drained. */
static void run(struct launch *ph)
{
	int fds[2], status = -1;
	long pid;

	if (pipe2(fds, 0))
		fail("pipe2 failed\n");
	pid = spawn_argv(ph->argv, fds[1]);
	close(fds[1]);	/* the child's copy is the only writer left: its end is end of file here */
	while (read(fds[0], drain, sizeof(drain)) > 0)
		;
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status) != pid)
		fail("fork or wait4 failed for phase %s (%ld)\n", ph->name, pid);
	if (status && !ph->failed++)
		ph->first_status = status;
}

int main(int argc, char **argv)
{
	long rc;

	read_phases(argc > 1 ? argv[1] : PHASES_FILE);
	rc = bench_markers_map(nphases + 2);
	if (rc < 0)
		fail("cannot map the markers at 0x%lx (error %ld)\n", MARKER_BASE, -rc);
	bench_phase_begin(0);
	bench_phase_end(0);
	for (int k = 0; k < nphases; k++) {
		for (int i = 0; i < WARM_UP_RUNS; i++)
			run(&phases[k]);
		bench_phase_begin(k + 1);
		for (unsigned long i = 0; i < phases[k].iterations; i++)
			run(&phases[k]);
		bench_phase_end(k + 1);
	}
	bench_phase_begin(nphases + 1);
	bench_phase_end(nphases + 1);

	bench_phase_line(0, "marker", 1);
	for (int k = 0; k < nphases; k++)
		bench_phase_line(k + 1, phases[k].name, phases[k].iterations);
	bench_phase_line(nphases + 1, "marker", 1);
	for (int k = 0; k < nphases; k++) {
		if (phases[k].failed)
			printf("launcher: phase %s: %lu of %lu runs exited with a status other than 0 "
			       "(the first: wait status 0x%x)\n", phases[k].name, phases[k].failed,
			       phases[k].iterations + WARM_UP_RUNS, phases[k].first_status);
		else
			printf("launcher: phase %s: all %lu runs exited with 0\n", phases[k].name,
			       phases[k].iterations + WARM_UP_RUNS);
	}
	power_off();
}
