"""Crafting tar archives member by member for the tests: names, types
and sizes are whatever the test says, including what tarfile's own
writer would refuse to produce (a member cut short)."""
import io
import tarfile


def member(name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    return {"name": name, "data": data, "type": kind, "linkname": linkname}


def build(members, fmt=tarfile.PAX_FORMAT, truncate_last=None):
    """The bytes of a tar archive holding MEMBERS (dicts from member()).
    truncate_last=N cuts the archive N bytes into the last member's data
    (no end-of-archive blocks)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt, encoding="utf-8",
                      errors="surrogateescape") as tf:
        for m in members:
            ti = tarfile.TarInfo(m["name"])
            ti.type = m["type"]
            ti.linkname = m["linkname"]
            ti.mode = 0o644
            if m["type"] == tarfile.REGTYPE:
                ti.size = len(m["data"])
                tf.addfile(ti, io.BytesIO(m["data"]))
            else:
                tf.addfile(ti)
            last_data_at = buf.tell() - ((len(m["data"]) + 511) // 512) * 512
    raw = buf.getvalue()
    if truncate_last is not None:
        raw = raw[:last_data_at + truncate_last]
    return raw
