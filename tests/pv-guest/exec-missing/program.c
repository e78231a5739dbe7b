/*
 * exec-missing's process: an exec that fails leaves the caller running.
 * ARG 0 execs a program that does not exist (-ENOENT); ARG 1 execs this
 * very program cut short inside its data segment (exec-missing-truncated,
 * made by the build), whose text exec has already loaded into the new mm,
 * tables and pages, when it finds the data missing (-EINVAL).
 */
#include <ulib.h>

/*
 * Initialized, writable (volatile: the compiler may not move it to
 * read-only data): what makes the data segment the truncated copy lacks.
 */
static const char *volatile names[] = { "no-such-program", "exec-missing-truncated" };
static const long expected[] = { -ENOENT, -EINVAL };

int main(int argc, char **argv)
{
	unsigned long arg = program_arg(argc, argv);
	long rc;

	if (arg > 1)
		return 2;
	rc = exec_program(names[arg], 0);
	printf("exec-missing: exec(\"%s\") = %ld\n", names[arg], rc);
	return rc == expected[arg] ? 0 : 1;
}
