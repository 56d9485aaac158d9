// SPDX-License-Identifier: GPL-2.0
/*
 * dwcheck.c - decide what a function's compiled code does by reading its
 * DWARF with libdw: the inlined subroutines and call sites under it.
 * Kernel modules are relocatable objects whose .debug_* sections need
 * their relocations applied before names read right: libdwfl's offline
 * reporting does that.
 */
#include "dwcheck.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include <stdio.h>
#include <string.h>

struct ctx {
	const char *const *callees;
	int n;
	int *present;
	int budget;
};

static const char *origin_name(Dwarf_Die *die)
{
	Dwarf_Attribute at;
	Dwarf_Die origin;

	if (dwarf_attr(die, DW_AT_abstract_origin, &at) && dwarf_formref_die(&at, &origin))
		return dwarf_diename(&origin);
	if ((dwarf_attr(die, DW_AT_call_origin, &at) || dwarf_attr(die, DW_AT_abstract_origin, &at)) &&
	    dwarf_formref_die(&at, &origin))
		return dwarf_diename(&origin);
	return dwarf_diename(die);
}

static void scan(Dwarf_Die *die, struct ctx *c, int depth)
{
	Dwarf_Die child;

	if (depth > 64 || dwarf_child(die, &child) != 0)
		return;
	do {
		int tag = dwarf_tag(&child);

		if (--c->budget < 0)
			return;
		if (tag == DW_TAG_inlined_subroutine || tag == DW_TAG_call_site ||
		    tag == DW_TAG_GNU_call_site) {
			Dwarf_Attribute at;
			Dwarf_Die origin;
			const char *name = NULL;
			int i;

			if (tag == DW_TAG_inlined_subroutine)
				name = origin_name(&child);
			else if ((dwarf_attr(&child, DW_AT_call_origin, &at) ||
				  dwarf_attr(&child, DW_AT_abstract_origin, &at)) &&
				 dwarf_formref_die(&at, &origin))
				name = dwarf_diename(&origin);
			for (i = 0; name && i < c->n; i++)
				if (!strcmp(name, c->callees[i]))
					c->present[i] = 1;
		}
		scan(&child, c, depth + 1);
	} while (dwarf_siblingof(&child, &child) == 0);
}

int oc_dwarf_func_uses(const char *path, const char *func, const char *const *callees,
		       int ncallees, int *present, char *err, size_t errsz)
{
	static const Dwfl_Callbacks cbs = {
		.find_debuginfo = dwfl_standard_find_debuginfo,
		.section_address = dwfl_offline_section_address,
	};
	struct ctx c = { callees, ncallees, present, 1000000 };
	Dwarf_Off off = 0, next;
	Dwarf_Addr bias;
	size_t hsize;
	Dwfl_Module *mod;
	Dwfl *dwfl;
	Dwarf *dw;
	int found = 0, i;

	for (i = 0; i < ncallees; i++)
		present[i] = 0;
	dwfl = dwfl_begin(&cbs);
	if (!dwfl) {
		snprintf(err, errsz, "libdwfl: %s", dwfl_errmsg(-1));
		return -1;
	}
	mod = dwfl_report_offline(dwfl, "", path, -1);
	dwfl_report_end(dwfl, NULL, NULL);
	if (!mod || !(dw = dwfl_module_getdwarf(mod, &bias))) {
		snprintf(err, errsz, "%s: no DWARF (%s)", path, dwfl_errmsg(-1));
		dwfl_end(dwfl);
		return -1;
	}
	while (!found && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;

		if (dwarf_offdie(dw, off + hsize, &cu) && dwarf_child(&cu, &child) == 0) {
			do {
				const char *name;

				if (dwarf_tag(&child) != DW_TAG_subprogram)
					continue;
				name = dwarf_diename(&child);
				if (!name)	/* concrete out-of-line instance */
					name = origin_name(&child);
				if (!name || strcmp(name, func) ||
				    !(dwarf_hasattr(&child, DW_AT_low_pc) ||
				      dwarf_hasattr(&child, DW_AT_ranges)))
					continue;
				scan(&child, &c, 0);
				found = 1;
			} while (!found && dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	dwfl_end(dwfl);
	if (!found) {
		snprintf(err, errsz, "%s: no compiled instance of %s in DWARF", path, func);
		return -1;
	}
	return 0;
}
