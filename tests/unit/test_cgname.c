// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "test_util.h"
#include "cgname.h"

static void test_path_join(void **state)
{
	const char *const chain[] = { "4e8f", "pod0f3c", "burstable", "kubepods" };
	char out[64];

	(void)state;
	assert_int_equal(oc_cg_path(chain, 4, out, sizeof(out)), 0);
	assert_string_equal(out, "/kubepods/burstable/pod0f3c/4e8f");
	assert_int_equal(oc_cg_path(chain, 1, out, sizeof(out)), 0);
	assert_string_equal(out, "/4e8f");
}

static void test_path_root(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(oc_cg_path(NULL, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(oc_cg_path(NULL, 0, out, 1), 1);
	assert_string_equal(out, "");
}

static void test_path_cut(void **state)
{
	const char *const chain[] = { "cccc", "bbbb", "aaaa" };
	char out[9], big[16];

	(void)state;
	/* "/aaaa/bbbb/cccc" in 9 bytes: 8 kept, flagged */
	assert_int_equal(oc_cg_path(chain, 3, out, sizeof(out)), 1);
	assert_string_equal(out, "/aaaa/bb");
	assert_int_equal(strlen(out), 8);
	/* exactly fits */
	assert_int_equal(oc_cg_path(chain + 1, 2, big, 11), 0);
	assert_string_equal(big, "/aaaa/bbbb");
	assert_int_equal(oc_cg_path(chain + 1, 2, big, 10), 1);
	assert_string_equal(big, "/aaaa/bbb");
}

static void test_label(void **state)
{
	const char *const ss[] = { "cpuset", "cpu", "cpuacct", NULL, "memory" };
	char out[64];

	(void)state;
	assert_int_equal(oc_cg_label(0, ss, 5, "systemd", out, sizeof(out)), 0);
	assert_string_equal(out, "name=systemd");
	assert_int_equal(oc_cg_label(0x6, ss, 5, "", out, sizeof(out)), 0);
	assert_string_equal(out, "cpu,cpuacct");
	/* a bit without a name, one past the array, and a name */
	assert_int_equal(oc_cg_label(0x8 | 0x20 | 0x10, ss, 5, "x", out,
				     sizeof(out)), 0);
	assert_string_equal(out, "ss3,memory,ss5,name=x");
	assert_int_equal(oc_cg_label(0, ss, 5, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(oc_cg_label(0x6, ss, 5, "", out, 6), 1);
	assert_int_equal(strlen(out) < 6, 1);
}

static void test_slot(void **state)
{
	const char *kept[4] = { "", "cpuset", "cpu,cpuacct", "memory" };

	(void)state;
	assert_int_equal(oc_cg_slot(kept, 2, 4, "memory"), 2);	/* room */
	assert_int_equal(oc_cg_slot(kept, 4, 4, "devices"), -1);	/* full */
	/* a named hierarchy takes the last controller-only slot */
	assert_int_equal(oc_cg_slot(kept, 4, 4, "name=systemd"), 3);
	kept[3] = "name=systemd";
	assert_int_equal(oc_cg_slot(kept, 4, 4, "name=other"), 2);
	/* never v2's slot, never another named one */
	kept[1] = kept[2] = "name=x";
	assert_int_equal(oc_cg_slot(kept, 4, 4, "name=y"), -1);
	assert_int_equal(oc_cg_slot(kept, 4, 4, NULL), -1);
}

#define UID	"0f3c2a9e-5b71-4d8a-9c1e-7a2b4c6d8e10"
#define UIDU	"0f3c2a9e_5b71_4d8a_9c1e_7a2b4c6d8e10"
#define CID	"4e8f0c5d7b2a41f6a9e3d1c0b8a7f6e5d4c3b2a1908f7e6d5c4b3a2918273645"

static void tenant_is(const char *path, const char *want)
{
	char out[128];

	assert_int_equal(oc_cg_tenant(path, out, sizeof(out)), *want != '\0');
	assert_string_equal(out, want);
}

static void test_tenant(void **state)
{
	(void)state;
	tenant_is("/kubepods/burstable/pod" UID "/" CID,
		  "pod " UID " container 4e8f0c5d7b2a");
	tenant_is("/kubepods/burstable/pod" UID, "pod " UID);
	tenant_is("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
		  UIDU ".slice/cri-containerd-" CID ".scope",
		  "pod " UID " container 4e8f0c5d7b2a");
	tenant_is("/kubepods.slice/kubepods-pod" UIDU ".slice", "pod " UID);
	tenant_is("/system.slice/docker-" CID ".scope", "docker 4e8f0c5d7b2a");
	tenant_is("/machine.slice/libpod-" CID ".scope", "libpod 4e8f0c5d7b2a");
	tenant_is("/system.slice/crio-" CID ".scope", "crio 4e8f0c5d7b2a");
	tenant_is("/docker/" CID, "docker 4e8f0c5d7b2a");
}

static void test_tenant_none(void **state)
{
	(void)state;
	tenant_is("/", "");
	tenant_is("", "");
	tenant_is(NULL, "");
	tenant_is("/system.slice/ssh.service", "");
	tenant_is("/user.slice/" CID, "");		/* a bare id, no parent kind */
	tenant_is("/system.slice/docker-xyz.scope", "");	/* not hex */
	tenant_is("/kubepods/podnot-a-uid", "");
	tenant_is("/kubepods-.slice", "");
	tenant_is("/docker-" CID ".service", "");
	tenant_is("//docker//" CID "//", "docker 4e8f0c5d7b2a");
}

int oc_test_cgname(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join),
		cmocka_unit_test(test_path_root),
		cmocka_unit_test(test_path_cut),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_slot),
		cmocka_unit_test(test_tenant),
		cmocka_unit_test(test_tenant_none),
	};

	return cmocka_run_group_tests_name("cgname", tests, NULL, NULL);
}
