#!/usr/bin/env python3
"""Where the browser build's code goes: the size of every function body of a wasm module,
summed by the crate its (mangled) name comes from. Run it on the module cargo writes before
wasm-bindgen and wasm-opt, which still has its name section:

usage: benches/wasm_size.py $CARGO_TARGET_DIR/front/wasm32-unknown-unknown/wasm-release/xingshen.wasm [rows]

A generic function counts for the crate that defines it, not the one that instantiates it.
"""

import collections
import re
import sys

IMPORT_SECTION, CODE_SECTION, DATA_SECTION, CUSTOM_SECTION = 2, 10, 11, 0
FUNCTION_NAMES = 1


def uleb(data, at):
    """An unsigned LEB128 number at `at`, and where the next field starts."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def name_bytes(data, at):
    length, at = uleb(data, at)
    return data[at:at + length], at + length


def sections(data):
    at = 8  # magic and version
    while at < len(data):
        kind = data[at]
        size, start = uleb(data, at + 1)
        yield kind, start, size
        at = start + size


def imported_functions(data, at):
    """Imported functions come first in the function index space."""
    count, at = uleb(data, at)
    functions = 0
    for _ in range(count):
        _, at = name_bytes(data, at)  # module
        _, at = name_bytes(data, at)  # field
        kind = data[at]
        at += 1
        if kind == 0:  # function: type index
            _, at = uleb(data, at)
            functions += 1
        elif kind == 1:  # table: element type, limits
            at += 1
            flags, at = uleb(data, at)
            _, at = uleb(data, at)
            if flags & 1:
                _, at = uleb(data, at)
        elif kind == 2:  # memory: limits
            flags, at = uleb(data, at)
            _, at = uleb(data, at)
            if flags & 1:
                _, at = uleb(data, at)
        elif kind == 3:  # global: value type, mutability
            at += 2
    return functions


def body_sizes(data, at):
    count, at = uleb(data, at)
    sizes = []
    for _ in range(count):
        size, start = uleb(data, at)
        sizes.append(start - at + size)
        at = start + size
    return sizes


def function_names(data, at, end):
    names = {}
    while at < end:
        kind = data[at]
        size, at = uleb(data, at + 1)
        if kind == FUNCTION_NAMES:
            count, cursor = uleb(data, at)
            for _ in range(count):
                index, cursor = uleb(data, cursor)
                name, cursor = name_bytes(data, cursor)
                names[index] = name.decode("utf8", "replace")
        at += size
    return names


def crate_of(name):
    """The first path segment of a legacy-mangled Rust name (`_ZN<len><crate>…`); for an
    impl (`_<Type as Trait>::…`) the first crate named inside it."""
    legacy = re.match(r"_ZN(\d+)", name)
    if legacy:
        start = legacy.end()
        first = name[start:start + int(legacy.group(1))]
        if first.startswith("_$LT$"):
            inner = re.search(r"(?:_\$LT\$|as\$u20\$)([a-z_0-9]+)\.\.", name)
            return inner.group(1) if inner else "<impl>"
        return first
    return name.split("::")[0] if "::" in name else name[:30]


def main():
    data = open(sys.argv[1], "rb").read()
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    imports, sizes, names, data_size = 0, [], {}, 0
    for kind, start, size in sections(data):
        if kind == IMPORT_SECTION:
            imports = imported_functions(data, start)
        elif kind == CODE_SECTION:
            sizes = body_sizes(data, start)
        elif kind == DATA_SECTION:
            data_size = size
        elif kind == CUSTOM_SECTION:
            section_name, at = name_bytes(data, start)
            if section_name == b"name":
                names = function_names(data, at, start + size)
    if not names:
        sys.exit("the module has no name section: use the one from before wasm-opt")
    by_crate = collections.Counter()
    for position, size in enumerate(sizes):
        by_crate[crate_of(names.get(imports + position, "?"))] += size
    total = sum(sizes)
    print(f"code {total / 1024:.0f} KiB in {len(sizes)} functions; data {data_size / 1024:.0f} KiB")
    for crate, size in by_crate.most_common(rows):
        print(f"{size / 1024:8.0f} KiB  {100 * size / total:4.1f} %  {crate}")


if __name__ == "__main__":
    main()
