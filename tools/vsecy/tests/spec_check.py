#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks Documentation/netlink/vsecy.yaml against include/uapi/linux/vsecy.h.

From the spec, writes a C file of _Static_assert()s, one per constant,
enum entry, attribute and command (name and value, counting as the YAML
netlink specs do), plus the max/count names, and compiles it against the
header. Prints nothing and exits 0 when they agree; otherwise the
compiler's message names the first disagreement.
"""
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("python3-yaml is missing")
    sys.exit(4)


def c_name(*parts):
    return "".join(parts).upper().replace("-", "_")


def main(spec_path, include_dir, cc):
    spec = yaml.safe_load(open(spec_path))
    asserts = []

    def check(expr, what):
        asserts.append(f'_Static_assert({expr}, "{what}");')

    check(f'!__builtin_strcmp({c_name(spec["c-family-name"])}, "{spec["name"]}")',
          "family name")
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            n = c_name(d.get("name-prefix", ""), d["name"])
            check(f"{n} == {d['value']}ULL", n)
        elif d["type"] == "enum":
            prefix = d["name-prefix"]
            for i, e in enumerate(d["entries"]):
                n = c_name(prefix, e)
                check(f"{n} == {i}", n)
            last = len(d["entries"]) - 1
            if d.get("render-max"):
                check(f"{c_name(prefix, 'max')} == {last}", prefix + "max")
                cnt = d.get("enum-cnt-name")
                if cnt:
                    check(f"{c_name(cnt)} == {last + 1}", cnt)
            if d.get("enum-name"):
                asserts.append(f"static enum {c_name(d['enum-name']).lower()} "
                               f"enum_{len(asserts)} __attribute__((unused));")

    for s in spec["attribute-sets"]:
        prefix = s["name-prefix"]
        value = 0
        for a in s["attributes"]:
            value = a.get("value", value)
            n = c_name(prefix, a["name"])
            check(f"{n} == {value}", n)
            value += 1
        check(f"{c_name(s['attr-max-name'])} == {value - 1}", s["attr-max-name"])
        check(f"{c_name(s['attr-cnt-name'])} == {value}", s["attr-cnt-name"])
        asserts.append(f"static enum {c_name(s['enum-name']).lower()} "
                       f"enum_{len(asserts)} __attribute__((unused));")

    ops = spec["operations"]
    value = 0
    for op in ops["list"]:
        value = op.get("value", value)
        n = c_name(ops["name-prefix"], op["name"])
        check(f"{n} == {value}", n)
        value += 1
    check(f"{c_name(ops['cmd-max-name'])} == {value - 1}", ops["cmd-max-name"])
    check(f"{c_name(ops['cmd-cnt-name'])} == {value}", ops["cmd-cnt-name"])

    with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
        f.write("#include <linux/vsecy.h>\n" + "\n".join(asserts) + "\n")
        path = f.name
    try:
        r = subprocess.run([cc, "-std=gnu11", "-fsyntax-only", "-I", include_dir, path],
                           capture_output=True, text=True)
    finally:
        os.unlink(path)
    if r.returncode:
        sys.stdout.write(r.stderr)
        return 1
    print(f"{len(asserts)} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], os.environ.get("CC", "cc")))
