// SPDX-License-Identifier: GPL-2.0
/*
 * target.c - everything ovscrash asks of crash goes through here.
 */
#include "defs.h"
#include "target.h"
#include "session.h"
#include "../core/addrmap.h"

#include <string.h>
#include <stdlib.h>

struct oc_offsets oc_off;

/* offsetof() of a nested member such as "net_device", "adj_list.upper",
 * asked of gdb; -1 when gdb cannot resolve it. */
static long gdb_offsetof(const char *type, const char *path)
{
	char cmd[256], *out = NULL, *p;
	long v = -1;

	/* "p/x" is split by crash's command loop, not by parse_line: use -x */
	snprintf(cmd, sizeof(cmd), "p -x (unsigned long)&((struct %s *)0)->%s", type, path);
	if (oc_run(cmd, &out) == 0 && out && (p = strstr(out, "= 0x")))
		v = strtol(p + 2, NULL, 16);
	free(out);
	return v;
}

/*
 * A bitfield member (net_device.reg_state is `enum ... reg_state:8` up to
 * 6.7, a u8 since): MEMBER_SIZE gives the enum's 4 bytes, which on 5.10
 * take in the next fields (dismantle, rtnl_link_state) -- reg_state 2
 * read as 258.  Where DWARF says the member is a whole-byte bitfield,
 * read just its bytes.  Little-endian targets only (x86_64, arm64).
 */
static void oc_bitfield_span(const char *st, const char *mb, long *off,
			     long *size)
{
	struct struct_member_data smd = {
		.structure = (char *)st, .member = (char *)mb,
	};

	if (*off < 0 || !fill_struct_member_data(&smd) || smd.bitsize <= 0)
		return;
	if (smd.bitpos % 8 || smd.bitsize % 8 || smd.bitsize > 64)
		return;		/* not byte-aligned: leave the plain read */
	/* crash's bitpos counts from the member's byte offset */
	*off += smd.bitpos / 8;
	*size = smd.bitsize / 8;
}

long oc_member_path_offset(const char *type, const char *member)
{
	long v = strchr(member, '.') ? -1 :
		 MEMBER_OFFSET((char *)type, (char *)member);

	return v >= 0 ? v : gdb_offsetof(type, member);
}

void oc_offsets_resolve(void)
{
	struct oc_offsets *o = &oc_off;

	if (o->resolved)
		return;
	o->nd_name = MEMBER_OFFSET("net_device", "name");
	o->nd_state = MEMBER_OFFSET("net_device", "state");
	o->nd_dev_list = MEMBER_OFFSET("net_device", "dev_list");
	o->nd_ifindex = MEMBER_OFFSET("net_device", "ifindex");
	o->nd_flags = MEMBER_OFFSET("net_device", "flags");
	o->nd_priv_flags = MEMBER_OFFSET("net_device", "priv_flags");
	o->nd_netdev_ops = MEMBER_OFFSET("net_device", "netdev_ops");
	o->nd_reg_state = MEMBER_OFFSET("net_device", "reg_state");
	o->nd_reg_state_size = MEMBER_SIZE("net_device", "reg_state");
	oc_bitfield_span("net_device", "reg_state", &o->nd_reg_state,
			 &o->nd_reg_state_size);
	o->nd_num_tx_queues = MEMBER_OFFSET("net_device", "num_tx_queues");
	o->nd_real_num_tx_queues = MEMBER_OFFSET("net_device", "real_num_tx_queues");
	o->nd_num_rx_queues = MEMBER_OFFSET("net_device", "num_rx_queues");
	o->nd_real_num_rx_queues = MEMBER_OFFSET("net_device", "real_num_rx_queues");
	o->nd_operstate = MEMBER_OFFSET("net_device", "operstate");
	o->nd_rx_handler = MEMBER_OFFSET("net_device", "rx_handler");
	o->nd_rx_handler_data = MEMBER_OFFSET("net_device", "rx_handler_data");
	o->nd_nd_net = MEMBER_OFFSET("net_device", "nd_net");
	o->nd_pcpu_refcnt = MEMBER_OFFSET("net_device", "pcpu_refcnt");
	o->nd_dev_refcnt = MEMBER_OFFSET("net_device", "dev_refcnt");
	o->nd_adj_list = MEMBER_OFFSET("net_device", "adj_list");
	o->nd_todo_list = MEMBER_OFFSET("net_device", "todo_list");
	o->nd_rtnl_link_ops = MEMBER_OFFSET("net_device", "rtnl_link_ops");
	o->adjl_upper = gdb_offsetof("net_device", "adj_list.upper");
	o->nadj_dev = MEMBER_OFFSET("netdev_adjacent", "dev");
	o->nadj_master = MEMBER_OFFSET("netdev_adjacent", "master");
	o->nadj_list = MEMBER_OFFSET("netdev_adjacent", "list");

	o->net_list = MEMBER_OFFSET("net", "list");
	o->net_dev_base_head = MEMBER_OFFSET("net", "dev_base_head");
	o->net_ns = MEMBER_OFFSET("net", "ns");
	o->net_gen = MEMBER_OFFSET("net", "gen");
	o->ns_inum = MEMBER_OFFSET("ns_common", "inum");
	o->gen_len = MEMBER_OFFSET("net_generic", "len");
	o->gen_ptr = MEMBER_OFFSET("net_generic", "ptr");
	if (o->gen_len < 0)	/* s.len inside an anonymous union/struct */
		o->gen_len = gdb_offsetof("net_generic", "s.len");

	o->mod_notes_attrs = MEMBER_OFFSET("module", "notes_attrs");
	o->mna_notes = MEMBER_OFFSET("module_notes_attrs", "notes");
	o->mna_attrs = MEMBER_OFFSET("module_notes_attrs", "attrs");
	o->binattr_size = MEMBER_OFFSET("bin_attribute", "size");
	o->binattr_private = MEMBER_OFFSET("bin_attribute", "private");
	o->binattr_sizeof = STRUCT_SIZE("bin_attribute");
	o->mod_sect_attrs = MEMBER_OFFSET("module", "sect_attrs");
	o->msas_nsections = MEMBER_OFFSET("module_sect_attrs", "nsections");
	o->msas_attrs = MEMBER_OFFSET("module_sect_attrs", "attrs");
	o->msa_address = MEMBER_OFFSET("module_sect_attr", "address");
	o->msa_sizeof = STRUCT_SIZE("module_sect_attr");
	o->msa_name = gdb_offsetof("module_sect_attr", "battr.attr.name");
	o->ovs_resolved = 0;
	o->resolved = 1;
}

/* OVS types live in openvswitch.ko's debuginfo: call after loading it. */
int oc_ovs_offsets_resolve(char *why, size_t n)
{
	struct oc_offsets *o = &oc_off;

	o->ovsnet_dps = MEMBER_OFFSET("ovs_net", "dps");
	o->dp_list_node = MEMBER_OFFSET("datapath", "list_node");
	o->dp_ports = MEMBER_OFFSET("datapath", "ports");
	o->dp_net = MEMBER_OFFSET("datapath", "net");
	o->vport_dev = MEMBER_OFFSET("vport", "dev");
	o->vport_dp = MEMBER_OFFSET("vport", "dp");
	o->vport_port_no = MEMBER_OFFSET("vport", "port_no");
	o->vport_dp_hash_node = MEMBER_OFFSET("vport", "dp_hash_node");
	o->vport_ops = MEMBER_OFFSET("vport", "ops");
	o->vops_type = MEMBER_OFFSET("vport_ops", "type");
	if (o->ovsnet_dps < 0 || o->dp_list_node < 0 || o->dp_ports < 0 ||
	    o->vport_dev < 0 || o->vport_port_no < 0 || o->vport_dp_hash_node < 0) {
		snprintf(why, n, "struct ovs_net/datapath/vport members not in the debuginfo "
			 "(openvswitch.ko symbols not loaded or layout changed)");
		return -1;
	}
	o->ovs_resolved = 1;
	return 0;
}

int oc_is_kvaddr(oc_addr addr)
{
	return IS_KVADDR(addr);
}

/* one whole page for the running command's page cache (session.h) */
static int read_page(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return readmem(addr, KVADDR, buf, len, "ovscrash page",
		       RETURN_ON_ERROR | QUIET) ? 0 : -1;
}

/*
 * Through the running command's page cache: a walk reads each page
 * through crash once (one address translation, at most one page
 * decompression) however many fields it takes from it.  Not on a live
 * system, whose memory changes under the walk.  When a page cannot be
 * read whole, the span asked is read directly: a fault is found, and
 * reported, exactly as without the cache.
 */
int oc_read(oc_addr addr, void *buf, long size, const char *what)
{
	struct oc_pagecache *c = &oc_sess.pages;

	if (!IS_KVADDR(addr) || size < 0)
		return -1;
	if (!ACTIVE()) {
		if (!c->nslots)
			oc_pagecache_init(c, PAGESIZE(), OC_PAGECACHE_BYTES,
					  read_page, NULL);
		if (c->nslots && !oc_pagecache_read(c, addr, buf, size))
			return 0;
	}
	return readmem(addr, KVADDR, buf, size, (char *)what,
		       RETURN_ON_ERROR | QUIET) ? 0 : -1;
}

int oc_read_ulong(oc_addr addr, oc_addr *val)
{
	return oc_read(addr, val, sizeof(*val), "ulong");
}

int oc_read_u32(oc_addr addr, uint32_t *val)
{
	return oc_read(addr, val, sizeof(*val), "u32");
}

int oc_read_u16(oc_addr addr, uint16_t *val)
{
	return oc_read(addr, val, sizeof(*val), "u16");
}

int oc_read_u8(oc_addr addr, uint8_t *val)
{
	return oc_read(addr, val, sizeof(*val), "u8");
}

int oc_read_int_sized(oc_addr addr, long size, long *val)
{
	uint8_t b;
	uint16_t h;
	uint32_t w;
	uint64_t q;

	switch (size) {
	case 1: if (oc_read_u8(addr, &b)) return -1; *val = b; return 0;
	case 2: if (oc_read_u16(addr, &h)) return -1; *val = h; return 0;
	case 4: if (oc_read_u32(addr, &w)) return -1; *val = w; return 0;
	case 8: if (oc_read(addr, &q, 8, "u64")) return -1; *val = (long)q; return 0;
	}
	return -1;
}

/*
 * Symbol and enumerator lookups, each asked of crash once per session:
 * a module symbol is found by a linear search of every module's symbols
 * (a millisecond per name on a modest dump), an enumerator by a gdb
 * expression, an address by value_search() -- per device, that was most
 * of a walk's time.  What crash knows changes only when module symbols
 * are loaded or dropped (mod -s / mod -d, ovsmod), so every answer is
 * kept with the module table's generation and asked again when that
 * changes.
 */
#define OC_NAME_CACHE	64	/* names: a fixed few, from ovscrash's code */
#define OC_ADDR_CACHE	4096	/* addresses: ops, handlers (a damaged dump
				 * may hold one per device: then uncached) */

static struct {
	unsigned long gen;
	struct name_ans {
		char name[64];
		int kind;		/* 's' symbol, 'e' enumerator */
		int found;
		long value;
	} names[OC_NAME_CACHE];
	int nnames;
	struct oc_addrmap addrs;	/* address -> index into syms */
	char (*syms)[96];		/* value_search() answer, "" none */
	int naddrs;
} symc;

/* what crash knows of module symbols, as one number */
static unsigned long modsym_gen(void)
{
	unsigned long g = st->mods_installed + 1;
	int i;

	for (i = 0; i < st->mods_installed; i++) {
		struct load_module *lm = &st->load_modules[i];

		g = g * 1000003UL ^ lm->mod_flags;
		g = g * 1000003UL ^ (ulong)lm->mod_load_symtable;
		g = g * 1000003UL ^ (ulong)lm->mod_load_symcnt;
	}
	return g;
}

static void symc_check(void)
{
	unsigned long g = modsym_gen();

	if (g == symc.gen)
		return;
	symc.gen = g;
	symc.nnames = 0;
	symc.naddrs = 0;
	oc_addrmap_clear(&symc.addrs);
}

/* the cached answer for (kind, name), asked of crash if not there yet */
static struct name_ans *name_lookup(int kind, const char *name)
{
	struct name_ans a = { .kind = kind }, *e;
	int i;

	symc_check();
	for (i = 0; i < symc.nnames; i++)
		if (symc.names[i].kind == kind && !strcmp(symc.names[i].name, name))
			return &symc.names[i];
	if (kind == 's') {
		a.found = symbol_exists((char *)name);
		a.value = a.found ? (long)symbol_value((char *)name) : 0;
	} else {
		a.found = enumerator_value((char *)name, &a.value);
	}
	if (strlen(name) >= sizeof(a.name) || symc.nnames == OC_NAME_CACHE) {
		static struct name_ans uncached;

		uncached = a;
		return &uncached;
	}
	snprintf(a.name, sizeof(a.name), "%s", name);
	e = &symc.names[symc.nnames++];
	*e = a;
	return e;
}

int oc_sym_exists(const char *name)
{
	return name_lookup('s', name)->found;
}

oc_addr oc_sym_value(const char *name)
{
	struct name_ans *a = name_lookup('s', name);

	return a->found ? (oc_addr)a->value : 0;
}

static void addr_to_sym(oc_addr addr, char *buf, size_t n)
{
	struct syment *sp;
	ulong off = 0;

	buf[0] = '\0';
	if (!addr || !(sp = value_search(addr, &off)))
		return;
	if (off)
		snprintf(buf, n, "%s+%lu", sp->name, off);
	else
		snprintf(buf, n, "%s", sp->name);
}

const char *oc_addr_to_sym(oc_addr addr, char *buf, size_t n)
{
	char (*v)[96];
	int i;

	symc_check();
	if ((i = oc_addrmap_get(&symc.addrs, addr)) >= 0) {
		snprintf(buf, n, "%s", symc.syms[i]);
		return buf;
	}
	if (symc.naddrs == OC_ADDR_CACHE) {
		addr_to_sym(addr, buf, n);
		return buf;
	}
	if (!symc.syms && (v = malloc(OC_ADDR_CACHE * sizeof(*v))))
		symc.syms = v;
	if (!symc.syms || oc_addrmap_put(&symc.addrs, addr, symc.naddrs)) {
		addr_to_sym(addr, buf, n);
		return buf;
	}
	addr_to_sym(addr, symc.syms[symc.naddrs], sizeof(symc.syms[0]));
	snprintf(buf, n, "%s", symc.syms[symc.naddrs++]);
	return buf;
}

/* the module whose core allocation holds addr (crash's is_module_address()
 * only matches a module's base address) */
static const char *module_of(oc_addr addr)
{
	int i;

	for (i = 0; i < st->mods_installed; i++) {
		struct load_module *lm = &st->load_modules[i];

		if (addr >= lm->mod_base && addr < lm->mod_base + lm->mod_size)
			return lm->mod_name;
	}
	return NULL;
}

const char *oc_data_sym(oc_addr addr, char *buf, size_t n)
{
	const char *mod;

	oc_addr_to_sym(addr, buf, n);
	if (strchr(buf, '+') && (mod = module_of(addr)))
		snprintf(buf, n, "[%s]", mod);
	return buf;
}

int oc_enum_value(const char *name, long *val)
{
	struct name_ans *a = name_lookup('e', name);

	if (!a->found)
		return -1;
	*val = a->value;
	return 0;
}

const char *oc_log_text(void)
{
	static char *text;
	static int tried;

	if (!tried) {
		if (oc_run("log", &text)) {
			free(text);
			text = NULL;
		}
		tried = 1;	/* not before: a Ctrl-C in `log` tries again */
	}
	return text;
}

/* Is there a line with something on it? */
static int has_text(const char *s)
{
	for (; s && *s; s++)
		if (*s != '\n' && *s != ' ' && *s != '\t')
			return 1;
	return 0;
}

/*
 * The lockless printk ring (5.10+): the descriptor that head_id names
 * must carry head_id in its state_var (desc_reserve() writes it there);
 * 0 and @why naming the ring when it does not, or when it cannot be read.
 */
static int prb_check(char *why, size_t n)
{
	long dr = MEMBER_OFFSET("printk_ringbuffer", "desc_ring"),
	     bits_off = MEMBER_OFFSET("prb_desc_ring", "count_bits"),
	     descs_off = MEMBER_OFFSET("prb_desc_ring", "descs"),
	     head_off = MEMBER_OFFSET("prb_desc_ring", "head_id"),
	     sv_off = MEMBER_OFFSET("prb_desc", "state_var"),
	     dsize = STRUCT_SIZE("prb_desc");
	oc_addr prb_sym = oc_sym_value("prb"), prb, descs, head, sv, desc, id_mask;
	uint32_t bits;

	if (!prb_sym || dr < 0 || bits_off < 0 || descs_off < 0 || head_off < 0 ||
	    sv_off < 0 || dsize <= 0)
		return -1;	/* not the lockless ring: nothing to add */
	if (oc_read_ulong(prb_sym, &prb) ||
	    oc_read_u32(prb + dr + bits_off, &bits) ||
	    oc_read_ulong(prb + dr + descs_off, &descs) ||
	    oc_read_ulong(prb + dr + head_off, &head)) {
		snprintf(why, n, "printk ring prb (%lx) unreadable", prb_sym);
		return 0;
	}
	if (bits == 0 || bits > 30) {
		snprintf(why, n, "printk ring %lx: desc_ring.count_bits %u impossible",
			 prb, bits);
		return 0;
	}
	desc = descs + (head & ((1UL << bits) - 1)) * dsize;
	id_mask = ~(3UL << (sizeof(long) * 8 - 2));	/* state bits on top */
	if (oc_read_ulong(desc + sv_off, &sv)) {
		snprintf(why, n, "printk ring %lx: head descriptor at %lx unreadable",
			 prb, desc);
		return 0;
	}
	if ((sv & id_mask) != (head & id_mask)) {
		snprintf(why, n, "printk ring %lx: the head descriptor (descs %lx, entry %lx) "
			 "holds id %lu, not head_id %lu: descriptors damaged",
			 prb, descs, desc, sv & id_mask, head & id_mask);
		return 0;
	}
	snprintf(why, n, "printk ring %lx (descs %lx): head descriptor consistent, "
		 "yet no record readable", prb, descs);
	return 0;
}

int oc_log_problem(char *why, size_t n)
{
	const char *log = oc_log_text();
	char ring[240];

	if (log && has_text(log))
		return 0;
	if (prb_check(ring, sizeof(ring)) < 0)
		snprintf(ring, sizeof(ring), "no lockless printk ring to check");
	snprintf(why, n, "the kernel log is %s (crash `log`): %s",
		 log ? "empty" : "unreadable", ring);
	return 1;
}

/* restore_sanity() ran: crash's SIGINT (Ctrl-C), SIGPIPE or SIGSEGV
 * handler, which then jumps to pc->main_loop_env */
static void note_restart(void *arg)
{
	*(volatile int *)arg = 1;
}

#define OC_RESTARTED	(-2)

/*
 * Call fn(arg) with pc->main_loop_env swapped, so that an error(FATAL)
 * (or any RESTART) inside crash comes back here instead of ending the
 * running ovscrash command.  0 if fn returned, -1 if crash jumped out,
 * OC_RESTARTED if it jumped out of its signal handler: the user pressed
 * Ctrl-C (or a pipe broke), crash has already freed the command's
 * buffers and closed its output, and the caller, once its own state is
 * restored, must end the command with RESTART() as crash would have.
 */
static int guarded(void (*fn)(void *), void *arg)
{
	FILE *had_tmp = pc->tmpfile, *had_tmp2 = pc->tmpfile2;
	void (*save_cleanup)(void *) = pc->cmd_cleanup;
	void *save_cleanup_arg = pc->cmd_cleanup_arg;
	jmp_buf save_env;
	volatile int failed = 0, restarted = 0;

	memcpy(&save_env, &pc->main_loop_env, sizeof(jmp_buf));
	pc->cmd_cleanup = note_restart;	/* restore_sanity() calls it */
	pc->cmd_cleanup_arg = (void *)&restarted;
	if (setjmp(pc->main_loop_env))
		failed = 1;
	else
		fn(arg);
	memcpy(&pc->main_loop_env, &save_env, sizeof(jmp_buf));
	pc->cmd_cleanup = save_cleanup;
	pc->cmd_cleanup_arg = save_cleanup_arg;
	if (restarted) {
		if (save_cleanup)	/* it was due to run then too */
			save_cleanup(save_cleanup_arg);
		return OC_RESTARTED;
	}
	/* a jump out of get_panicmsg() or a command leaves the temporary
	 * file it opened (crash closes it only before the next command
	 * line): close it, or every later open_tmpfile() is FATAL */
	if (failed && !had_tmp && pc->tmpfile)
		close_tmpfile();
	if (failed && !had_tmp2 && pc->tmpfile2)
		close_tmpfile2();
	return failed ? -1 : 0;
}

/* one crash command line: parsed (parse_line may fail too) and run */
struct run_call {
	char line[BUFSIZE];
	int found;
};

static void run_line(void *arg)
{
	struct run_call *rc = arg;
	struct command_table_entry *ce;

	argcnt = parse_line(rc->line, args);
	if (argcnt < 1 || !(ce = get_command_table_entry(args[0])))
		return;
	rc->found = 1;
	optind = 0;
	ce->func();
}

/*
 * Run a crash command with fp redirected to a memory stream, the way
 * crash's own silent_call_bt() does; parsing and running are guarded, so
 * an error(FATAL) comes back here instead of ending our command.
 */
int oc_run(const char *cmdline, char **out)
{
	struct run_call *rc;
	char *buf = NULL, *save_args[MAXARGS];
	size_t len = 0;
	FILE *save_fp = fp, *save_err = pc->error_fp, *mem;
	int save_argcnt = argcnt, save_optind = optind, failed;
	ulonglong save_flags = pc->flags;

	if (out)
		*out = NULL;
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return -1;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		free(rc);
		return -1;
	}
	memcpy(save_args, args, sizeof(save_args));
	snprintf(rc->line, sizeof(rc->line), "%s", cmdline);
	fp = mem;
	pc->error_fp = mem;
	failed = guarded(run_line, rc);
	fflush(mem);
	fclose(mem);
	if (out && rc->found)
		*out = buf;	/* what it printed, even if it failed */
	else
		free(buf);
	fp = save_fp;
	pc->error_fp = save_err;
	pc->flags = save_flags;
	argcnt = save_argcnt;
	optind = save_optind;
	memcpy(args, save_args, sizeof(save_args));
	if (failed == OC_RESTARTED) {
		free(rc);
		RESTART();	/* Ctrl-C: end the ovscrash command */
	}
	failed = failed || !rc->found;
	free(rc);
	return failed ? -1 : 0;
}

int oc_gdb(const char *cmdline, char **out)
{
	char line[BUFSIZE], *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int ok;

	*out = NULL;
	if (!(mem = open_memstream(&buf, &len)))
		return -1;
	snprintf(line, sizeof(line), "%s", cmdline);
	ok = gdb_pass_through(line, mem, GNU_RETURN_ON_ERROR);
	fclose(mem);
	*out = buf;
	return ok ? 0 : -1;
}

const char *oc_kernel_release(void)
{
	return kt->utsname.release;
}

const char *oc_namelist(void)
{
	return pc->namelist ? pc->namelist : "";
}

const char *oc_dumpfile(void)
{
	return pc->dumpfile ? pc->dumpfile : "";
}

const char *oc_crash_version(void)
{
	return build_version;
}

const char *oc_machine(void)
{
	if (!strcmp(MACHINE_TYPE, "X86_64"))
		return "x86_64";
	if (!strcmp(MACHINE_TYPE, "ARM64"))
		return "arm64";
	return MACHINE_TYPE;
}

int oc_cpu_count(void)
{
	return kt->cpus;
}

oc_addr oc_percpu_offset(int cpu)
{
	if (cpu < 0 || cpu >= NR_CPUS)
		return 0;
	return kt->__per_cpu_offset[cpu];
}

/*
 * Crash's task table, as crash built it when the session started (from
 * the dump's pid hash/idr and each CPU's idle task): threads included,
 * one entry each.  tasks.c indexes it by network namespace.
 */
int oc_task_count(void)
{
	return RUNNING_TASKS() > 0 ? (int)RUNNING_TASKS() : 0;
}

int oc_task_get(int i, struct oc_task_ref *t)
{
	struct task_context *tc;

	if (i < 0 || i >= oc_task_count() || !FIRST_CONTEXT())
		return -1;
	tc = FIRST_CONTEXT() + i;
	t->task = tc->task;
	t->pid = (long)tc->pid;
	memcpy(t->comm, tc->comm, sizeof(t->comm) - 1);
	t->comm[sizeof(t->comm) - 1] = '\0';
	return 0;
}

/* layouts for a walker's own table (tasks.c): -1 when absent */
long oc_member_offset(const char *st, const char *mb)
{
	return MEMBER_OFFSET((char *)st, (char *)mb);
}

long oc_member_size(const char *st, const char *mb)
{
	return MEMBER_SIZE((char *)st, (char *)mb);
}

long oc_struct_size(const char *st)
{
	return STRUCT_SIZE((char *)st);
}

int oc_panic_cpu(void)
{
	struct task_context *tc;

	if (!tt->panic_task || !(tc = task_to_context(tt->panic_task)))
		return -1;
	return tc->processor;
}

static void panicmsg(void *arg)
{
	get_panicmsg(arg);
}

/* crash's own panic message (as sys prints it); "" when reading it
 * failed inside crash (a damaged log or panic task) */
const char *oc_panic_string(char *buf, size_t n)
{
	char tmp[BUFSIZE * 2];
	int rc;

	tmp[0] = '\0';
	if ((rc = guarded(panicmsg, tmp)) == OC_RESTARTED)
		RESTART();	/* Ctrl-C: end the ovscrash command */
	if (rc)
		tmp[0] = '\0';
	tmp[sizeof(tmp) - 1] = '\0';
	snprintf(buf, n, "%s", strip_linefeeds(tmp));
	return buf;
}

int oc_module_info(const char *name, oc_addr *mod, oc_addr *base, int *symbols_loaded,
		   char *namelist, size_t n)
{
	struct load_module *lm;
	ulong b = 0;

	if (!is_module_name((char *)name, &b, &lm))
		return -1;
	if (mod)
		*mod = lm->module_struct;
	if (base)
		*base = lm->mod_base;
	if (symbols_loaded)
		*symbols_loaded = !!(lm->mod_flags & MOD_LOAD_SYMS);
	if (namelist)
		snprintf(namelist, n, "%s", lm->mod_namelist);
	return 0;
}
