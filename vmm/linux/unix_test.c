// SPDX-License-Identifier: Apache-2.0
/* unix_test.c: Check tests for AF_UNIX sockets: only sockets the sandbox made can be reached, names, abstract tags. */
#include <check.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux/testproc.h"
#include "check_main.h"

enum { G_AF_UNIX = 1, G_SOCK_STREAM = 1 };

static struct tp *t;

static void setup(void)
{
	t = tp_new(0, 0);
	ck_assert_ptr_nonnull(t);
}

static void teardown(void)
{
	tp_delete(t);
}

/* A guest sockaddr_un for path (host string) in guest memory; its length in *len. */
static wf_gaddr_t gaddr(const char *path, uint64_t *len)
{
	struct sockaddr_un sa = {.sun_family = G_AF_UNIX};
	size_t n = strlen(path);
	memcpy(sa.sun_path, path, n);
	wf_gaddr_t g = tp_alloc(t, sizeof(sa));
	tp_put(t, g - TP_BASE, &sa, sizeof(sa));
	*len = offsetof(struct sockaddr_un, sun_path) + n + 1;
	return g;
}

START_TEST(test_connect_only_ours)
{
	/* A host service's socket in the writable allowed directory. */
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	ck_assert_int_lt(snprintf(sa.sun_path, sizeof(sa.sun_path), "%.64s/service", t->dir), 100);
	ck_assert_int_eq(bind(srv, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(srv, 1), 0);

	uint64_t len;
	char guest_path[160];
	snprintf(guest_path, sizeof(guest_path), "%s/service", t->dir);
	wf_gaddr_t svc = gaddr(guest_path, &len);
	int64_t c = SYS(t, WF_NR_socket, G_AF_UNIX, G_SOCK_STREAM, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(SYS(t, WF_NR_connect, c, svc, len), -EACCES);
	/* The same with sendto on a datagram socket. */
	int64_t d = SYS(t, WF_NR_socket, G_AF_UNIX, 2, 0);
	ck_assert_int_eq(SYS(t, WF_NR_sendto, d, tp_str(t, "x"), 1, 0, svc, len), -EACCES);

	/* One the guest bound itself is reachable, and keeps the name the guest gave. */
	snprintf(guest_path, sizeof(guest_path), "%s/mine", t->dir);
	wf_gaddr_t mine = gaddr(guest_path, &len);
	int64_t s = SYS(t, WF_NR_socket, G_AF_UNIX, G_SOCK_STREAM, 0);
	ck_assert_int_eq(SYS(t, WF_NR_bind, s, mine, len), 0);
	ck_assert_int_eq(SYS(t, WF_NR_listen, s, 1), 0);
	ck_assert_int_eq(SYS(t, WF_NR_connect, c, mine, len), 0);
	wf_gaddr_t out = tp_alloc(t, 128), outlen = tp_alloc(t, 4);
	int32_t cap = 128;
	tp_put(t, outlen - TP_BASE, &cap, 4);
	ck_assert_int_eq(SYS(t, WF_NR_getpeername, c, out, outlen), 0);
	int32_t got;
	memcpy(&got, (uint8_t *)t->ram + (outlen - TP_BASE), 4);
	ck_assert_int_eq(got, (int32_t)len);
	ck_assert_str_eq((char *)t->ram + (out - TP_BASE) + 2, guest_path);
	close(srv);
}
END_TEST

START_TEST(test_abstract_tagged)
{
	/* A host abstract socket of the same name stays out of reach: the guest's is tagged. */
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, "\0wf-unix-test", 13);
	socklen_t hlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 13);
	ck_assert_int_eq(bind(srv, (struct sockaddr *)&sa, hlen), 0);
	ck_assert_int_eq(listen(srv, 1), 0);
	wf_gaddr_t g = tp_alloc(t, sizeof(sa));
	tp_put(t, g - TP_BASE, &sa, sizeof(sa));
	int64_t c = SYS(t, WF_NR_socket, G_AF_UNIX, G_SOCK_STREAM, 0);
	ck_assert_int_eq(SYS(t, WF_NR_connect, c, g, hlen), -ECONNREFUSED);
	/* The guest's own server of that name works, and getsockname shows it untagged. */
	int64_t s = SYS(t, WF_NR_socket, G_AF_UNIX, G_SOCK_STREAM, 0);
	ck_assert_int_eq(SYS(t, WF_NR_bind, s, g, hlen), 0);
	ck_assert_int_eq(SYS(t, WF_NR_listen, s, 1), 0);
	ck_assert_int_eq(SYS(t, WF_NR_connect, c, g, hlen), 0);
	wf_gaddr_t out = tp_alloc(t, 128), outlen = tp_alloc(t, 4);
	int32_t cap = 128, got;
	tp_put(t, outlen - TP_BASE, &cap, 4);
	ck_assert_int_eq(SYS(t, WF_NR_getsockname, s, out, outlen), 0);
	memcpy(&got, (uint8_t *)t->ram + (outlen - TP_BASE), 4);
	ck_assert_int_eq(got, (int32_t)hlen);
	ck_assert_mem_eq((uint8_t *)t->ram + (out - TP_BASE) + 2, "\0wf-unix-test", 13);
	close(srv);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("unix");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_connect_only_ours);
	tcase_add_test(tc, test_abstract_tagged);
	suite_add_tcase(s, tc);
	return wf_check_run(s);
}
