// SPDX-License-Identifier: GPL-2.0
/*
 * ovscrash-watch: warn, on a live host, when a transmit reaches queue
 * selection for a device with no real tx queue (real_num_tx_queues == 0)
 * or one that is no longer registered: the window in which
 * netdev_pick_tx spins forever on kernels without the OVS fixes
 * (docs/watch.md).
 *
 *   ovscrash-watch [-j] [-k] [-s] [-r MS] [-d SECONDS] [-i SECONDS] [-w FILE]
 *                  [-M] [-m IFACE]...
 *
 * One line per event on stdout (text, or a JSON object with -j), a
 * start line and a counters line on stderr.  Events are rate limited per
 * device in the kernel; the counters say how many were not reported.
 */
#define _GNU_SOURCE	/* vasprintf */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "ovscrash-watch.h"
#include "ovscrash-watch.skel.h"

#define MAX_MITIGATE	16
#define MAX_ENUM	32

static const char *prog = "ovscrash-watch";
static volatile sig_atomic_t stop;

static struct {
	int json;
	int force_kprobe;
	int no_stack;
	long rate_ms;
	long duration_s;
	int nmitigate;
	const char *mitigate[MAX_MITIGATE];
	const char *ready_file;
	long interval_s;
	int mitigate_only;
} opt = { .rate_ms = 1000 };

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * libbpf's messages.  While the loader tries its attach variants they go to
 * a buffer: the first "libbpf:" error line of each failed try is reported
 * if no variant loads.  OVSCRASH_WATCH_DEBUG=1 prints everything, as it comes.
 */
static char try_log[512];
static int try_logging, try_log_specific;

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char *line, *p;

	if (getenv("OVSCRASH_WATCH_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	if (level != LIBBPF_WARN)
		return 0;
	if (!try_logging)
		return vfprintf(stderr, fmt, ap);
	/* whole: the verifier's log comes as one message, its reason last */
	if (vasprintf(&line, fmt, ap) < 0)
		return 0;
	/* the verifier's reason: the log's last line before "processed" */
	if ((p = strstr(line, "-- END PROG LOAD LOG --")) && !try_log_specific) {
		char *end = p, *q;

		while (end > line && end[-1] == '\n')
			end--;
		*end = '\0';
		q = strrchr(line, '\n');
		while (q && !strncmp(q + 1, "processed ", 10)) {
			*q = '\0';
			q = strrchr(line, '\n');
		}
		if (q && strncmp(q + 1, "-- BEGIN", 8)) {
			snprintf(try_log, sizeof(try_log), "verifier: %.480s",
				 q + 1);
			try_log_specific = 1;
		}
	}
	/* a missing type or symbol says more than "load failed" */
	if ((p = strstr(line, "failed to resolve CO-RE relocation")) ||
	    (p = strstr(line, "failed to find kernel BTF type ID"))) {
		p[strcspn(p, "\n")] = '\0';
		snprintf(try_log, sizeof(try_log), "%.500s", p);
		try_log_specific = 1;
	} else if (!try_log_specific && !try_log[0] &&
		   !strncmp(line, "libbpf: ", 8)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(try_log, sizeof(try_log), "%.500s", line + 8);
	}
	free(line);
	return 0;
}

/* ---- names from the running kernel's BTF -------------------------------- */

struct enum_names {
	int n;
	long val[MAX_ENUM];
	char name[MAX_ENUM][40];
};

static struct enum_names reg_names, state_names;

/*
 * The enum that holds MEMBER (named or not: 5.10's reg_state enum has no
 * name), with STRIP cut from the front of each name.
 */
static void load_enum(const struct btf *btf, const char *member,
		      const char *strip, struct enum_names *out)
{
	int id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;
		int i, found = 0;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (i = 0; i < btf_vlen(t); i++)
			if (!strcmp(btf__name_by_offset(btf, e[i].name_off),
				    member))
				found = 1;
		if (!found)
			continue;
		for (i = 0; i < btf_vlen(t) && out->n < MAX_ENUM; i++) {
			const char *s = btf__name_by_offset(btf, e[i].name_off);
			size_t sl = strlen(strip);

			if (!strncmp(s, strip, sl))
				s += sl;
			out->val[out->n] = e[i].val;
			snprintf(out->name[out->n], sizeof(out->name[0]), "%s", s);
			out->n++;
		}
		return;
	}
}

static const char *enum_name(const struct enum_names *en, long v)
{
	int i;

	for (i = 0; i < en->n; i++)
		if (en->val[i] == v)
			return en->name[i];
	return NULL;
}

/* "PRESENT|NOCARRIER|LINKWATCH_PENDING"; unknown bits as "bitN". */
static void state_string(unsigned long long st, char *buf, size_t len)
{
	size_t used = 0;
	int bit;

	buf[0] = '\0';
	for (bit = 0; bit < 64 && used < len; bit++) {
		const char *sep = used ? "|" : "";
		const char *nm;

		if (!(st & (1ULL << bit)))
			continue;
		nm = enum_name(&state_names, bit);
		if (nm)
			used += snprintf(buf + used, len - used, "%s%s", sep, nm);
		else
			used += snprintf(buf + used, len - used, "%sbit%d", sep,
					 bit);
	}
	if (!buf[0])
		snprintf(buf, len, "none");
}

/* ---- kernel symbols for the stack --------------------------------------- */

struct ksym {
	unsigned long long addr;
	char *name;
};

static struct ksym *ksyms;
static size_t nksyms;
static time_t ksyms_loaded;

/* A frame further than this past its symbol is taken as unknown. */
#define KSYM_MAX_OFFSET	(1UL << 20)

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* /proc/kallsyms, text symbols only; without it stacks print as addresses. */
static void load_ksyms(void)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512];
	size_t cap = 0;

	while (nksyms)
		free(ksyms[--nksyms].name);
	ksyms_loaded = time(NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256], mod[128] = "";
		int n = sscanf(line, "%llx %c %255s [%127[^]]]", &addr, &type,
			       name, mod);

		if (n < 3 || !addr || (type != 't' && type != 'T'))
			continue;
		if (nksyms == cap) {
			struct ksym *k;

			cap = cap ? cap * 2 : 65536;
			k = realloc(ksyms, cap * sizeof(*k));
			if (!k)
				break;
			ksyms = k;
		}
		if (mod[0]) {
			size_t l = strlen(name) + strlen(mod) + 4;

			ksyms[nksyms].name = malloc(l);
			if (ksyms[nksyms].name)
				snprintf(ksyms[nksyms].name, l, "%s [%s]",
					 name, mod);
		} else {
			ksyms[nksyms].name = strdup(name);
		}
		if (!ksyms[nksyms].name)
			break;
		ksyms[nksyms++].addr = addr;
	}
	fclose(f);
	qsort(ksyms, nksyms, sizeof(*ksyms), ksym_cmp);
}

static const struct ksym *ksym_find(unsigned long long addr)
{
	size_t lo = 0, hi = nksyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - ksyms[lo - 1].addr > KSYM_MAX_OFFSET)
		return NULL;
	return &ksyms[lo - 1];
}

/*
 * The symbol of a frame; modules loaded after start (openvswitch, when the
 * watcher starts first) are found by reading kallsyms again, at most once
 * a second (events come at most once a second per device and condition):
 * a module loaded seconds before the lockup must still be named.
 */
static const struct ksym *ksym_lookup(unsigned long long addr)
{
	const struct ksym *k = ksym_find(addr);

	if (!k && time(NULL) - ksyms_loaded >= 1) {
		load_ksyms();
		k = ksym_find(addr);
	}
	return k;
}

/* ---- escaping ------------------------------------------------------------ */

/* A device name as text: printable ASCII kept, '"' '\\' and the rest \xNN. */
static void esc_text(const char *s, size_t max, char *out, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < max && s[i] && o + 5 < len; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[o++] = c;
		else
			o += snprintf(out + o, len - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

/* The same for a JSON string: bytes >= 0x80 as \u00NN (Latin-1). */
static void esc_json(const char *s, size_t max, char *out, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < max && s[i] && o + 7 < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = c;
		} else if (c >= 0x20 && c < 0x7f) {
			out[o++] = c;
		} else {
			o += snprintf(out + o, len - o, "\\u%04x", c);
		}
	}
	out[o] = '\0';
}

/* ---- events -------------------------------------------------------------- */

/* One frame, "sym+0xoff" (or the address), appended to buf if it fits. */
static void frame_append(char *buf, size_t len, size_t *used, __u64 addr,
			 int json)
{
	const struct ksym *k = ksym_lookup(addr);
	char frame[320], esc[640];

	if (*used >= len)
		return;
	if (k)
		snprintf(frame, sizeof(frame), "%s+0x%llx", k->name,
			 (unsigned long long)(addr - k->addr));
	else
		snprintf(frame, sizeof(frame), "0x%llx",
			 (unsigned long long)addr);
	if (json) {
		esc_json(frame, sizeof(frame), esc, sizeof(esc));
		*used += snprintf(buf + *used, len - *used, "%s\"%s\"",
				  *used ? "," : "", esc);
	} else {
		esc_text(frame, sizeof(frame), esc, sizeof(esc));
		*used += snprintf(buf + *used, len - *used, "%s%s",
				  *used ? "<-" : "", esc);
	}
}

static void stack_string(const struct ow_event *e, int json, char *buf,
			 size_t len)
{
	int i, first, found, n = e->stack_len > 0 ? e->stack_len / 8 : 0;
	size_t used = 0;

	buf[0] = '\0';
	if (n > OW_STACK_DEPTH)
		n = OW_STACK_DEPTH;
	/*
	 * Frames before the hooked function are the BPF program's and the
	 * trampoline's own (fentry; 6.1 names them "... [bpf]", 5.10 has no
	 * kallsyms for them and they resolve to whatever module text is
	 * below): start at netdev_core_pick_tx when it is there.
	 */
	for (i = 0; i < n; i++) {
		const struct ksym *k = ksym_lookup(e->stack[i]);

		if (k && !strcmp(k->name, "netdev_core_pick_tx"))
			break;
	}
	found = i < n;
	first = found ? i : 0;
	for (i = first; i < n && used < len; i++) {
		frame_append(buf, len, &used, e->stack[i], json);
		/*
		 * the caller the walk missed (arm64 kprobe: the link
		 * register) right after the hooked function's own frame
		 */
		if (i == first && found && e->caller &&
		    (i + 1 >= n || e->stack[i + 1] != e->caller))
			frame_append(buf, len, &used, e->caller, json);
	}
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct ow_event *e = data;
	char name[80], dp[80], st[256], est[512], stack[4096], why[64];
	const char *reg0 = enum_name(&reg_names, e->reg_state);
	char reg[96];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	snprintf(why, sizeof(why), "%s%s%s",
		 e->why & OW_WHY_NOQUEUES ? "no_tx_queues" : "",
		 (e->why & OW_WHY_NOQUEUES) && (e->why & OW_WHY_UNREGISTERED) ?
		 "," : "",
		 e->why & OW_WHY_UNREGISTERED ? "not_registered" : "");
	state_string(e->state, st, sizeof(st));
	stack_string(e, opt.json, stack, sizeof(stack));
	/* BTF names are identifiers, escaped all the same */
	if (opt.json) {
		esc_json(st, sizeof(st), est, sizeof(est));
		if (reg0)
			esc_json(reg0, 40, reg, sizeof(reg));
	} else {
		esc_text(st, sizeof(st), est, sizeof(est));
		if (reg0)
			esc_text(reg0, 40, reg, sizeof(reg));
	}
	if (opt.json) {
		esc_json(e->name, sizeof(e->name), name, sizeof(name));
		esc_json(e->dp_name, sizeof(e->dp_name), dp, sizeof(dp));
		printf("{\"event\":\"broken_device_xmit\",\"ts_ns\":%llu,"
		       "\"name\":\"%s\",\"ifindex\":%d,\"netns\":%u,"
		       "\"reg_state\":%u,\"reg_state_name\":%s%s%s,"
		       "\"state\":%llu,\"state_names\":\"%s\","
		       "\"num_tx_queues\":%u,\"real_num_tx_queues\":%u,"
		       "\"cpu\":%u,\"why\":\"%s\",\"queue_mapping\":%u,"
		       "\"vport\":%d,\"datapath\":%s%s%s,"
		       "\"suppressed_before\":%u,\"hook\":\"%s\","
		       "\"stack\":[%s]}\n",
		       (unsigned long long)e->ts_ns, name, e->ifindex,
		       e->netns_ino, e->reg_state,
		       reg0 ? "\"" : "", reg0 ? reg : "null", reg0 ? "\"" : "",
		       (unsigned long long)e->state, est,
		       e->num_tx_queues, e->real_num_tx_queues, e->cpu, why,
		       e->queue_mapping, e->vport_port_no,
		       dp[0] ? "\"" : "", dp[0] ? dp : "null",
		       dp[0] ? "\"" : "", e->suppressed,
		       e->hook == OW_HOOK_FENTRY ? "fentry" : "kprobe", stack);
	} else {
		char vp[160] = "";

		esc_text(e->name, sizeof(e->name), name, sizeof(name));
		if (e->vport_port_no >= 0) {
			esc_text(e->dp_name, sizeof(e->dp_name), dp,
				 sizeof(dp));
			snprintf(vp, sizeof(vp), " vport %d datapath \"%s\"",
				 e->vport_port_no, dp);
		}
		printf("%s: WARNING transmit to broken device \"%s\" "
		       "ifindex %d netns %u reg_state %s(%u) state 0x%llx(%s) "
		       "tx_queues real %u of %u cpu %u why %s "
		       "queue_mapping %u%s suppressed %u stack %s\n",
		       prog, name, e->ifindex, e->netns_ino,
		       reg0 ? reg : "?", e->reg_state,
		       (unsigned long long)e->state, est,
		       e->real_num_tx_queues, e->num_tx_queues, e->cpu, why,
		       e->queue_mapping, vp, e->suppressed,
		       stack[0] ? stack : "-");
	}
	fflush(stdout);
	return 0;
}

static const char *counter_name[OW_CNT_NR] = {
	[OW_CNT_HITS] = "hits",
	[OW_CNT_EVENTS] = "events",
	[OW_CNT_RATELIMITED] = "ratelimited",
	[OW_CNT_RINGBUF_FULL] = "ringbuf_full",
	[OW_CNT_RATE_MAP_FULL] = "rate_map_full",
	[OW_CNT_MITIGATED] = "rx_queue_cleared",
};

static void print_counters(struct ovscrash_watch *skel)
{
	int ncpu = libbpf_num_possible_cpus(), fd, i, c;
	unsigned long long *vals;

	if (ncpu <= 0)
		return;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return;
	fd = bpf_map__fd(skel->maps.counters);
	fprintf(stderr, "%s: counters", prog);
	for (i = 0; i < OW_CNT_NR; i++) {
		unsigned long long sum = 0;
		__u32 key = i;

		if (bpf_map_lookup_elem(fd, &key, vals) == 0)
			for (c = 0; c < ncpu; c++)
				sum += vals[c];
		fprintf(stderr, " %s=%llu", counter_name[i], sum);
	}
	fputc('\n', stderr);
	free(vals);
}

/*
 * Each loaded program's calls and mean run time since start (needs
 * BPF_ENABLE_STATS, held by the caller): the watcher's cost per transmit.
 */
static void print_prog_stats(struct ovscrash_watch *skel)
{
	struct bpf_program *p;

	fprintf(stderr, "%s: run time", prog);
	bpf_object__for_each_program(p, skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		fprintf(stderr, " %s calls=%llu mean_ns=%llu", bpf_program__name(p),
			(unsigned long long)info.run_cnt,
			info.run_cnt ? (unsigned long long)(info.run_time_ns /
							   info.run_cnt) : 0ULL);
	}
	fputc('\n', stderr);
}

/* ---- loading ------------------------------------------------------------- */

/*
 * Open and load the object with fentry (or kprobe) on netdev_core_pick_tx,
 * with or without the OVS vport programs.  NULL if the kernel refused it.
 */
static struct ovscrash_watch *try_load(int trace, int fentry, int ovs,
				       int mitigate)
{
	struct ovscrash_watch *skel = ovscrash_watch__open();
	int err;

	if (!skel)
		return NULL;
	skel->rodata->rate_ns = (__u64)opt.rate_ms * 1000000ULL;
	skel->rodata->want_stack = !opt.no_stack;
	skel->rodata->have_ovs = ovs;
	bpf_program__set_autoload(skel->progs.pick_tx_fentry, trace && fentry);
	bpf_program__set_autoload(skel->progs.pick_tx_kprobe, trace && !fentry);
	bpf_program__set_autoload(skel->progs.vport_send_fentry,
				  trace && ovs && fentry);
	bpf_program__set_autoload(skel->progs.vport_send_kprobe,
				  trace && ovs && !fentry);
	bpf_program__set_autoload(skel->progs.clear_rx_queue, mitigate);
	err = ovscrash_watch__load(skel);
	if (!err)
		err = ovscrash_watch__attach(skel);
	/* the kernel's own ENOTSUPP, which libbpf's strerror cannot name */
	if (err == -524 && trace && fentry) {
		snprintf(try_log, sizeof(try_log), "fentry attach refused: "
			 "ENOTSUPP (524): no BPF trampoline for kernel "
			 "functions on this kernel (arm64 before 6.4)");
		try_log_specific = 1;
	}
	if (err) {
		ovscrash_watch__destroy(skel);
		return NULL;
	}
	return skel;
}

/*
 * The same attach mode, now with the OVS vport programs; on success the old
 * object and ring buffer are replaced (its counters printed first).  1 if
 * it worked; 0 leaves everything as it was (the module may lack BTF).
 */
static int reload_with_ovs(struct ovscrash_watch **skel,
			   struct ring_buffer **rb, int fentry)
{
	struct ovscrash_watch *n;
	struct ring_buffer *nrb;

	try_logging = 1;
	try_log[0] = '\0';
	try_log_specific = 0;
	n = try_load(1, fentry, 1, 0);
	try_logging = 0;
	if (!n)
		return 0;
	nrb = ring_buffer__new(bpf_map__fd(n->maps.events), on_event, NULL,
			       NULL);
	if (!nrb) {
		ovscrash_watch__destroy(n);
		return 0;
	}
	ring_buffer__consume(*rb);
	print_counters(*skel);
	ring_buffer__free(*rb);
	ovscrash_watch__destroy(*skel);
	*skel = n;
	*rb = nrb;
	return 1;
}

static struct bpf_tc_hook hooks[MAX_MITIGATE];
static int hook_created[MAX_MITIGATE];

static void mitigate_attach(struct ovscrash_watch *skel)
{
	int i, err, fd = bpf_program__fd(skel->progs.clear_rx_queue);

	for (i = 0; i < opt.nmitigate; i++) {
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = 0x0c5, .priority = 1,
			    .prog_fd = fd);
		unsigned int ifi = if_nametoindex(opt.mitigate[i]);
		char esc[80];

		esc_text(opt.mitigate[i], IF_NAMESIZE, esc, sizeof(esc));
		if (!ifi)
			die("--mitigate \"%s\": no such device (%s)", esc,
			    strerror(errno));
		memset(&hooks[i], 0, sizeof(hooks[i]));
		hooks[i].sz = sizeof(hooks[i]);
		hooks[i].ifindex = ifi;
		hooks[i].attach_point = BPF_TC_INGRESS;
		err = bpf_tc_hook_create(&hooks[i]);
		if (err && err != -EEXIST)
			die("--mitigate \"%s\": cannot add clsact (%s)", esc,
			    strerror(-err));
		hook_created[i] = !err;
		err = bpf_tc_attach(&hooks[i], &o);
		if (err)
			die("--mitigate \"%s\": cannot attach tc ingress (%s)",
			    esc, strerror(-err));
		fprintf(stderr, "%s: mitigation on \"%s\" ingress: rx queue "
			"record cleared\n", prog, esc);
	}
}

static void mitigate_detach(void)
{
	int i;

	for (i = 0; i < opt.nmitigate; i++) {
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = 0x0c5, .priority = 1);

		if (!hooks[i].ifindex)
			continue;
		bpf_tc_detach(&hooks[i], &o);
		if (hook_created[i]) {
			hooks[i].attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hooks[i]);
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-j] [-k] [-s] [-r MS] [-d SECONDS] [-i SECONDS] [-w FILE]\n"
		"       [-M] [-m IFACE]...\n"
		"  -j, --json              JSON lines instead of text\n"
		"  -k, --kprobe            kprobe instead of fentry\n"
		"  -s, --no-stack          no kernel stack in events\n"
		"  -r, --rate MS           at most one event per device and\n"
		"                          condition per MS (1000)\n"
		"  -d, --duration SECONDS  exit after SECONDS (0: until a signal)\n"
		"  -i, --interval SECONDS  counters and the programs' run time\n"
		"                          every SECONDS (kernel.bpf_stats on)\n"
		"  -w, --ready-file FILE   create FILE once attached (for scripts)\n"
		"  -m, --mitigate IFACE    experimental mitigation: clear the rx\n"
		"                          queue record of packets entering IFACE\n"
		"                          (tc ingress)\n"
		"  -M, --mitigate-only     the mitigation only: no tracing\n"
		"  -h, --help              this text\n",
		prog);
}

static void bad_arg(const char *arg, const char *why)
{
	char esc[4 * 64 + 1];

	esc_text(arg, strnlen(arg, 64), esc, sizeof(esc));
	fprintf(stderr, "%s: %s near \"%s\"; see %s --help\n", prog, why,
		esc, prog);
}

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "kprobe", no_argument, NULL, 'k' },
	{ "no-stack", no_argument, NULL, 's' },
	{ "rate", required_argument, NULL, 'r' },
	{ "duration", required_argument, NULL, 'd' },
	{ "interval", required_argument, NULL, 'i' },
	{ "ready-file", required_argument, NULL, 'w' },
	{ "mitigate", required_argument, NULL, 'm' },
	{ "mitigate-only", no_argument, NULL, 'M' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static long parse_num(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s: \"%s\" is not a number in %ld..%ld", what, s, min,
		    max);
	return v;
}

int main(int argc, char **argv)
{
	struct ovscrash_watch *skel = NULL;
	struct ring_buffer *rb;
	struct btf *btf;
	int c, fentry, ovs, stats_fd = -1, ovs_tries = 0;
	time_t end, next, ovs_check;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "jksMr:d:i:m:w:h", long_opts,
				 NULL)) != -1) {
		switch (c) {
		case 'j': opt.json = 1; break;
		case 'k': opt.force_kprobe = 1; break;
		case 'M': opt.mitigate_only = 1; break;
		case 's': opt.no_stack = 1; break;
		case 'r': opt.rate_ms = parse_num(optarg, "-r", 1, 3600000); break;
		case 'd': opt.duration_s = parse_num(optarg, "-d", 0, LONG_MAX / 2); break;
		case 'm':
			if (opt.nmitigate == MAX_MITIGATE)
				die("-m: at most %d devices", MAX_MITIGATE);
			if (strlen(optarg) >= IF_NAMESIZE)
				die("-m: device name longer than %d bytes",
				    IF_NAMESIZE - 1);
			opt.mitigate[opt.nmitigate++] = optarg;
			break;
		case 'w': opt.ready_file = optarg; break;
		case 'i': opt.interval_s = parse_num(optarg, "-i", 1, 86400); break;
		case 'h': usage(stdout); return 0;
		default:
			/* one line: the bad option (escaped), and the usage */
			bad_arg(optind > 1 && optind <= argc ?
				argv[optind - 1] : "?", "bad option or missing "
				"argument");
			return 2;
		}
	}
	if (optind != argc) {
		bad_arg(argv[optind], "unexpected argument");
		return 2;
	}
	for (c = 0; c < opt.nmitigate; c++) {
		char esc[80];

		esc_text(opt.mitigate[c], IF_NAMESIZE, esc, sizeof(esc));
		if (!if_nametoindex(opt.mitigate[c]))
			die("-m \"%s\": no such device (%s)", esc,
			    strerror(errno));
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(libbpf_log);

	btf = btf__load_vmlinux_btf();
	if (!btf)
		die("the running kernel has no BTF (/sys/kernel/btf/vmlinux: "
		    "%s); CONFIG_DEBUG_INFO_BTF is required", strerror(errno));
	load_enum(btf, "NETREG_REGISTERED", "", &reg_names);
	load_enum(btf, "__LINK_STATE_START", "__LINK_STATE_", &state_names);
	btf__free(btf);
	if (!opt.no_stack)
		load_ksyms();

	/*
	 * fentry first (cheaper), kprobe when the kernel has no trampoline
	 * (arm64 before 6.4); with the OVS vport programs first, without
	 * them when openvswitch is not loaded or has no BTF.
	 */
	if (opt.mitigate_only && !opt.nmitigate)
		die("-M needs at least one -m IFACE");
	try_logging = 1;
	if (opt.mitigate_only) {
		try_log[0] = '\0';
		skel = try_load(0, 0, 0, 1);
		if (!skel)
			die("cannot load the tc program: %s",
			    try_log[0] ? try_log : "no reason given");
		fentry = ovs = -1;	/* nothing traced */
	}
	for (fentry = skel ? -1 : !opt.force_kprobe; fentry >= 0 && !skel;
	     fentry--) {
		for (ovs = 1; ovs >= 0 && !skel; ovs--) {
			try_log[0] = '\0';
			try_log_specific = 0;
			skel = try_load(1, fentry, ovs, opt.nmitigate > 0);
			if (!skel)
				fprintf(stderr, "%s: %s%s: not loaded: %s\n",
					prog, fentry ? "fentry" : "kprobe",
					ovs ? " + OVS vport" : "",
					try_log[0] ? try_log : "no reason given");
		}
	}
	try_logging = 0;
	if (!skel)
		die("cannot load or attach to netdev_core_pick_tx (needs root "
		    "or CAP_BPF+CAP_PERFMON+CAP_NET_ADMIN; "
		    "OVSCRASH_WATCH_DEBUG=1 prints libbpf's log)");
	fentry++;
	ovs++;
	if (opt.nmitigate)
		mitigate_attach(skel);

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL,
			      NULL);
	if (!rb)
		die("cannot open the ring buffer (%s)", strerror(errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (opt.mitigate_only)
		fprintf(stderr, "%s: mitigation only, nothing traced\n", prog);
	else
		fprintf(stderr, "%s: watching netdev_core_pick_tx (%s), OVS "
			"vport %s, rate limit %ld ms per device\n", prog,
			fentry ? "fentry" : "kprobe",
			ovs ? "attribution on" :
			"attribution off (no openvswitch BTF)", opt.rate_ms);

	if (opt.ready_file) {
		FILE *f = fopen(opt.ready_file, "w");

		if (!f || fclose(f))
			die("-w: cannot create the ready file (%s)", strerror(errno));
	}

	if (opt.interval_s) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0)
			fprintf(stderr, "%s: -i: no run-time statistics (%s)\n",
				prog, strerror(errno));
	}
	end = opt.duration_s ? time(NULL) + opt.duration_s : 0;
	next = time(NULL) + opt.interval_s;
	ovs_check = time(NULL) + 5;
	while (!stop && (!end || time(NULL) < end)) {
		/*
		 * openvswitch loaded after we started: load again with the
		 * vport programs (the new copy attaches before the old one
		 * goes: no gap, at worst an event reported twice).
		 */
		if (!ovs && !opt.mitigate_only && !opt.nmitigate &&
		    ovs_tries < 3 && time(NULL) >= ovs_check) {
			ovs_check = time(NULL) + 5;
			/* the module's BTF, not just the module (5.10: none) */
			if (access("/sys/kernel/btf/openvswitch", F_OK) == 0) {
				ovs = reload_with_ovs(&skel, &rb, fentry);
				if (ovs)
					fprintf(stderr, "%s: openvswitch loaded: "
						"vport attribution on\n", prog);
				else if (++ovs_tries == 3)
					fprintf(stderr, "%s: openvswitch has BTF "
						"but the vport programs do not "
						"load: %s\n", prog, try_log);
			}
		}
		if (opt.interval_s && time(NULL) >= next) {
			print_counters(skel);
			if (stats_fd >= 0)
				print_prog_stats(skel);
			next += opt.interval_s;
		}
		int err = ring_buffer__poll(rb, 200);

		/*
		 * The wake-up is an irq_work on the CPU that wrote the event;
		 * should it not come (that CPU spinning), read on the timeout.
		 */
		if (err == 0)
			err = ring_buffer__consume(rb);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "%s: ring buffer poll failed (%s)\n",
				prog, strerror(-err));
			break;
		}
	}
	ring_buffer__consume(rb);
	print_counters(skel);
	if (stats_fd >= 0) {
		print_prog_stats(skel);
		close(stats_fd);
	}
	ring_buffer__free(rb);
	mitigate_detach();
	ovscrash_watch__destroy(skel);
	return 0;
}
