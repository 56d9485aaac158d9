// SPDX-License-Identifier: GPL-2.0
/*
 * dwcheck.c - decide what a function's compiled code does by reading its
 * DWARF with libdw: the inlined subroutines and call sites under it.
 */
#include "dwcheck.h"

#include <elfutils/libdw.h>
#include <dwarf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	struct ctx c = { callees, ncallees, present, 1000000 };
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf *dw;
	int fd, found = 0, i;

	for (i = 0; i < ncallees; i++)
		present[i] = 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(err, errsz, "%s: cannot open", path);
		return -1;
	}
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		snprintf(err, errsz, "%s: no DWARF (%s)", path, dwarf_errmsg(-1));
		close(fd);
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
				if (!name) {	/* concrete out-of-line instance */
					name = origin_name(&child);
				}
				if (!name || strcmp(name, func) || !dwarf_hasattr(&child, DW_AT_low_pc))
					continue;
				scan(&child, &c, 0);
				found = 1;
			} while (!found && dwarf_siblingof(&child, &child) == 0);
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	if (!found) {
		snprintf(err, errsz, "%s: no compiled instance of %s in DWARF", path, func);
		return -1;
	}
	return 0;
}
