// SPDX-License-Identifier: GPL-2.0
/*
 * out_tasks.c - the task/cgroup index (tasks.c) as the hidden `ovstasks`
 * command prints it: every namespace that has tasks, its tasks and their
 * cgroups, for tests and for looking at the index before `netns` uses it.
 * Text or one JSON document; every string read from the dump escaped.
 */
#include "defs.h"
#include "out_tasks.h"
#include "tasks.h"
#include "../core/cgname.h"
#include "../core/strutil.h"

#include <json-c/json.h>
#include <string.h>

/* the namespace's ns.inum, 0 unknown */
static unsigned int net_inum(oc_addr net)
{
	uint32_t v;

	oc_offsets_resolve();
	if (!OC_HAVE(net_ns) || !OC_HAVE(ns_inum) ||
	    oc_read_u32(net + oc_off.net_ns + oc_off.ns_inum, &v))
		return 0;
	return v;
}

static const char *esc(const unsigned char *raw, size_t max, char *buf, size_t n)
{
	oc_escape_text(raw, strnlen((const char *)raw, max), buf, n);
	return buf;
}

static json_object *json_task(const struct oc_net_task *t)
{
	json_object *o = json_object_new_object(), *cgs = json_object_new_array();
	char b[4 * OC_CG_PATH + 1], ten[160];
	int i;

	snprintf(b, sizeof(b), "0x%lx", t->task);
	json_object_object_add(o, "task", json_object_new_string(b));
	json_object_object_add(o, "pid", json_object_new_int(t->pid));
	json_object_object_add(o, "comm", json_object_new_string(
		esc(t->comm, sizeof(t->comm), b, sizeof(b))));
	for (i = 0; i < t->n_cgroups; i++) {
		const struct oc_task_cgroup *g = &t->cgroups[i];
		json_object *c = json_object_new_object();

		json_object_object_add(c, "hierarchy",
				       json_object_new_string(g->hierarchy));
		esc(g->path, sizeof(g->path), b, sizeof(b));
		json_object_object_add(c, "path", json_object_new_string(b));
		json_object_object_add(c, "tenant", oc_cg_tenant(b, ten, sizeof(ten)) ?
				       json_object_new_string(ten) : NULL);
		json_object_array_add(cgs, c);
	}
	json_object_object_add(o, "cgroups", cgs);
	return o;
}

static void print_json(json_object *doc)
{
	fprintf(fp, "%s\n", json_object_to_json_string_ext(doc,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

static json_object *json_stats(const struct oc_tasks_stats *st)
{
	json_object *s = json_object_new_object();

	json_object_object_add(s, "tasks", json_object_new_int(st->tasks));
	json_object_object_add(s, "leaders", json_object_new_int(st->leaders));
	json_object_object_add(s, "no_nsproxy", json_object_new_int(st->no_nsproxy));
	json_object_object_add(s, "unreadable", json_object_new_int(st->unreadable));
	json_object_object_add(s, "indexed", json_object_new_int(st->indexed));
	json_object_object_add(s, "namespaces", json_object_new_int(st->namespaces));
	json_object_object_add(s, "warning", st->warn[0] ?
			       json_object_new_string(st->warn) : NULL);
	return s;
}

static void text_net(const struct oc_net_tasks *nt)
{
	char b[4 * OC_CG_PATH + 1], ten[160];
	int k, c;

	fprintf(fp, "net 0x%lx inode %u tasks %d%s%s\n", nt->net,
		net_inum(nt->net), nt->total, nt->err[0] ? "  ERROR " : "",
		nt->err);
	for (k = 0; k < nt->n; k++) {
		const struct oc_net_task *t = &nt->t[k];

		fprintf(fp, "  pid %d comm \"%s\" task 0x%lx\n", t->pid,
			esc(t->comm, sizeof(t->comm), b, sizeof(b)), t->task);
		for (c = 0; c < t->n_cgroups; c++) {
			const struct oc_task_cgroup *g = &t->cgroups[c];
			int has = oc_cg_tenant((const char *)g->path, ten,
					       sizeof(ten));

			esc(g->path, sizeof(g->path), b, sizeof(b));
			fprintf(fp, "    cgroup %s %s%s%s\n",
				g->hierarchy[0] ? g->hierarchy : "v2", b,
				has ? "  " : "", has ? ten : "");
		}
	}
	if (nt->total > nt->n)
		fprintf(fp, "  +%d more\n", nt->total - nt->n);
}

static json_object *json_net(const struct oc_net_tasks *nt)
{
	json_object *o = json_object_new_object(), *ts = json_object_new_array();
	char b[32];
	int k;

	snprintf(b, sizeof(b), "0x%lx", nt->net);
	json_object_object_add(o, "net", json_object_new_string(b));
	json_object_object_add(o, "inode", json_object_new_int64(net_inum(nt->net)));
	json_object_object_add(o, "total", json_object_new_int(nt->total));
	for (k = 0; k < nt->n; k++)
		json_object_array_add(ts, json_task(&nt->t[k]));
	json_object_object_add(o, "tasks", ts);
	json_object_object_add(o, "error", nt->err[0] ?
			       json_object_new_string(nt->err) : NULL);
	return o;
}

void oc_tasks_print(int json, int stats_only)
{
	struct oc_tasks_stats st;
	struct oc_net_tasks *nt;
	const oc_addr *nets;
	json_object *doc = NULL, *arr = NULL;
	char err[160];
	int n, i;

	n = oc_tasks_nets(&nets, err, sizeof(err));
	if (n < 0) {
		if (!json) {
			fprintf(fp, "ovstasks: %s\n", err);
			return;
		}
		doc = json_object_new_object();
		json_object_object_add(doc, "error", json_object_new_string(err));
		print_json(doc);
		return;
	}
	oc_tasks_stats(&st, err, sizeof(err));
	if (json) {
		doc = json_object_new_object();
		json_object_object_add(doc, "stats", json_stats(&st));
		json_object_object_add(doc, "error", NULL);
	} else {
		fprintf(fp, "tasks %d, thread group leaders %d (no nsproxy %d, "
			"unreadable %d), %d indexed in %d namespaces\n", st.tasks,
			st.leaders, st.no_nsproxy, st.unreadable, st.indexed,
			st.namespaces);
		if (st.warn[0])
			fprintf(fp, "WARNING: %s%s\n", st.warn, st.unreadable > 1 ?
				" (and more: see the unreadable count)" : "");
	}
	if (stats_only) {
		if (json)
			print_json(doc);
		return;
	}
	/* malloc, not GETBUF (see cmd_picktx) */
	if (!(nt = malloc(sizeof(*nt)))) {
		json_object_put(doc);
		error(FATAL, "ovstasks: out of memory\n");
	}
	if (json)
		arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		oc_tasks_of_net(nets[i], nt);
		if (json)
			json_object_array_add(arr, json_net(nt));
		else
			text_net(nt);
	}
	free(nt);
	if (json) {
		json_object_object_add(doc, "netns", arr);
		print_json(doc);
	}
}
