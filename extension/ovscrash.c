// SPDX-License-Identifier: GPL-2.0
/*
 * ovscrash.c - the command table, help text and option parsing: the only
 * file crash's commands enter.  Each command parses its options, calls a
 * walker or finder (netdev_query.c, ovs.c, modsyms.c, picktx.c, triage.c)
 * that returns records, and hands them to a renderer (out_text.c,
 * out_json.c).  Nothing here reads dump memory; all output but crash's
 * usage message (a bad option) comes from the renderers.  The constructor
 * registers the commands only if guard.c finds this is the crash the
 * extension was built for.
 */
#include "defs.h"
#include "guard.h"
#include "modsyms.h"
#include "netdev_query.h"
#include "netns_query.h"
#include "ovs.h"
#include "out_json.h"
#include "out_tasks.h"
#include "out_text.h"
#include "picktx.h"
#include "session.h"
#include "triage.h"

#include <getopt.h>

static void cmd_ovscrash(void);
static void cmd_netdev(void);
static void cmd_vport(void);
static void cmd_netns(void);
static void cmd_ovsmod(void);
static void cmd_picktx(void);
static void cmd_triage(void);
static void cmd_ovstasks(void);

/* the -B lines of every command that walks (netdev, vport, triage) */
#define HELP_BUDGET \
	"    -B n[,s]    the command's work budget: at most n list nodes read", \
	"                and s seconds (fraction allowed) over all its walks;", \
	"                0 = unbounded, ,s keeps n; default $OVSCRASH_BUDGET,", \
	"                else 200000,60.", \
	"                When spent, the command stops there and says so in one", \
	"                TRUNCATED line (JSON: \"truncated\") naming the list head", \
	"                and the counts"

static char *help_ovscrash[] = {
	"ovscrash",
	"ovscrash extension information",
	"[-j]",
	"  Prints the ovscrash version, the crash and kernel it runs against, the",
	"  crash version it was built for (it loads only into that one) and the",
	"  debuginfo it resolved.  Commands: netdev, vport, netns, ovsmod, picktx,",
	"  triage.",
	"    -j  print one JSON document",
	NULL
};

static char *help_netdev[] = {
	"netdev",
	"network devices in every namespace, and unlisted ones still referenced",
	"[-a] [-n inode] [-N name] [-i ifindex] [-d debugpath] [-B n[,s]] [-j] [address]",
	"  Walks net_namespace_list and each namespace's device list, then adds",
	"  devices that are no longer listed but still referenced: on",
	"  net_todo_list (unregistering), by an OVS vport, or by the registers of",
	"  a CPU spinning in netdev_pick_tx (NOTE column: UNLISTED).",
	"  PEER: a veth's other end, name@netns (the namespace's names, else its",
	"  inode), read from struct veth_priv with veth.ko's debuginfo (found and",
	"  loaded as openvswitch.ko's is; without it the peer is ? and one NOTE",
	"  line says why); \"(cleared)\" when veth_dellink cleared it, with the",
	"  device pointing back when one was found; - for other devices.",
	"    -a          only anomalies (real_num_tx_queues 0, unlisted unregistering)",
	"    -n inode    only devices of the network namespace with this inode",
	"    -N name     only devices with this name",
	"    -i ifindex  only devices with this ifindex",
	"    -d path     openvswitch.ko debuginfo file or directory",
	HELP_BUDGET,
	"    -j          print one JSON document",
	"    address     only the net_device at this address",
	"\nEXAMPLE",
	"    %s> netdev -a",
	NULL
};

static char *help_vport[] = {
	"vport",
	"OVS datapaths and vports in every namespace",
	"[-d debugpath] [-B n[,s]] [-j]",
	"  Loads openvswitch.ko debuginfo if needed (see ovsmod), then lists each",
	"  datapath and every vport in its port table with the netdev behind it.",
	"  RACE marks a vport still in its datapath while its netdev is",
	"  unregistering or has no tx queues: the window of the netdev_pick_tx",
	"  lockup fixed by 066b86787fa3 and 47e55e4b410f.",
	"    -d path     openvswitch.ko debuginfo file or directory",
	HELP_BUDGET,
	"    -j          print one JSON document",
	NULL
};

static char *help_netns[] = {
	"netns",
	"network namespaces: names, devices, tasks and cgroups",
	"[-B n[,s]] [-j] [address | inode | name]",
	"  One row per struct net on net_namespace_list: its address (give it to",
	"  struct net, or back to netns), inode, state (listed, or dying: count 0",
	"  or off the list), reference count, devices on its dev_base_head, tasks",
	"  whose nsproxy->net_ns it is, and its names: the paths of the nsfs",
	"  mounts of it in every mount namespace of the dump (ip netns add's",
	"  /run/netns/NAME shown as NAME, docker's /var/run/docker/netns/ID, a",
	"  CNI's mount in a private mount namespace).  Then, per namespace, every",
	"  name, the first 8 tasks (pid, comm, and the pod or container their",
	"  cgroup path names: kubepods' pod<uid>, docker-/libpod-/cri-containerd-",
	"  <id>.scope) with their cgroup paths, v2 and each v1 hierarchy's, and,",
	"  with no task in it, what holds it as far as",
	"  was checked: a mount, or only other references (sockets, devices).",
	"  The table is built once per session, under a budget of its own with",
	"  the command's bounds, and shared by netdev, vport and triage (their",
	"  NETNS_NAMES column, JSON netns_names).",
	"    address     only the namespace at this struct net address (hex)",
	"    inode       only the namespace with this inode (decimal)",
	"    name        only the namespace with this name (path, or NAME of",
	"                /run/netns/NAME)",
	HELP_BUDGET,
	"    -j          print one JSON document",
	"\nEXAMPLE",
	"    %s> netns B",
	NULL
};

static char *help_ovsmod[] = {
	"ovsmod",
	"find, verify and load module debuginfo",
	"[-m module] [-j] [path]",
	"  Finds module.ko, .ko.debug, .ko.xz or .ko.zst; accepts only a file with",
	"  debuginfo whose GNU build-id equals the one in the module's notes in the",
	"  dump, and loads it as mod -s does.  Default module: openvswitch.",
	"  Search order (path, when given, is the only place searched):",
	"    1. $OVSCRASH_DEBUG_PATH (colon-separated files or directories)",
	"    2. the dump's directory, then the vmlinux's directory",
	"    3. <tree>/usr/lib/debug/lib/modules/<release>, when the vmlinux (or",
	"       its real path) is <tree>/usr/lib/debug/boot/vmlinux-<release>, an",
	"       unpacked -dbg package (dpkg-deb -x)",
	"    4. /usr/lib/debug/lib/modules/<release>, /lib/modules/<release>",
	"    5. <tree>/usr/lib/debug/.build-id/xx/yyyy.debug, then",
	"       /usr/lib/debug/.build-id/xx/yyyy.debug (the dump's build-id)",
	"    6. if nothing matched and $DEBUGINFOD_URLS is set: the servers, by",
	"       the dump's build-id (libdebuginfod and its cache), at most 30 s",
	"       ($OVSCRASH_DEBUGINFOD_TIMEOUT), asked once per session",
	"  Each directory walk stops at 8 levels and 20000 entries, and follows a",
	"  directory symlink only if it stays inside the directory searched.",
	"    -m module  module name",
	"    -j         print one JSON document",
	NULL
};

static char *help_picktx[] = {
	"picktx",
	"decode CPUs spinning in netdev_pick_tx",
	"[-j]",
	"  Finds every CPU interrupted inside netdev_pick_tx (exception frames on",
	"  all stacks, as bt -E; when there are none, on each CPU's active task",
	"  stack, as bt -a -e, where arm64 5.10 runs softirqs; and register dumps",
	"  in the kernel log), disassembles",
	"  netdev_pick_tx, finds the skb_tx_hash loop around the PC",
	"  (while (hash >= qcount) hash -= qcount;) and derives from its",
	"  instructions which registers hold hash, qcount and qoffset, and from the",
	"  prologue which hold dev.  Prints their values and the device.",
	"    -j  print one JSON document",
	NULL
};

static char *help_triage[] = {
	"triage",
	"verdict on the OVS netdev_pick_tx lockup",
	"[-d debugpath] [-B n[,s]] [-j]",
	"  Runs picktx, vport and the fix check and prints a verdict with numbered",
	"  evidence, each with the crash command that shows it, a confidence, the",
	"  fixing commits and whether this kernel's do_output() carries them.",
	"  The spinning CPU's stack (bt -c N, else the log's call trace) decides",
	"  whether Open vSwitch or another sender (tc mirred, bonding, ...) sent",
	"  the packet; the device's reg_state, running and carrier state say which",
	"  upstream check would have stopped it.  A dump that is not this bug is",
	"  named by its panic report: kind, function+offset [module], CPU and a",
	"  bucket id that groups the same panic across builds.",
	"  TENANT names whose the victim is: its veth peer and the peer's",
	"  namespace (names, or inode; \"being torn down\" when dying), with the",
	"  first task living there (pid, comm) and its cgroup path, where",
	"  kubepods/docker-<id>.scope give away the pod or container.",
	"  The budget bounds the whole command: the walks stop when it is spent,",
	"  and once its time is up the later steps (fix check, CPU search, stack)",
	"  are skipped; the verdict then rests on what was gathered, is marked",
	"  PARTIAL (JSON: \"partial\": true, \"truncated\") and can leave unknown",
	"  what the skipped steps would have shown.  It runs past the budget's",
	"  time only by the one step already running then (a crash command such",
	"  as bt or dis, or the module debuginfo search, itself bounded).",
	"    -d path     openvswitch.ko debuginfo file or directory",
	HELP_BUDGET,
	"    -j          print one JSON document",
	NULL
};

/* hidden: the task/cgroup index (tasks.c), for tests */
static char *help_ovstasks[] = {
	"ovstasks",
	"tasks and cgroups of each network namespace (the index netns uses)",
	"[-s] [-B n[,s]] [-j]",
	"  Every network namespace that holds a thread group leader, with the",
	"  first tasks by pid and their cgroup v2 and v1 paths.",
	"    -s          only the index walk's counts (no cgroups read)",
	HELP_BUDGET,
	"    -j          print one JSON document",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "ovscrash", cmd_ovscrash, help_ovscrash, 0 },
	{ "netdev", cmd_netdev, help_netdev, 0 },
	{ "vport", cmd_vport, help_vport, 0 },
	{ "netns", cmd_netns, help_netns, 0 },
	{ "ovsmod", cmd_ovsmod, help_ovsmod, 0 },
	{ "picktx", cmd_picktx, help_picktx, 0 },
	{ "triage", cmd_triage, help_triage, 0 },
	{ "ovstasks", cmd_ovstasks, help_ovstasks, HIDDEN_COMMAND },
	{ NULL },
};

/* set once the guard let the commands register (crash unloads us if not) */
static int registered;

void __attribute__((constructor)) ovscrash_init(void)
{
	if (!oc_guard_allows_load())
		return;
	register_extension(command_table);
	registered = 1;
}

void __attribute__((destructor)) ovscrash_fini(void)
{
	if (registered)
		oc_session_end();
}

/* ---- options shared by every command ---- */

struct cmd_opts {
	int json;
	int stats;			/* ovstasks -s */
	char *dbg, *module;
	char *budget;			/* -B n[,s], NULL: $OVSCRASH_BUDGET */
	struct oc_netdev_filter nd;	/* netdev's -a -n -N -i [address] */
};

/* getopt over crash's args with the flags the command allows in optstr;
 * a bad flag prints the command's usage (crash's convention).  Then the
 * command's budget starts (session.h), from -B or $OVSCRASH_BUDGET. */
static void parse_opts(const char *optstr, struct cmd_opts *o)
{
	char err[256];
	int c;

	memset(o, 0, sizeof(*o));
	o->nd.netns = o->nd.ifindex = -1;
	o->module = "openvswitch";
	while ((c = getopt(argcnt, args, (char *)optstr)) != EOF) {
		switch (c) {
		case 'j': o->json = 1; break;
		case 's': o->stats = 1; break;
		case 'a': o->nd.anomalies = 1; break;
		case 'd': o->dbg = optarg; break;
		case 'N': o->nd.name = optarg; break;
		case 'm': o->module = optarg; break;
		case 'n': o->nd.netns = stol(optarg, FAULT_ON_ERROR, NULL); break;
		case 'i': o->nd.ifindex = stol(optarg, FAULT_ON_ERROR, NULL); break;
		case 'B': o->budget = optarg; break;
		default: argerrs++;
		}
	}
	if (argerrs)
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (oc_session_command(o->budget, err, sizeof(err)))
		error(FATAL, "%s\n", err);
}

/* ---- the commands: options -> walker/finder -> renderer ---- */

static void cmd_ovscrash(void)
{
	struct oc_modsyms ms;
	struct cmd_opts opt;

	parse_opts("j", &opt);
	oc_modsyms_ensure("openvswitch", NULL, &ms);
	if (opt.json)
		oc_json_ovscrash(&ms);
	else
		oc_text_ovscrash(&ms);
	oc_modsyms_free(&ms);
	oc_session_command_done("ovscrash");
}

static void cmd_netdev(void)
{
	struct oc_netdev_query q;
	struct cmd_opts opt;

	parse_opts("an:N:i:d:B:j", &opt);
	if (args[optind])
		opt.nd.addr = htol(args[optind], FAULT_ON_ERROR, NULL);
	oc_netdev_query(opt.dbg, &opt.nd, &q);
	if (opt.json)
		oc_json_netdev(&q, oc_cmd_budget());
	else
		oc_text_netdev(&q, oc_cmd_budget());
	oc_netdev_query_free(&q);
	oc_session_command_done("netdev");
}

static void cmd_vport(void)
{
	struct oc_ovs o;
	struct cmd_opts opt;

	parse_opts("d:B:j", &opt);
	oc_ovs_walk(opt.dbg, &o);
	if (opt.json)
		oc_json_vport(&o, oc_cmd_budget());
	else
		oc_text_vport(&o, oc_cmd_budget());
	oc_ovs_free(&o);
	oc_session_command_done("vport");
}

static void cmd_netns(void)
{
	struct oc_netns_query q;
	struct cmd_opts opt;

	parse_opts("B:j", &opt);
	oc_netns_query(args[optind], &q);
	if (opt.json)
		oc_json_netns(&q);
	else
		oc_text_netns(&q);
	oc_netns_query_free(&q);
	oc_session_command_done("netns");
}

static void cmd_ovsmod(void)
{
	struct oc_modsyms ms;
	struct cmd_opts opt;
	int rc;

	parse_opts("m:j", &opt);
	rc = oc_modsyms_ensure(opt.module, args[optind], &ms);
	if (opt.json)
		oc_json_ovsmod(&ms, rc);
	else
		oc_text_ovsmod(&ms, rc);
	oc_modsyms_free(&ms);
	oc_session_command_done("ovsmod");
}

static void cmd_picktx(void)
{
	struct oc_picktx *p;
	struct cmd_opts opt;

	parse_opts("j", &opt);
	/* malloc, not GETBUF: crash's Ctrl-C handler frees every GETBUF
	 * buffer (restore_sanity) while ovscrash may still be running */
	if (!(p = malloc(sizeof(*p))))
		error(FATAL, "picktx: out of memory\n");
	oc_picktx_find(p);
	if (opt.json)
		oc_json_picktx(p);
	else
		oc_text_picktx(p);
	free(p);
	oc_session_command_done("picktx");
}

static void cmd_triage(void)
{
	struct oc_triage *t;
	struct cmd_opts opt;

	parse_opts("d:B:j", &opt);
	if (!(t = malloc(sizeof(*t))))	/* not GETBUF: see cmd_picktx */
		error(FATAL, "triage: out of memory\n");
	oc_triage_run(opt.dbg, t);
	if (opt.json)
		oc_json_triage(t, oc_cmd_budget());
	else
		oc_text_triage(t, oc_cmd_budget());
	oc_triage_free(t);
	free(t);
	oc_session_command_done("triage");
}

static void cmd_ovstasks(void)
{
	struct cmd_opts opt;

	parse_opts("sB:j", &opt);
	oc_tasks_print(opt.json, opt.stats);
	oc_session_command_done("ovstasks");
}
