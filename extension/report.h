/* SPDX-License-Identifier: GPL-2.0 */
/* report.h - shared output helpers: escaped names, JSON records */
#ifndef OVSCRASH_REPORT_H
#define OVSCRASH_REPORT_H

#include <json-c/json.h>
#include "netdev.h"
#include "ovs.h"
#include "picktx.h"

/* untrusted name bytes -> printable text */
const char *oc_name(const unsigned char *raw, char *buf, size_t n);

json_object *oc_json_netdev(const struct oc_netdev *nd);
json_object *oc_json_vport(const struct oc_ovs *o, const struct oc_vport *vp);
json_object *oc_json_datapath(const struct oc_datapath *dp);
/* gdb_delta: picktx.gdb_off_delta, to print gdb/DWARF's offset too */
json_object *oc_json_spin(const struct oc_spin *s, long gdb_delta);
json_object *oc_json_hex(uint64_t v);
/* print one JSON document to crash's output and free it */
void oc_json_print(json_object *doc);

#endif
