# Writes TerminalWidthTable.swift from the wcwidth package (pip install wcwidth):
#   python3 Sources/ReleaseCore/Text/TerminalWidthTable.py > Sources/ReleaseCore/Text/TerminalWidthTable.swift
import wcwidth
def ranges(want):
    out=[];start=None
    for cp in range(0x20, 0x110000):
        ok = not (0xD800<=cp<=0xDFFF) and wcwidth.wcwidth(chr(cp))==want
        if ok and start is None: start=cp
        if not ok and start is not None: out.append((start,cp-1)); start=None
    if start is not None: out.append((start,0x10FFFF))
    return out
def emit(name, rs):
    lines=[]
    row=[]
    for a,b in rs:
        row.append("0x%X, 0x%X" % (a,b))
        if len(row)==4:
            lines.append("        "+", ".join(row)+","); row=[]
    if row: lines.append("        "+", ".join(row)+",")
    return "    static let %s: [UInt32] = [\n%s\n    ]\n" % (name, "\n".join(lines))
print("""// Generated: do not edit by hand. Regenerate with TerminalWidthTable.py beside it
// (wcwidth %s, Unicode %s); TerminalWidthTests checks samples of each class.

/// Code point ranges by terminal width as flat pairs (first, last), sorted and disjoint, binary-searched
/// by `TerminalWidth`.
enum TerminalWidthTable {
    /// Combining marks, format and other zero-width code points.
%s
    /// East Asian Wide and Fullwidth code points, and emoji shown wide by default.
%s}""" % (wcwidth.__version__, wcwidth.list_versions()[-1], emit("zero", ranges(0)).rstrip("\n"), emit("wide", ranges(2))))
