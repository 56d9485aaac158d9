/* SPDX-License-Identifier: GPL-2.0 */
/*
 * target.h - the one door between ovscrash and crash: offsets resolved
 * from debuginfo (once, checked), bounded quiet reads, symbols, running
 * crash commands with their output captured, and a guard so an
 * error(FATAL) inside crash cannot abort a walk.
 */
#ifndef OVSCRASH_TARGET_H
#define OVSCRASH_TARGET_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

typedef unsigned long oc_addr;

/* Offsets of every struct member ovscrash reads.  -1 = absent in this
 * kernel; users check with OC_HAVE() and degrade with a stated reason. */
struct oc_offsets {
	int resolved;
	/* struct net_device */
	long nd_name, nd_state, nd_dev_list, nd_ifindex, nd_flags, nd_priv_flags,
	     nd_netdev_ops, nd_reg_state, nd_reg_state_size, nd_num_tx_queues,
	     nd_real_num_tx_queues, nd_num_rx_queues, nd_real_num_rx_queues,
	     nd_operstate, nd_rx_handler, nd_rx_handler_data, nd_nd_net,
	     nd_pcpu_refcnt, nd_dev_refcnt, nd_adj_list, nd_todo_list,
	     nd_rtnl_link_ops;
	long adjl_upper;		/* net_device.adj_list.upper (in adj_list) */
	long nadj_dev, nadj_master, nadj_list;	/* struct netdev_adjacent */
	/* struct net */
	long net_list, net_dev_base_head, net_ns, net_gen, ns_inum;
	long gen_len, gen_ptr;		/* struct net_generic */
	/* OVS (module debuginfo) */
	long ovsnet_dps, dp_list_node, dp_ports, dp_net, vport_dev, vport_dp,
	     vport_port_no, vport_dp_hash_node, vport_ops, vops_type;
	int ovs_resolved;
	/* struct module (build-id verification) */
	long mod_notes_attrs, mna_notes, mna_attrs, binattr_size, binattr_private,
	     binattr_sizeof;
	/* struct module.sect_attrs (section addresses, for data symbols of
	 * modules when the kernel lacks CONFIG_KALLSYMS_ALL) */
	long mod_sect_attrs, msas_nsections, msas_attrs, msa_address, msa_name, msa_sizeof;
};

extern struct oc_offsets oc_off;

#define OC_HAVE(f)	(oc_off.f >= 0)

void oc_offsets_resolve(void);
/* offsetof(struct @type, @member) from debuginfo, -1 absent; @member may
 * be a path ("ns.count") or sit in an anonymous union ("len" of qstr):
 * what crash's tables do not resolve is asked of gdb */
long oc_member_path_offset(const char *type, const char *member);
int oc_ovs_offsets_resolve(char *why, size_t n);

/* reads: 0 on success, -1 on failure (never FATAL) */
int oc_read(oc_addr addr, void *buf, long size, const char *what);
int oc_read_ulong(oc_addr addr, oc_addr *val);
int oc_read_u32(oc_addr addr, uint32_t *val);
int oc_read_u16(oc_addr addr, uint16_t *val);
int oc_read_u8(oc_addr addr, uint8_t *val);
int oc_read_int_sized(oc_addr addr, long size, long *val);
int oc_is_kvaddr(oc_addr addr);

/* symbols */
int oc_sym_exists(const char *name);
oc_addr oc_sym_value(const char *name);
/* "sym+off" into buf or "" when addr is not near a symbol; returns buf */
const char *oc_addr_to_sym(oc_addr addr, char *buf, size_t n);
/* For a pointer to data: the exact symbol, "[module]" when it points into
 * a module whose data symbols crash does not know (no KALLSYMS_ALL), else
 * sym+off; returns buf */
const char *oc_data_sym(oc_addr addr, char *buf, size_t n);
int oc_enum_value(const char *name, long *val);

/* Run a crash command line, capturing its output (malloc'd, NUL
 * terminated, caller frees) and guarding against error(FATAL).
 * Returns 0 if the command completed, -1 if it failed. */
int oc_run(const char *cmdline, char **out);
/* The dump's kernel log (crash's `log`), read once per session and kept:
 * picktx and triage both parse it.  NULL if it cannot be read. */
const char *oc_log_text(void);
/* 1 and @why when the kernel log could not be read or holds nothing
 * (naming what of the printk ring is damaged, when it can tell); else 0 */
int oc_log_problem(char *why, size_t n);

/* Run a gdb command (crash's embedded gdb) with its output captured;
 * 0 on success. */
int oc_gdb(const char *cmdline, char **out);

/* information about the session */
const char *oc_kernel_release(void);
const char *oc_namelist(void);
const char *oc_dumpfile(void);
const char *oc_crash_version(void);
const char *oc_machine(void);	/* "x86_64" / "arm64" (crash's MACHINE_TYPE) */
int oc_cpu_count(void);
oc_addr oc_percpu_offset(int cpu);

/* crash's task table: every task of the dump (threads and each CPU's
 * idle task included), by index 0 .. oc_task_count()-1 */
struct oc_task_ref {
	oc_addr task;			/* struct task_struct */
	long pid;
	unsigned char comm[17];		/* raw untrusted bytes, NUL-terminated */
};
int oc_task_count(void);
int oc_task_get(int i, struct oc_task_ref *t);

/* a member's offset/size, a struct's size, asked of the debuginfo by
 * name (for a walker's own offsets, tasks.c); -1 when absent */
long oc_member_offset(const char *st, const char *mb);
long oc_member_size(const char *st, const char *mb);
long oc_struct_size(const char *st);
int oc_panic_cpu(void);		/* -1 unknown */
const char *oc_panic_string(char *buf, size_t n);

/* module lookup: 0 if loaded in the dump; *symbols_loaded set */
int oc_module_info(const char *name, oc_addr *mod, oc_addr *base, int *symbols_loaded,
		   char *namelist, size_t n);

#define OC_MAX_WALK	65536	/* bound for every list walk */

#endif
