/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What execve will load for an ELF file: its program interpreter and
 * the libraries its dynamic section names, with the run paths they are
 * looked for in.  The file may be hostile; the reader only ever reads
 * inside file_size, a bounded amount in all (about 5 MiB at the most),
 * and allocates a bounded amount.  Nothing here opens a file or prints.
 */
#ifndef VUF_ELF_H
#define VUF_ELF_H

#include <stddef.h>

/*
 * Reads len bytes at off into buf; returns bytes read (short at EOF), -1
 * on error with errno set.
 */
typedef long (*elf_pread_fn)(void *ctx, void *buf, size_t len, unsigned long long off);

enum elf_kind {
	ELF_NOT_ELF,	/* does not start with \x7fELF: not ours to judge */
	ELF_OK,		/* headers read; fields below filled */
	ELF_MALFORMED,	/* starts with \x7fELF but cannot be read safely; *why says why */
};

/*
 * Strings as the file has them: not checked as paths, and DT_RPATH is
 * given even when DT_RUNPATH makes the loader ignore it.
 */
struct elf_info {
	char *interp;		/* PT_INTERP's path, or NULL */
	char *rpath;		/* DT_RPATH string, or NULL */
	char *runpath;		/* DT_RUNPATH string, or NULL */
	char **needed;		/* DT_NEEDED names, in order */
	size_t n_needed;
};

/* The most DT_NEEDED entries a file may have; more is malformed. */
#define ELF_MAX_NEEDED 1024

/*
 * Read the ELF file of file_size bytes that pread_fn reads.  ELF_OK:
 * *info filled (no PT_DYNAMIC: a static program, nothing needed) and
 * *why NULL.  ELF_MALFORMED: *info zeroed and *why an allocated phrase
 * that follows the file's name ("its ELF header is truncated").  A read
 * error is ELF_MALFORMED too: what cannot be read cannot be judged.
 * ELF_NOT_ELF: *info zeroed, *why NULL.
 *
 * Stricter than the loaders where a file could mean two things: a
 * second PT_INTERP or PT_DYNAMIC, a repeated DT_STRTAB, DT_STRSZ,
 * DT_RPATH or DT_RUNPATH, a dynamic section without DT_NULL, loadable
 * segments that overlap or share a page with different file offsets,
 * and a dynamic segment whose bytes in memory are not the ones at its
 * p_offset are all malformed.  So is PN_XNUM (e_phnum 0xffff), which
 * execve does not support.
 */
enum elf_kind elf_read(elf_pread_fn pread_fn, void *ctx, unsigned long long file_size,
		       struct elf_info *info, char **why);
/* helper for a real file descriptor (uses pread(2)); ctx is a pointer to an int fd */
long elf_pread_fd(void *ctx, void *buf, size_t len, unsigned long long off);
void elf_info_free(struct elf_info *info);

#endif
