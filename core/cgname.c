// SPDX-License-Identifier: GPL-2.0
/*
 * cgname.c - cgroup paths, hierarchy labels and the tenant in a path.
 */
#include "cgname.h"

#include <stdio.h>
#include <string.h>

#define CONTAINER_ID_SHOWN	12

int oc_cg_path(const char *const *leaf_first, int n, char *out, size_t outsz)
{
	size_t len = 0, l;
	int i, cut = 0;

	if (!outsz)
		return 1;
	out[0] = '\0';
	if (n <= 0) {
		if (outsz < 2)
			return 1;
		strcpy(out, "/");
		return 0;
	}
	for (i = n - 1; i >= 0; i--) {
		const char *s = leaf_first[i] ? leaf_first[i] : "";

		l = strlen(s);
		if (len + 1 + l >= outsz) {
			/* what fits of it, then stop: the rest is cut */
			if (len + 1 < outsz) {
				out[len++] = '/';
				l = outsz - 1 - len;
				memcpy(out + len, s, l);
				len += l;
			}
			out[len] = '\0';
			cut = 1;
			break;
		}
		out[len++] = '/';
		memcpy(out + len, s, l);
		len += l;
		out[len] = '\0';
	}
	return cut;
}

int oc_cg_label(unsigned long mask, const char *const *ss_names, int n_ss,
		const char *name, char *out, size_t outsz)
{
	size_t len = 0;
	int i, w;
	char num[16];

	if (!outsz)
		return 1;
	out[0] = '\0';
	for (i = 0; i < (int)(8 * sizeof(mask)); i++) {
		const char *s;

		if (!(mask & (1UL << i)))
			continue;
		s = i < n_ss && ss_names && ss_names[i] && *ss_names[i] ?
		    ss_names[i] : NULL;
		if (!s) {
			snprintf(num, sizeof(num), "ss%d", i);
			s = num;
		}
		w = snprintf(out + len, outsz - len, "%s%s", len ? "," : "", s);
		if (w < 0 || (size_t)w >= outsz - len)
			return 1;
		len += w;
	}
	if (name && *name) {
		w = snprintf(out + len, outsz - len, "%sname=%s", len ? "," : "",
			     name);
		if (w < 0 || (size_t)w >= outsz - len)
			return 1;
	}
	return 0;
}

int oc_cg_slot(const char *const *kept, int n, int max, const char *label)
{
	int i;

	if (n < max)
		return n;
	if (!label || !strstr(label, "name="))
		return -1;
	for (i = n - 1; i >= 0; i--)
		if (kept[i] && kept[i][0] && !strstr(kept[i], "name="))
			return i;
	return -1;
}

/* the next path component of @p: its start in *seg, length returned;
 * p advanced past it */
static size_t next_seg(const char **p, const char **seg)
{
	const char *s = *p, *e;

	while (*s == '/')
		s++;
	e = s;
	while (*e && *e != '/')
		e++;
	*seg = s;
	*p = e;
	return e - s;
}

static int has_prefix(const char *s, size_t len, const char *pre)
{
	size_t l = strlen(pre);

	return len >= l && !memcmp(s, pre, l);
}

static int has_suffix(const char *s, size_t len, const char *suf)
{
	size_t l = strlen(suf);

	return len >= l && !memcmp(s + len - l, suf, l);
}

/* a container id: at least 12 hex digits, nothing else */
static int is_hex_id(const char *s, size_t len)
{
	size_t i;

	if (len < CONTAINER_ID_SHOWN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* a pod uid: hex digits and '-' (or '_' in a systemd slice), 32..36 */
static int is_uid(const char *s, size_t len)
{
	size_t i, hex = 0;

	if (len < 32 || len > 36)
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))
			hex++;
		else if (s[i] != '-' && s[i] != '_')
			return 0;
	}
	return hex == 32;
}

static const char *const scope_kinds[] = {
	"cri-containerd", "docker", "libpod", "crio", NULL,
};

/*
 * A container segment: "<kind>-<id>.scope" for the kinds above, or a
 * bare hex id (cgroupfs: /docker/<id>, /kubepods/.../pod<uid>/<id>).
 * Sets *kind (NULL for a bare id) and the id's span.
 */
static int container_seg(const char *s, size_t len, const char **kind,
			 const char **id, size_t *idlen)
{
	int k;

	if (is_hex_id(s, len)) {
		*kind = NULL;
		*id = s;
		*idlen = len;
		return 1;
	}
	if (!has_suffix(s, len, ".scope"))
		return 0;
	for (k = 0; scope_kinds[k]; k++) {
		size_t kl = strlen(scope_kinds[k]);

		if (len > kl + 1 + 6 && !memcmp(s, scope_kinds[k], kl) &&
		    s[kl] == '-' && is_hex_id(s + kl + 1, len - kl - 1 - 6)) {
			*kind = scope_kinds[k];
			*id = s + kl + 1;
			*idlen = len - kl - 1 - 6;
			return 1;
		}
	}
	return 0;
}

/* a pod segment: "pod<uid>" or "kubepods[-...]-pod<uid>.slice" */
static int pod_seg(const char *s, size_t len, const char **uid, size_t *ulen)
{
	const char *p;

	if (has_prefix(s, len, "pod") && is_uid(s + 3, len - 3)) {
		*uid = s + 3;
		*ulen = len - 3;
		return 1;
	}
	if (!has_prefix(s, len, "kubepods") || !has_suffix(s, len, ".slice"))
		return 0;
	len -= 6;
	for (p = s + len - 3; p >= s; p--)	/* the last "-pod" */
		if (!memcmp(p, "-pod", 4))
			break;
	if (p < s)
		return 0;
	p += 4;
	if (!is_uid(p, s + len - p))
		return 0;
	*uid = p;
	*ulen = s + len - p;
	return 1;
}

int oc_cg_tenant(const char *path, char *out, size_t outsz)
{
	const char *p = path ? path : "", *seg, *uid = NULL, *kind = NULL,
		   *id = NULL, *prev = NULL;
	size_t len, ulen = 0, idlen = 0, prevlen = 0, i, o;
	char ubuf[40];

	if (!outsz)
		return 0;
	out[0] = '\0';
	while ((len = next_seg(&p, &seg))) {
		const char *k, *d;
		size_t dl;

		if (pod_seg(seg, len, &uid, &ulen)) {
			id = NULL;	/* a container counts below its pod */
		} else if (container_seg(seg, len, &k, &d, &dl)) {
			/* a bare id is a container only below a pod or
			 * below /docker (cgroupfs driver) */
			if (k || uid || (prev && prevlen == 6 &&
					 !memcmp(prev, "docker", 6))) {
				kind = k ? k : uid ? NULL : "docker";
				id = d;
				idlen = dl;
			}
		}
		prev = seg;
		prevlen = len;
	}
	if (idlen > CONTAINER_ID_SHOWN)
		idlen = CONTAINER_ID_SHOWN;
	if (uid) {
		for (i = o = 0; i < ulen && o < sizeof(ubuf) - 1; i++)
			ubuf[o++] = uid[i] == '_' ? '-' : uid[i];
		ubuf[o] = '\0';
		if (id)
			snprintf(out, outsz, "pod %s container %.*s", ubuf,
				 (int)idlen, id);
		else
			snprintf(out, outsz, "pod %s", ubuf);
		return 1;
	}
	if (id && kind) {
		snprintf(out, outsz, "%s %.*s", kind, (int)idlen, id);
		return 1;
	}
	return 0;
}
