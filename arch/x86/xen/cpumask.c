/* Printing a vCPU set (see <asm/cpumask.h>). */
#include <asm/cpumask.h>
#include <pvmm/lib.h>

char *cpumask_format(char *buf, unsigned int size, cpumask_t m)
{
	unsigned int w = CPUMASK_WORDS - 1, n;

	while (w && !m.bits[w])
		w--;
	n = snprintf(buf, size, "0x%llx", (unsigned long long)m.bits[w]);
	while (w-- && n < size)
		n += snprintf(buf + n, size - n, "%016llx", (unsigned long long)m.bits[w]);
	return buf;
}
