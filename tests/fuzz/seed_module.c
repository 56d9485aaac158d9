// SPDX-License-Identifier: GPL-2.0
/*
 * seed_module.c - source of the ELF seeds of the `elf` and `decompress`
 * fuzz targets (mkcorpus.py builds it with -g into a relocatable object
 * with a build-id note, as a kernel module is): a do_output() that inlines
 * one callee and calls another, which core/dwcheck.c looks for.
 */
struct sk_buff { int len; };

int dev_queue_xmit(struct sk_buff *skb);

static inline int ovs_vport_send(struct sk_buff *skb)
{
	return skb->len ? dev_queue_xmit(skb) : 0;
}

int do_output(struct sk_buff *skb)
{
	return ovs_vport_send(skb) + 1;
}
