/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ELF headers execve and the dynamic loader act on, read from a file
 * that may be hostile.  Every field is assembled from bytes in the
 * file's byte order, every offset is checked against the file's size
 * before it is read, and every count is capped, so a file can cost a
 * bounded time, a bounded amount of reading and a bounded allocation.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "util.h"

enum { PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3 };
enum {
	DT_NULL = 0, DT_NEEDED = 1, DT_STRTAB = 5, DT_STRSZ = 10,
	DT_RPATH = 15, DT_RUNPATH = 29,
};

/*
 * The kernel reads no larger program header table than this.  PN_XNUM
 * (e_phnum 0xffff: the count is in section header 0) is always larger,
 * so execve does not support it, and neither do we.
 */
#define MAX_PHDRS_SIZE 65536
/* Far more than any linker writes; it bounds the reading. */
#define MAX_DYN_ENTRIES (1 << 16)

/* Where the fields we use lie in the gABI's Ehdr, Phdr and Dyn, by class. */
struct layout {
	unsigned ehsize, e_phoff, e_phentsize, e_phnum, word;
	unsigned phsize, p_offset, p_vaddr, p_filesz, p_memsz, dynsize;
};

static const struct layout elf32 = { 52, 28, 42, 44, 4, 32, 4, 8, 16, 20, 8 };
static const struct layout elf64 = { 64, 32, 54, 56, 8, 56, 8, 16, 32, 40, 16 };

struct seg {
	uint64_t offset, vaddr, filesz, memsz;
};

struct elf {
	elf_pread_fn pread_fn;
	void *ctx;
	uint64_t size;
	const struct layout *l;
	bool big;
	unsigned char *ph;	/* the program header table */
	size_t phentsize, phnum;
	uint64_t page;		/* segments are mapped in pages of this */
	char *why;
};

/* The entries we keep besides DT_NEEDED, each of which may appear once. */
static const char *const dyn_names[DT_RUNPATH + 1] = {
	[DT_STRTAB] = "DT_STRTAB", [DT_STRSZ] = "DT_STRSZ",
	[DT_RPATH] = "DT_RPATH", [DT_RUNPATH] = "DT_RUNPATH",
};

struct dyn {
	uint64_t val[DT_RUNPATH + 1];
	bool have[DT_RUNPATH + 1];
	uint64_t needed[ELF_MAX_NEEDED];	/* string table offsets */
	size_t n_needed;
};

/* The n-byte field at p, in the file's byte order. */
static uint64_t field(const struct elf *e, const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[e->big ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

/* Record why the file is malformed; false, for the caller to return. */
static bool __attribute__((format(printf, 2, 3)))
fail(struct elf *e, const char *fmt, ...)
{
	va_list ap;

	if (!e->why) {
		va_start(ap, fmt);
		e->why = xvasprintf(fmt, ap);
		va_end(ap);
	}
	return false;
}

/* len bytes at off, all inside the file; past is the reason if not. */
static bool read_at(struct elf *e, void *buf, size_t len, uint64_t off,
		    const char *past)
{
	size_t done = 0;

	if (off > e->size || len > e->size - off)
		return fail(e, "%s", past);
	while (done < len) {
		long n = e->pread_fn(e->ctx, (char *)buf + done, len - done,
				     off + done);

		if (n < 0)
			return fail(e, "it cannot be read: %s", strerror(errno));
		/* Shorter than its size: it changed, so trust none of it. */
		if (n == 0 || (size_t)n > len - done)
			return fail(e, "it shrank while it was read");
		done += (size_t)n;
	}
	return true;
}

/* The n bytes of header at h, then the program header table. */
static bool read_headers(struct elf *e, const unsigned char *h, size_t n)
{
	uint64_t phoff;
	size_t size;

	if (n < 16)
		return fail(e, "its ELF header is truncated");
	if (h[4] != 1 && h[4] != 2)
		return fail(e, "its ELF class is neither 32- nor 64-bit");
	if (h[5] != 1 && h[5] != 2)
		return fail(e, "its byte order is neither little- nor big-endian");
	e->l = h[4] == 1 ? &elf32 : &elf64;
	e->big = h[5] == 2;
	if (n < e->l->ehsize)
		return fail(e, "its ELF header is truncated");
	phoff = field(e, h + e->l->e_phoff, e->l->word);
	e->phentsize = field(e, h + e->l->e_phentsize, 2);
	e->phnum = field(e, h + e->l->e_phnum, 2);
	if (e->phnum == 0)
		return fail(e, "it has no program headers");
	/* execve wants exactly the class's size; less cannot be read. */
	if (e->phentsize < e->l->phsize)
		return fail(e, "its program headers are too small");
	size = e->phentsize * e->phnum;
	if (size > MAX_PHDRS_SIZE)
		return fail(e, "it has more program headers than execve reads");
	e->ph = xmalloc(size);
	return read_at(e, e->ph, size, phoff,
		       "its program headers lie past the end of the file");
}

/* Program header i's type, and its segment in *s. */
static uint32_t phdr(const struct elf *e, size_t i, struct seg *s)
{
	const unsigned char *p = e->ph + i * e->phentsize;
	const struct layout *l = e->l;

	s->offset = field(e, p + l->p_offset, l->word);
	s->vaddr = field(e, p + l->p_vaddr, l->word);
	s->filesz = field(e, p + l->p_filesz, l->word);
	s->memsz = field(e, p + l->p_memsz, l->word);
	return (uint32_t)field(e, p, 4);
}

/*
 * Whether b, mapped after a, leaves a's bytes alone: b starts past a's
 * end, and if they share a page, they map the same file bytes there.
 */
static bool lies_after(const struct elf *e, const struct seg *a,
		       const struct seg *b)
{
	uint64_t a_end = a->vaddr + a->memsz;

	if (b->vaddr < a_end)
		return false;
	if (a->vaddr - a->offset == b->vaddr - b->offset)
		return true;
	return (a_end - 1) / e->page < b->vaddr / e->page;
}

/*
 * The loadable segments, through which virtual addresses are found in
 * the file: inside it, ascending (as the gABI wants) and not clobbering
 * each other once mapped, so that an address's bytes in memory are the
 * file's bytes at one place.
 */
static bool check_loads(struct elf *e)
{
	struct seg s, prev = { 0 };
	bool have_prev = false;

	for (size_t i = 0; i < e->phnum; i++) {
		if (phdr(e, i, &s) != PT_LOAD)
			continue;
		if (s.offset > e->size || s.filesz > e->size - s.offset)
			return fail(e, "its loadable segments lie past the end of the file");
		if (s.filesz > s.memsz || s.memsz > UINT64_MAX - s.vaddr)
			return fail(e, "it has a loadable segment of impossible size");
		if (s.memsz == 0)	/* maps nothing */
			continue;
		if (have_prev && !lies_after(e, &prev, &s))
			return fail(e, "its loadable segments overlap or are out of order");
		prev = s;
		have_prev = true;
	}
	return true;
}

/*
 * The file offset of virtual address addr and how many file bytes
 * follow it in its segment; false if no segment loads it from the file.
 */
static bool map_vaddr(const struct elf *e, uint64_t addr, uint64_t *off,
		      uint64_t *avail)
{
	struct seg s;

	for (size_t i = 0; i < e->phnum; i++)
		if (phdr(e, i, &s) == PT_LOAD && addr >= s.vaddr &&
		    addr - s.vaddr < s.filesz) {
			*off = s.offset + (addr - s.vaddr);
			*avail = s.filesz - (addr - s.vaddr);
			return true;
		}
	return false;
}

/* PT_INTERP as the kernel takes it: at most PATH_MAX bytes, NUL last. */
static bool read_interp(struct elf *e, const struct seg *s,
			struct elf_info *info)
{
	char buf[PATH_MAX];

	/* The kernel takes the first; a reader might take another. */
	if (info->interp)
		return fail(e, "it names more than one program interpreter");
	if (s->filesz > sizeof(buf))
		return fail(e, "its program interpreter is longer than PATH_MAX");
	if (!read_at(e, buf, s->filesz, s->offset,
		     "its program interpreter lies past the end of the file"))
		return false;
	if (s->filesz == 0 || buf[0] == '\0')
		return fail(e, "its program interpreter is empty");
	if (buf[s->filesz - 1] != '\0')
		return fail(e, "its program interpreter is not NUL-terminated");
	info->interp = xstrdup(buf);
	return true;
}

/* One dynamic entry: the ones we use go into *d. */
static bool take_entry(struct elf *e, struct dyn *d, uint64_t tag,
		       uint64_t val)
{
	if (tag == DT_NEEDED) {
		if (d->n_needed == ELF_MAX_NEEDED)
			return fail(e, "it needs more than %d libraries",
				    ELF_MAX_NEEDED);
		d->needed[d->n_needed++] = val;
		return true;
	}
	if (tag > DT_RUNPATH || !dyn_names[tag])
		return true;
	/* The loader keeps the last; a reader might keep the first. */
	if (d->have[tag])
		return fail(e, "its dynamic section has more than one %s",
			    dyn_names[tag]);
	d->have[tag] = true;
	d->val[tag] = val;
	return true;
}

/*
 * The entries up to DT_NULL.  The loader reads on until DT_NULL whatever
 * p_filesz says, so a section without one may hold more than we see.
 */
static bool scan_dynamic(struct elf *e, const struct seg *s, struct dyn *d)
{
	unsigned char buf[4096];
	unsigned w = e->l->word;
	size_t size = e->l->dynsize, per = sizeof(buf) / size, chunk;
	uint64_t n = s->filesz / size;

	if (n > MAX_DYN_ENTRIES)
		n = MAX_DYN_ENTRIES;
	for (uint64_t i = 0; i < n; i++) {
		const unsigned char *p = buf + (i % per) * size;
		uint64_t tag;

		chunk = n - i < per ? (size_t)(n - i) : per;
		if (i % per == 0 &&
		    !read_at(e, buf, chunk * size, s->offset + i * size,
			     "its dynamic section lies past the end of the file"))
			return false;
		tag = field(e, p, w);
		if (tag == DT_NULL)
			return true;
		if (!take_entry(e, d, tag, field(e, p + w, w)))
			return false;
	}
	if (s->filesz / size > MAX_DYN_ENTRIES)
		return fail(e, "its dynamic section has more than %d entries",
			    MAX_DYN_ENTRIES);
	return fail(e, "its dynamic section has no DT_NULL to end it");
}

/*
 * *out: the string at val in the size bytes of string table at off,
 * NUL-terminated inside them and PATH_MAX.
 */
static bool read_string(struct elf *e, uint64_t off, uint64_t size,
			uint64_t val, char **out)
{
	char buf[PATH_MAX];
	size_t len;

	if (val >= size)
		return fail(e, "its dynamic section names a string past its string table");
	len = size - val < sizeof(buf) ? (size_t)(size - val) : sizeof(buf);
	if (!read_at(e, buf, len, off + val,
		     "its string table lies past the end of the file"))
		return false;
	if (!memchr(buf, '\0', len))
		return fail(e, len == sizeof(buf) ?
			    "its dynamic section names a string longer than PATH_MAX" :
			    "its dynamic section names a string that runs past its string table");
	*out = xstrdup(buf);
	return true;
}

/* The run paths and needed names, from the string table d names. */
static bool read_strings(struct elf *e, const struct dyn *d,
			 struct elf_info *info)
{
	uint64_t off, size;

	/* DT_STRTAB is an address: the loader reads the mapped bytes. */
	if (!map_vaddr(e, d->val[DT_STRTAB], &off, &size))
		return fail(e, "its string table is not loaded from the file");
	if (d->have[DT_STRSZ] && d->val[DT_STRSZ] < size)
		size = d->val[DT_STRSZ];
	if (d->have[DT_RPATH] &&
	    !read_string(e, off, size, d->val[DT_RPATH], &info->rpath))
		return false;
	if (d->have[DT_RUNPATH] &&
	    !read_string(e, off, size, d->val[DT_RUNPATH], &info->runpath))
		return false;
	if (d->n_needed == 0)
		return true;
	info->needed = xcalloc(d->n_needed, sizeof(*info->needed));
	info->n_needed = d->n_needed;
	for (size_t i = 0; i < d->n_needed; i++) {
		if (!read_string(e, off, size, d->needed[i], &info->needed[i]))
			return false;
		if (!info->needed[i][0])
			return fail(e, "its dynamic section names a library with an empty name");
	}
	return true;
}

static bool read_dynamic(struct elf *e, const struct seg *s,
			 struct elf_info *info)
{
	struct dyn d = { 0 };
	uint64_t off, avail;

	/* The loader reads the section where it is mapped, not at p_offset. */
	if (!map_vaddr(e, s->vaddr, &off, &avail) || off != s->offset ||
	    avail < s->filesz)
		return fail(e, "its dynamic section is not loaded from where it says");
	if (!scan_dynamic(e, s, &d))
		return false;
	if (d.have[DT_STRTAB])
		return read_strings(e, &d, info);
	if (d.n_needed || d.have[DT_RPATH] || d.have[DT_RUNPATH])
		return fail(e, "its dynamic section names strings but no string table");
	return true;
}

static bool read_segments(struct elf *e, struct elf_info *info)
{
	struct seg s, dynamic = { 0 };
	bool have_dynamic = false;

	if (!check_loads(e))
		return false;
	for (size_t i = 0; i < e->phnum; i++) {
		uint32_t type = phdr(e, i, &s);

		if (type == PT_INTERP && !read_interp(e, &s, info))
			return false;
		if (type == PT_DYNAMIC) {
			if (have_dynamic)
				return fail(e, "it has more than one dynamic section");
			dynamic = s;
			have_dynamic = true;
		}
	}
	return !have_dynamic || read_dynamic(e, &dynamic, info);
}

enum elf_kind elf_read(elf_pread_fn pread_fn, void *ctx, unsigned long long file_size,
		       struct elf_info *info, char **why)
{
	struct elf e = { .pread_fn = pread_fn, .ctx = ctx, .size = file_size };
	unsigned char h[64];
	size_t n = file_size < sizeof(h) ? (size_t)file_size : sizeof(h);
	long page = sysconf(_SC_PAGESIZE);
	enum elf_kind kind;

	e.page = page > 0 ? (uint64_t)page : 4096;
	memset(info, 0, sizeof(*info));
	*why = NULL;
	if (!read_at(&e, h, n, 0, "its ELF header is truncated"))
		kind = ELF_MALFORMED;
	else if (n < 4 || memcmp(h, "\x7f" "ELF", 4) != 0)
		kind = ELF_NOT_ELF;
	else if (read_headers(&e, h, n) && read_segments(&e, info))
		kind = ELF_OK;
	else
		kind = ELF_MALFORMED;
	free(e.ph);
	if (kind == ELF_MALFORMED) {
		elf_info_free(info);
		*why = e.why;
	}
	return kind;
}

long elf_pread_fd(void *ctx, void *buf, size_t len, unsigned long long off)
{
	ssize_t n;

	/* An offset off_t cannot hold would wrap round to another place. */
	if ((off_t)off < 0 || (unsigned long long)(off_t)off != off) {
		errno = EOVERFLOW;
		return -1;
	}
	if (len > LONG_MAX)
		len = LONG_MAX;
	do
		n = pread(*(int *)ctx, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n;
}

void elf_info_free(struct elf_info *info)
{
	for (size_t i = 0; i < info->n_needed; i++)
		free(info->needed[i]);
	free(info->needed);
	free(info->interp);
	free(info->rpath);
	free(info->runpath);
	memset(info, 0, sizeof(*info));
}
