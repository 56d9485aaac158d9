/* SPDX-License-Identifier: GPL-2.0 */
/*
 * verdict_out.h - the one rendering of a verdict, shared by crash's
 * `triage` and the log-only `ovscrash-log`: text in crash's style and one
 * JSON object (json-c).  Strings from the dump or the log are escaped
 * here (text: oc_escape_text; JSON: json-c's own escaping of the raw
 * bytes made valid UTF-8 by oc_escape_json).
 */
#ifndef OC_VERDICT_OUT_H
#define OC_VERDICT_OUT_H

#include <stdio.h>

#include "verdict.h"

struct json_object;

/*
 * Add the verdict's members to @doc: verdict, signature, summary,
 * confidence, evidence[], caveats[], fixes[], fixes_judged[], state,
 * transmit_path, panic_signature.  Returns 0 or -1 (allocation).
 */
int oc_verdict_json(struct json_object *doc, const struct oc_findings *f,
		    const struct oc_verdict *v);

/* VERDICT/SIGNATURE/SUMMARY/EVIDENCE/CAVEATS/FIXES lines, as in triage. */
void oc_verdict_text(FILE *fp, const struct oc_findings *f,
		     const struct oc_verdict *v);

#endif /* OC_VERDICT_OUT_H */
