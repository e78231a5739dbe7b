/* The parts of the ELF-64 format the program loader reads. */
#ifndef PVMM_ELF_H
#define PVMM_ELF_H

#include <stdint.h>

struct elf64_ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ELF_TYPE_EXEC	2
#define ELF_MACHINE_X86_64 62
#define PT_LOAD		1
#define PF_W		2

#endif
