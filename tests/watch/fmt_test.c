// SPDX-License-Identifier: GPL-2.0
/*
 * Event formatting of ovscrash-watch without a kernel: the loader's own
 * on_event() (the file is included whole, its main renamed) fed events
 * crafted here, hostile device names among them.  Prints what it renders;
 * tests/watch/run.sh checks it (JSON parses, names round-trip, text lines
 * hold no control byte).
 */
#define main watch_main
#include "../../watch/ovscrash-watch.c"
#undef main

static void emit(const char *name, const char *dp, int json)
{
	struct ow_event e;

	memset(&e, 0, sizeof(e));
	e.ts_ns = 123456789;
	e.dev = 0xffff888012345000ULL;
	e.state = 0xe;			/* PRESENT|NOCARRIER|LINKWATCH_PENDING */
	e.netns_ino = 4026531840U;
	e.ifindex = 7;
	e.cpu = 1;
	e.reg_state = 2;		/* NETREG_UNREGISTERING */
	e.reg_registered = 1;
	e.num_tx_queues = 4;
	e.real_num_tx_queues = 0;
	e.why = OW_WHY_NOQUEUES | OW_WHY_UNREGISTERED;
	e.hook = OW_HOOK_FENTRY;
	e.vport_port_no = dp ? 2 : -1;
	e.queue_mapping = 2;
	e.stack_len = 16;
	e.stack[0] = 0xffffffff81000010ULL;
	e.stack[1] = 0xffffffffc0001234ULL;
	strncpy(e.name, name, sizeof(e.name));
	if (dp)
		strncpy(e.dp_name, dp, sizeof(e.dp_name));
	opt.json = json;
	on_event(NULL, &e, sizeof(e));
}

int main(void)
{
	/* names from the kernel's BTF are not read here: fixed ones */
	static const char *names[] = {
		"veth-payments",
		"<p2\"\033[7m&\001\376\\\177>",	/* guest/init's victim-hostile */
		"0123456789abcdef",		/* 16 bytes: no NUL in the field */
	};
	unsigned int i;

	reg_names.n = 1;
	reg_names.val[0] = 2;
	strcpy(reg_names.name[0], "NETREG_UNREGISTERING");
	state_names.n = 3;
	for (i = 0; i < 3; i++)
		state_names.val[i] = i + 1;
	strcpy(state_names.name[0], "PRESENT");
	strcpy(state_names.name[1], "NOCARRIER");
	strcpy(state_names.name[2], "LINKWATCH_PENDING");
	ksyms = calloc(4, sizeof(*ksyms));	/* sorted, as load_ksyms() */
	ksyms[0].addr = 0xffffffff81000000ULL;
	ksyms[0].name = strdup("netdev_core_pick_tx");
	ksyms[1].addr = 0xffffffff81001000ULL;
	ksyms[1].name = strdup("__dev_queue_xmit");
	ksyms[2].addr = 0xffffffffa0000000ULL;
	ksyms[2].name = strdup("bpf_prog_0123_pick_tx_fentry [bpf]");
	ksyms[3].addr = 0xffffffffc0001000ULL;
	ksyms[3].name = strdup("do_execute_actions [openvswitch]");
	nksyms = 4;
	ksyms_loaded = time(NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		emit(names[i], i ? names[i] : "ovs-system", 0);
		emit(names[i], i ? names[i] : "ovs-system", 1);
	}
	emit("novport", NULL, 1);
	/* fentry: the program's and trampoline's frames before the hooked function */
	{
		struct ow_event e;
		static const unsigned long long st[] = {
			0xffffffffa0000010ULL, 0xffffffffa0000010ULL,
			0xffffffffc0001100ULL, 0xffffffff81000005ULL,
			0xffffffffc0001234ULL,
		};

		memset(&e, 0, sizeof(e));
		strcpy(e.name, "fentry");
		e.vport_port_no = -1;
		e.why = OW_WHY_NOQUEUES;
		memcpy(e.stack, st, sizeof(st));
		e.stack_len = sizeof(st);
		opt.json = 1;
		on_event(NULL, &e, sizeof(e));
	}
	/*
	 * arm64 kprobe: the walk starts at the hooked function's caller's
	 * caller; the caller itself comes in the link register.  Then a
	 * caller the walk did see: not repeated.
	 */
	{
		static const unsigned long long st[2][3] = {
			{ 0xffffffff81000000ULL, 0xffffffffc0001234ULL, 0 },
			{ 0xffffffff81000000ULL, 0xffffffff810011a8ULL,
			  0xffffffffc0001234ULL },
		};
		struct ow_event e;

		for (i = 0; i < 2; i++) {
			memset(&e, 0, sizeof(e));
			strcpy(e.name, "kprobe-lr");
			e.vport_port_no = -1;
			e.why = OW_WHY_NOQUEUES;
			e.hook = OW_HOOK_KPROBE;
			memcpy(e.stack, st[i], sizeof(st[i]));
			e.stack_len = i ? 24 : 16;
			e.caller = 0xffffffff810011a8ULL;
			opt.json = 1;
			on_event(NULL, &e, sizeof(e));
		}
	}
	return 0;
}
