// SPDX-License-Identifier: GPL-2.0
/* core/debugpath: -dbg tree layout, .build-id paths, the bounded walk */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"
#include "debugpath.h"

static void test_dbg_tree(void **state)
{
	char tree[64], rel[64];

	(void)state;
	assert_int_equal(oc_dbg_tree_of("/tmp/x/usr/lib/debug/boot/vmlinux-6.1.0-56-cloud-amd64",
					tree, sizeof(tree), rel, sizeof(rel)), 0);
	assert_string_equal(tree, "/tmp/x");
	assert_string_equal(rel, "6.1.0-56-cloud-amd64");
	/* the system's own tree, and a relative one */
	assert_int_equal(oc_dbg_tree_of("/usr/lib/debug/boot/vmlinux-R", tree, sizeof(tree),
					rel, sizeof(rel)), 0);
	assert_string_equal(tree, "");
	assert_string_equal(rel, "R");
	assert_int_equal(oc_dbg_tree_of("usr/lib/debug/boot/vmlinux-R", tree, sizeof(tree),
					rel, sizeof(rel)), 0);
	assert_string_equal(tree, ".");
	/* the last occurrence decides */
	assert_int_equal(oc_dbg_tree_of("/a/usr/lib/debug/boot/vmlinux-X/usr/lib/debug/boot/vmlinux-R",
					tree, sizeof(tree), rel, sizeof(rel)), 0);
	assert_string_equal(tree, "/a/usr/lib/debug/boot/vmlinux-X");
	assert_string_equal(rel, "R");
	/* not the layout */
	assert_int_equal(oc_dbg_tree_of("/a/vmlinux", tree, sizeof(tree), rel, sizeof(rel)), -1);
	assert_int_equal(oc_dbg_tree_of("/a/usr/lib/debug/boot/vmlinux-", tree, sizeof(tree),
					rel, sizeof(rel)), -1);
	assert_int_equal(oc_dbg_tree_of("/a/usr/lib/debug/boot/vmlinux-R/x", tree, sizeof(tree),
					rel, sizeof(rel)), -1);
	assert_int_equal(oc_dbg_tree_of("/a/xusr/lib/debug/boot/vmlinux-R", tree, sizeof(tree),
					rel, sizeof(rel)), -1);
	assert_int_equal(oc_dbg_tree_of("/a/usr/lib/debug/boot/vmlinux-..", tree, sizeof(tree),
					rel, sizeof(rel)), -1);
	/* short buffers refuse instead of truncating */
	assert_int_equal(oc_dbg_tree_of("/a-long-tree-name/usr/lib/debug/boot/vmlinux-R",
					tree, 8, rel, sizeof(rel)), -1);
	assert_int_equal(oc_dbg_tree_of("/a/usr/lib/debug/boot/vmlinux-6.1.0-56-cloud-amd64",
					tree, sizeof(tree), rel, 4), -1);
}

static void test_build_id_path(void **state)
{
	char p[128];

	(void)state;
	assert_int_equal(oc_build_id_path("", "39f38ca305cf", p, sizeof(p)), 0);
	assert_string_equal(p, "/usr/lib/debug/.build-id/39/f38ca305cf.debug");
	assert_int_equal(oc_build_id_path("/t", "39f38ca305cf", p, sizeof(p)), 0);
	assert_string_equal(p, "/t/usr/lib/debug/.build-id/39/f38ca305cf.debug");
	assert_int_equal(oc_build_id_path("", "39", p, sizeof(p)), -1);
	assert_int_equal(oc_build_id_path("", "39f38ca305cf", p, 20), -1);
}

static void test_names_module(void **state)
{
	(void)state;
	assert_true(oc_names_module("openvswitch.ko", "openvswitch"));
	assert_true(oc_names_module("openvswitch.ko.debug", "openvswitch"));
	assert_true(oc_names_module("openvswitch.ko.zst", "openvswitch"));
	assert_true(oc_names_module("nf-conntrack.ko", "nf_conntrack"));
	assert_false(oc_names_module("openvswitch.ko.gz", "openvswitch"));
	assert_false(oc_names_module("openvswitch", "openvswitch"));
	assert_false(oc_names_module("open", "openvswitch"));
}

struct hits {
	int n;
	char path[16][PATH_MAX];
};

static void on_found(void *arg, const char *path)
{
	struct hits *h = arg;

	if (h->n < 16)
		snprintf(h->path[h->n], sizeof(h->path[0]), "%s", path);
	h->n++;
}

static void mkfile(const char *dir, const char *name)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static void test_walk(void **state)
{
	char top[] = "/tmp/oc-walk-XXXXXX", root[64], out[64], p[256], cmd[128];
	struct oc_walk w = { 0 };
	struct hits h = { 0 };
	int i;

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(out, sizeof(out), "%s/outside", top);
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(mkdir(out, 0700), 0);
	/* one module file at depth 2, one outside root reached by a
	 * directory symlink (not followed), a loop back to root (inside:
	 * followed, bounded by depth), and one below the depth bound */
	snprintf(p, sizeof(p), "%s/a", root);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b", root);
	assert_int_equal(mkdir(p, 0700), 0);
	mkfile(p, "openvswitch.ko");
	mkfile(p, "veth.ko");
	mkfile(out, "openvswitch.ko");
	snprintf(p, sizeof(p), "%s/out", root);
	assert_int_equal(symlink(out, p), 0);
	snprintf(p, sizeof(p), "%s/a/loop", root);
	assert_int_equal(symlink("..", p), 0);
	snprintf(p, sizeof(p), "%s/d", root);
	for (i = 0; i < 9; i++) {
		assert_int_equal(mkdir(p, 0700), 0);
		strcat(p, "/d");
	}
	mkfile(root, "openvswitch.ko.debug");

	w.max_depth = 3;
	assert_int_equal(oc_find_module_files(root, "openvswitch", &w, on_found, &h), 0);
	/* "out" is met at root: never entered; a/loop is root again:
	 * not walked a second time */
	assert_int_equal(w.links_skipped, 1);
	assert_int_equal(w.loops_skipped, 1);
	assert_int_equal(w.truncated, 0);
	assert_true(w.deep_skipped >= 1);
	/* root/openvswitch.ko.debug and a/b/openvswitch.ko, once each;
	 * none of them outside root */
	assert_int_equal(h.n, 2);
	for (i = 0; i < h.n && i < 16; i++) {
		char *r = realpath(h.path[i], NULL);

		assert_non_null(r);
		assert_int_equal(strncmp(r, top, strlen(top)), 0);
		assert_null(strstr(r, "/outside/"));
		free(r);
	}

	/* the entries bound stops the walk */
	for (i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "f%02d", i);
		mkfile(root, p);
	}
	memset(&w, 0, sizeof(w));
	memset(&h, 0, sizeof(h));
	w.max_entries = 10;
	assert_int_equal(oc_find_module_files(root, "openvswitch", &w, on_found, &h), 0);
	assert_int_equal(w.truncated, 1);
	assert_int_equal(w.entries, 10);

	/* not a directory */
	snprintf(p, sizeof(p), "%s/a/b/veth.ko", root);
	assert_int_equal(oc_find_module_files(p, "openvswitch", &w, on_found, &h), -1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

/*
 * Two links back to the root in every directory: followed blindly (as
 * before) that is 2^depth walks of the tree; entered once per directory,
 * the walk looks at each entry once.
 */
static void test_walk_loops(void **state)
{
	char top[] = "/tmp/oc-walk-XXXXXX", p[256], cmd[128];
	struct oc_walk w = { 0 };
	struct hits h = { 0 };

	(void)state;
	assert_non_null(mkdtemp(top));
	snprintf(p, sizeof(p), "%s/x", top);
	assert_int_equal(symlink(".", p), 0);
	snprintf(p, sizeof(p), "%s/y", top);
	assert_int_equal(symlink(top, p), 0);
	snprintf(p, sizeof(p), "%s/sub", top);
	assert_int_equal(mkdir(p, 0700), 0);
	mkfile(p, "openvswitch.ko");
	snprintf(p, sizeof(p), "%s/sub/up", top);
	assert_int_equal(symlink("..", p), 0);
	assert_int_equal(oc_find_module_files(top, "openvswitch", &w, on_found, &h), 0);
	/* x, y, sub; sub/openvswitch.ko, sub/up */
	assert_int_equal(w.entries, 5);
	assert_int_equal(w.loops_skipped, 3);
	assert_int_equal(h.n, 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

/* /proc, /sys, /dev are not walked, whether the root or reached by a
 * link from inside (a bind of /proc under the root looks inside); a link
 * to a /proc file named like a module is no candidate */
static void test_walk_pseudo(void **state)
{
	char top[] = "/tmp/oc-walk-XXXXXX", p[256], cmd[128];
	struct oc_walk w = { 0 };
	struct hits h = { 0 };
	static const char *const roots[] = { "/proc", "/sys", "/dev", "/proc/self/fd" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		memset(&w, 0, sizeof(w));
		assert_int_equal(oc_find_module_files(roots[i], "openvswitch", &w, on_found, &h), 0);
		assert_int_equal(w.pseudo_skipped, 1);
		assert_int_equal(w.entries, 0);
	}
	assert_non_null(mkdtemp(top));
	snprintf(p, sizeof(p), "%s/openvswitch.ko", top);
	assert_int_equal(symlink("/proc/self/status", p), 0);
	memset(&w, 0, sizeof(w));
	assert_int_equal(oc_find_module_files(top, "openvswitch", &w, on_found, &h), 0);
	assert_int_equal(w.pseudo_skipped, 1);
	assert_int_equal(h.n, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int oc_test_debugpath(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dbg_tree),
		cmocka_unit_test(test_build_id_path),
		cmocka_unit_test(test_names_module),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_walk_loops),
		cmocka_unit_test(test_walk_pseudo),
	};

	return cmocka_run_group_tests_name("debugpath", tests, NULL, NULL);
}
