// SPDX-License-Identifier: Apache-2.0
/* readfile.c: read a file or list a directory, printing only deterministic facts.
 *
 *   readfile FILE      length, FNV-1a checksum and first line of FILE ("-" reads stdin)
 *   readfile -d DIR    the entries of DIR sorted by name, with their type and (files) size
 *                      from fstatat (except "." and "..", listed by name only)
 *
 * Failures print "open: <strerror>" (or "opendir: ...", "read: ...") on stdout and exit 2, so a
 * sandbox that hides a path can be checked by its exact output.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int die(const char *what, int err)
{
	printf("%s: %s\n", what, strerror(err));
	return 2;
}

static int read_file(const char *path)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return die("open", errno);

	/* An odd buffer size, so reads straddle page boundaries in the guest. */
	static unsigned char buf[3001];
	uint64_t h = 0xcbf29ce484222325ULL, len = 0, lines = 0;
	char first[81];
	size_t nfirst = 0;
	int first_done = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return die("read", errno);
		}
		if (n == 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ULL;
			if (buf[i] == '\n') {
				lines++;
				first_done = 1;
			} else if (!first_done && nfirst < sizeof first - 1) {
				first[nfirst++] = buf[i] >= 0x20 && buf[i] < 0x7f ? (char)buf[i] : '.';
			}
		}
		len += (uint64_t)n;
	}
	first[nfirst] = 0;
	printf("length=%llu\n", (unsigned long long)len);
	printf("lines=%llu\n", (unsigned long long)lines);
	printf("fnv1a=%016llx\n", (unsigned long long)h);
	printf("first line: %s\n", first);

	struct stat st;
	if (fstat(fd, &st) != 0)
		return die("fstat", errno);
	if (S_ISREG(st.st_mode)) {
		printf("fstat size matches: %s\n", (uint64_t)st.st_size == len ? "yes" : "no");
		/* Read back the tail with pread after seeking around. */
		if (len > 0) {
			off_t end = lseek(fd, 0, SEEK_END);
			printf("lseek end matches: %s\n", end == (off_t)len ? "yes" : "no");
			unsigned char last;
			ssize_t n = pread(fd, &last, 1, (off_t)len - 1);
			printf("pread last byte: %s\n",
			       n == 1 ? (last == '\n' ? "newline" : "other") : strerror(errno));
		}
	} else {
		printf("not a regular file\n");
	}
	if (fd != 0 && close(fd) != 0)
		return die("close", errno);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return die("opendir", errno);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				return die("realloc", ENOMEM);
		}
		names[n++] = strdup(e->d_name);
		errno = 0;
	}
	if (errno)
		return die("readdir", errno);
	qsort(names, n, sizeof *names, cmp_names);
	int dfd = dirfd(d);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		/* "." and ".." by name only: ".." of an allow-listed directory lies outside it, and
		 * a sandbox may rightly refuse to stat it. */
		if (strcmp(names[i], ".") == 0 || strcmp(names[i], "..") == 0) {
			printf("entry %s\n", names[i]);
			free(names[i]);
			continue;
		}
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
			printf("%s: fstatat: %s\n", names[i], strerror(errno));
			continue;
		}
		const char *type = S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "dir" :
				   S_ISLNK(st.st_mode) ? "symlink" : "other";
		if (S_ISREG(st.st_mode))
			printf("%s %s %lld\n", type, names[i], (long long)st.st_size);
		else
			printf("%s %s\n", type, names[i]);
		free(names[i]);
	}
	free(names);
	printf("%zu entries\n", n);
	if (closedir(d) != 0)
		return die("closedir", errno);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "-d") == 0)
		return list_dir(argv[2]);
	if (argc == 2)
		return read_file(argv[1]);
	fprintf(stderr, "usage: readfile FILE | readfile -d DIR\n");
	return 64;
}
