// SPDX-License-Identifier: GPL-2.0
/*
 * verdict_out.c - the one rendering of a verdict (text and JSON), shared
 * by crash's `triage` and `ovscrash-log`.  Every string in findings and
 * verdict is already printable (escaped where it came from the dump or
 * the log), so JSON gets it as is.
 */
#include <json-c/json.h>
#include <string.h>

#include "verdict_out.h"

static struct json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

static struct json_object *tri(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

static struct json_object *panic_json(const struct oc_findings *f)
{
	struct json_object *o;

	if (!f->panic_kind[0])
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(f->panic_kind));
	json_object_object_add(o, "where", str_or_null(f->panic_where));
	json_object_object_add(o, "function", str_or_null(f->panic_func));
	json_object_object_add(o, "module", str_or_null(f->panic_mod));
	json_object_object_add(o, "cpu", str_or_null(f->panic_cpu_text));
	json_object_object_add(o, "bucket", str_or_null(f->panic_bucket));
	json_object_object_add(o, "bucket_functions", str_or_null(f->panic_bucket_desc));
	return o;
}

int oc_verdict_json(struct json_object *doc, const struct oc_findings *f,
		    const struct oc_verdict *v)
{
	struct json_object *ev = json_object_new_array(), *cv = json_object_new_array();
	struct json_object *fx = json_object_new_array(), *fj = json_object_new_array();
	struct json_object *st = json_object_new_object(), *tp = json_object_new_object(), *k;
	int i;

	if (!ev || !cv || !fx || !fj || !st || !tp)
		return -1;
	json_object_object_add(doc, "verdict", json_object_new_string(oc_verdict_kind_name(v->kind)));
	json_object_object_add(doc, "signature", json_object_new_string(v->signature));
	json_object_object_add(doc, "summary", json_object_new_string(v->summary));
	json_object_object_add(doc, "confidence", json_object_new_int(v->confidence));
	json_object_object_add(doc, "log_problem", str_or_null(f->log_problem));
	for (i = 0; i < v->nevidence; i++) {
		k = json_object_new_object();
		json_object_object_add(k, "text", json_object_new_string(v->evidence[i].text));
		json_object_object_add(k, "command", str_or_null(v->evidence[i].cmd));
		json_object_array_add(ev, k);
	}
	json_object_object_add(doc, "evidence", ev);
	for (i = 0; i < v->ncaveats; i++)
		json_object_array_add(cv, json_object_new_string(v->caveats[i]));
	json_object_object_add(doc, "caveats", cv);
	for (i = 0; i < v->nfixes; i++) {
		k = json_object_new_object();
		json_object_object_add(k, "commit", json_object_new_string(v->fixes[i].commit));
		json_object_object_add(k, "subject", json_object_new_string(v->fixes[i].subject));
		json_object_array_add(fx, k);
		if (i >= 2)
			continue;
		k = json_object_new_object();
		json_object_object_add(k, "commit", json_object_new_string(v->fixes[i].commit));
		json_object_object_add(k, "check", json_object_new_string(v->fixes[i].check));
		json_object_object_add(k, "would_stop", tri(v->judged[i].would_stop));
		json_object_object_add(k, "present", tri(v->judged[i].present));
		json_object_object_add(k, "why", str_or_null(v->judged[i].why));
		json_object_array_add(fj, k);
	}
	json_object_object_add(doc, "fixes", fx);
	json_object_object_add(doc, "fixes_judged", fj);
	json_object_object_add(st, "reg_state", str_or_null(f->dev_reg_state));
	json_object_object_add(st, "state", str_or_null(f->dev_state));
	json_object_object_add(st, "running", tri(f->dev_running));
	json_object_object_add(st, "carrier", tri(f->dev_carrier));
	json_object_object_add(st, "words", str_or_null(v->state_words));
	json_object_object_add(doc, "device_state", st);
	json_object_object_add(tp, "ovs", tri(f->ovs_path));
	json_object_object_add(tp, "other", str_or_null(f->other_path));
	json_object_object_add(tp, "frames", str_or_null(f->path));
	json_object_object_add(tp, "source", str_or_null(f->path_source));
	json_object_object_add(tp, "command", str_or_null(f->cmd_path));
	json_object_object_add(doc, "transmit_path", tp);
	json_object_object_add(doc, "panic_signature", panic_json(f));
	return 0;
}

void oc_verdict_text(FILE *fp, const struct oc_findings *f,
		     const struct oc_verdict *v)
{
	int i;

	fprintf(fp, "VERDICT: %s%s\n", v->kind == OC_V_NOT_THIS_BUG ? "not this bug: " : "",
		v->summary);
	fprintf(fp, "  SIGNATURE: %s   CONFIDENCE: %d%%\n", v->signature, v->confidence);
	if (f->tenant[0])
		fprintf(fp, "  TENANT: %s\n", f->tenant);
	if (f->panic_kind[0])
		fprintf(fp, "  PANIC KIND: %s%s%s   BUCKET: %s\n", f->panic_kind,
			f->panic_where[0] ? " at " : "", f->panic_where,
			f->panic_bucket[0] ? f->panic_bucket : "-");
	if (f->log_problem[0])
		fprintf(fp, "  PANIC: (unknown: %s)\n\nEVIDENCE:\n", f->log_problem);
	else
		fprintf(fp, "  PANIC: %s\n\nEVIDENCE:\n",
			f->panic_string[0] ? f->panic_string : "(none)");
	for (i = 0; i < v->nevidence; i++) {
		fprintf(fp, "  %2d. %s\n", i + 1, v->evidence[i].text);
		if (v->evidence[i].cmd[0])
			fprintf(fp, "      crash> %s\n", v->evidence[i].cmd);
	}
	for (i = 0; i < v->ncaveats; i++)
		fprintf(fp, "  CAVEAT: %s\n", v->caveats[i]);
	if (v->nfixes) {
		fprintf(fp, "\nFIXED BY:\n");
		for (i = 0; i < v->nfixes; i++) {
			const struct oc_fix_judgement *j = i < 2 ? &v->judged[i] : NULL;

			fprintf(fp, "  %s (\"%s\")\n", v->fixes[i].commit, v->fixes[i].subject);
			if (j && j->fix)
				fprintf(fp, "      adds %s; on this state: %s; in this build: %s\n",
					v->fixes[i].check,
					j->would_stop < 0 ? "unknown" :
					j->would_stop ? "would stop it" : "would NOT stop it",
					j->present < 0 ? "unknown" : j->present ? "present" : "ABSENT");
		}
	}
}
