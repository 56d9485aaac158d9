// SPDX-License-Identifier: GPL-2.0
/*
 * ovscrash-watch BPF side: warn when a transmit reaches queue selection
 * for a device with no real tx queue, or one that is no longer registered
 * (the OVS soft-lockup window: netdev_pick_tx spins when qcount is 0).
 *
 * CO-RE: built against a vmlinux.h dumped from the 6.1 cloud kernel's BTF;
 * every field read is relocated against the running kernel's BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ovscrash-watch.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (read-only after). */
const volatile __u64 rate_ns = 1000000000ULL;	/* one event per device per s */
const volatile __u32 want_stack = 1;
/* The openvswitch module's BTF is there (the vport programs are loaded). */
const volatile __u32 have_ovs = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/*
 * Rate-limit key: the device by netns and ifindex, and the condition.
 * Scalars only: fentry's dev is a BTF pointer, on which the verifier
 * refuses arithmetic (5.10: "bitwise operator |= on pointer prohibited").
 */
struct ow_rate_key {
	__u32 netns_ino;
	__s32 ifindex;
	__u32 why;
	__u32 pad;
};

/* Per device and condition: when its last event was sent, and hits since. */
struct ow_rate {
	__u64 last_ns;
	__u32 suppressed;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OW_RATE_ENTRIES);
	__type(key, struct ow_rate_key);
	__type(value, struct ow_rate);
} rate SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OW_CNT_NR);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* The skb OVS is sending on this CPU, and the vport it goes out of. */
struct ow_last_vport {
	__u64 skb;
	__u64 vport;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ow_last_vport);
} last_vport SEC(".maps");

/* Scratch event (too big for the BPF stack with the stack trace). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ow_event);
} scratch SEC(".maps");

/*
 * The openvswitch module's types, as far as we read them.  Relocated
 * against the module's BTF (CONFIG_DEBUG_INFO_BTF_MODULES); the programs
 * that use them are only loaded when that BTF exists.
 */
struct vport {
	struct net_device *dev;
	struct datapath *dp;
	u16 port_no;
	struct hlist_node dp_hash_node;
} __attribute__((preserve_access_index));

struct datapath {
	struct hlist_head *ports;
} __attribute__((preserve_access_index));

#define TC_ACT_OK	0

/*
 * net_device.reg_state as kernels before 6.1.192 (5.10) have it: an 8-bit
 * bitfield of an anonymous enum.  CO-RE will not match vmlinux.h's u8 (an
 * int) against an enum, so this flavor reads it there.
 */
struct net_device___enum_bf {
	enum { OW_REG_STATE_ANY } reg_state:8;
} __attribute__((preserve_access_index));

static __always_inline void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline __u32 reg_registered(void)
{
	/* 5.10 names no type for reg_state's enum (it is anonymous). */
	if (bpf_core_enum_value_exists(enum netdev_reg_state,
				       NETREG_REGISTERED))
		return bpf_core_enum_value(enum netdev_reg_state,
					   NETREG_REGISTERED);
	/* The value has been 1 since the enum was introduced. */
	return 1;
}

/* The datapath's name: its local port's (port 0, hash bucket 0) device. */
static __always_inline void dp_name(struct datapath *dp, char *out)
{
	struct hlist_head *ports = BPF_CORE_READ(dp, ports);
	struct hlist_node *n;
	int i;

	if (!ports)
		return;
	n = BPF_CORE_READ(ports, first);
	for (i = 0; i < 8 && n; i++) {
		struct vport *vp = (void *)n -
			bpf_core_field_offset(struct vport, dp_hash_node);

		if (BPF_CORE_READ(vp, port_no) == 0) {
			struct net_device *d = BPF_CORE_READ(vp, dev);

			if (d)
				bpf_probe_read_kernel_str(out, OW_IFNAMSIZ,
							  d->name);
			return;
		}
		n = BPF_CORE_READ(n, next);
	}
}

static __always_inline int check(void *ctx, struct net_device *dev,
				 struct sk_buff *skb, __u32 hook, __u64 caller)
{
	__u32 real, regs, reg, why = 0, zero = 0;
	struct ow_rate_key key = {};
	__u64 now;
	struct ow_rate *r, fresh = {};
	struct ow_last_vport *lv;
	struct ow_event *e, *tmp;
	__u32 suppressed = 0;

	if (!dev)
		return 0;
	real = BPF_CORE_READ(dev, real_num_tx_queues);
	if (bpf_core_field_exists(dev->reg_state)) {
		reg = BPF_CORE_READ_BITFIELD_PROBED(dev, reg_state);
	} else {
		struct net_device___enum_bf *old = (void *)dev;

		reg = BPF_CORE_READ_BITFIELD_PROBED(old, reg_state);
	}
	regs = reg_registered();
	if (real == 0)
		why |= OW_WHY_NOQUEUES;
	if (reg != regs)
		why |= OW_WHY_UNREGISTERED;
	if (!why)
		return 0;

	count(OW_CNT_HITS);
	/*
	 * Rate limited per device and condition: "not registered" is seen
	 * first, a few ms before the queues go; the spinning transmit's "no
	 * tx queue" must not be swallowed by it.
	 */
	key.netns_ino = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	key.ifindex = BPF_CORE_READ(dev, ifindex);
	key.why = why;
	now = bpf_ktime_get_ns();
	r = bpf_map_lookup_elem(&rate, &key);
	if (r) {
		if (now - r->last_ns < rate_ns) {
			__sync_fetch_and_add(&r->suppressed, 1);
			count(OW_CNT_RATELIMITED);
			return 0;
		}
		suppressed = r->suppressed;
		r->suppressed = 0;
		r->last_ns = now;
	} else {
		fresh.last_ns = now;
		if (bpf_map_update_elem(&rate, &key, &fresh, BPF_ANY))
			count(OW_CNT_RATE_MAP_FULL);
	}

	tmp = bpf_map_lookup_elem(&scratch, &zero);
	if (!tmp)
		return 0;
	__builtin_memset(tmp, 0, sizeof(*tmp));
	tmp->ts_ns = now;
	tmp->dev = (__u64)dev;
	tmp->state = BPF_CORE_READ(dev, state);
	tmp->netns_ino = key.netns_ino;
	tmp->ifindex = key.ifindex;
	tmp->cpu = bpf_get_smp_processor_id();
	tmp->reg_state = reg;
	tmp->reg_registered = regs;
	tmp->num_tx_queues = BPF_CORE_READ(dev, num_tx_queues);
	tmp->real_num_tx_queues = real;
	tmp->why = why;
	tmp->hook = hook;
	tmp->suppressed = suppressed;
	tmp->vport_port_no = -1;
	if (skb)
		tmp->queue_mapping = BPF_CORE_READ(skb, queue_mapping);
	bpf_probe_read_kernel_str(tmp->name, sizeof(tmp->name), dev->name);
	if (want_stack) {
		tmp->stack_len = bpf_get_stack(ctx, tmp->stack,
					       sizeof(tmp->stack), 0);
		tmp->caller = caller;
	}

	/*
	 * Without the module's BTF the vport relocations cannot resolve; the
	 * branch is then dead code, which the verifier skips.
	 */
	lv = have_ovs ? bpf_map_lookup_elem(&last_vport, &zero) : NULL;
	if (lv && skb && lv->skb == (__u64)skb && lv->vport) {
		struct vport *vp = (void *)lv->vport;

		tmp->vport_port_no = BPF_CORE_READ(vp, port_no);
		dp_name(BPF_CORE_READ(vp, dp), tmp->dp_name);
	}

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count(OW_CNT_RINGBUF_FULL);
		return 0;
	}
	__builtin_memcpy(e, tmp, sizeof(*e));
	bpf_ringbuf_submit(e, 0);
	count(OW_CNT_EVENTS);
	return 0;
}

SEC("fentry/netdev_core_pick_tx")
int BPF_PROG(pick_tx_fentry, struct net_device *dev, struct sk_buff *skb,
	     struct net_device *sb_dev)
{
	return check(ctx, dev, skb, OW_HOOK_FENTRY, 0);
}

SEC("kprobe/netdev_core_pick_tx")
int BPF_KPROBE(pick_tx_kprobe, struct net_device *dev, struct sk_buff *skb)
{
#ifdef __TARGET_ARCH_arm64
	/* at the entry the caller is only in the link register (ow_event) */
	return check(ctx, dev, skb, OW_HOOK_KPROBE, PT_REGS_RET(ctx));
#else
	return check(ctx, dev, skb, OW_HOOK_KPROBE, 0);
#endif
}

/* OVS: which vport the next transmit on this CPU comes from. */
static __always_inline void note_vport(void *vport, struct sk_buff *skb)
{
	struct ow_last_vport *lv;
	__u32 zero = 0;

	lv = bpf_map_lookup_elem(&last_vport, &zero);
	if (lv) {
		lv->skb = (__u64)skb;
		lv->vport = (__u64)vport;
	}
}

SEC("fentry/ovs_vport_send")
int BPF_PROG(vport_send_fentry, struct vport *vport, struct sk_buff *skb)
{
	note_vport(vport, skb);
	return 0;
}

SEC("kprobe/ovs_vport_send")
int BPF_KPROBE(vport_send_kprobe, struct vport *vport, struct sk_buff *skb)
{
	note_vport(vport, skb);
	return 0;
}

/*
 * Mitigation (experimental, --mitigate IFACE): a tc ingress program for
 * the ports packets enter OVS through.  netdev_pick_tx only spins on a
 * device with no tx queue when the skb carries a recorded rx queue
 * (skb_tx_hash's while loop); with the record cleared it takes the
 * reciprocal_scale() path, queue 0, and netdev_cap_txqueue() warns.
 * Clearing the record only changes which tx queue a forwarded packet
 * uses.  See docs/watch.md for why tc egress on the victim cannot help.
 */
SEC("tc")
int clear_rx_queue(struct __sk_buff *skb)
{
	if (skb->queue_mapping) {
		__u32 q = 0;

		skb->queue_mapping = q;
		/* read back from the skb: counts only a store that took */
		if (*(volatile __u32 *)&skb->queue_mapping == 0)
			count(OW_CNT_MITIGATED);
	}
	return TC_ACT_OK;
}
