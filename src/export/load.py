# The data file spikescope writes beside an exported script; this function
# goes into each script (`{{LOAD}}`), so that a script stands alone.


def load(path):
    """The arrays spikescope wrote: a JSON header line, then the arrays."""
    with open(path, "rb") as f:
        magic = f.readline()
        assert magic == b"spikescope-export 1\n", f"{path} is not spikescope's export data"
        header = json.loads(f.readline())
        rest = f.read()
    arrays, at = {}, 0
    for name, dtype, count in header["arrays"]:
        size = np.dtype(dtype).itemsize * count
        arrays[name] = np.frombuffer(rest, dtype=dtype, count=count, offset=at)
        at += size
    return header, arrays
