#!/usr/bin/env python3
"""Re-check the ideal-membership steps of invariant-set certificates outside DeepLinearProofs.

`dlp verify` writes <network>.cofactors.txt beside each <network>.kernel.json of an invariant lemma
(docs/theory.md section 6, rule (a)). Every claim in it reads: `check E`, cofactor lines `cofactor NAME = q`,
`end`; it holds when expand(E - sum q * NAME) == 0, where lie(NAME) = sum_x diff(NAME, x) * rate(x) is the
Lie derivative along the gradient flow recorded in the same section. SymPy does the algebra; nothing of the
tool is used. Usage: recheck-cofactors.py FILE_OR_DIR ... ; exit code 0 when every claim holds, 1 otherwise,
2 for a file that cannot be read.
"""
import sys
from pathlib import Path

import sympy


def sections(lines, path):
    """Yield (line number, section dict) per 'statement N'."""
    current = None
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("statement "):
            if current is not None:
                yield current
            current = {"vars": [], "rates": {}, "names": {}, "checks": [], "open": None, "line": number}
            continue
        if current is None:
            raise ValueError(f"{path}:{number}: text before the first 'statement' line")
        head, _, rest = line.partition(" ")
        if head == "end":
            if current["open"] is None:
                raise ValueError(f"{path}:{number}: 'end' without 'check'")
            current["checks"].append(current["open"])
            current["open"] = None
        elif head == "check":
            current["open"] = (number, rest.strip(), [])
        elif head == "cofactor":
            name, _, expr = rest.partition("=")
            current["open"][2].append((name.strip(), expr.strip()))
        elif head in ("var", "rate", "g", "h", "lambda", "k"):
            name, _, expr = rest.partition("=")
            name = name.strip()
            if head == "var":
                current["vars"].append(name)
            elif head == "rate":
                current["rates"][name] = expr.strip()
            else:
                current["names"][(head if head != "lambda" else "lambda") + name] = expr.strip()
        else:
            raise ValueError(f"{path}:{number}: unknown line '{head}'")
    if current is not None:
        yield current


def check_file(path):
    failures, count = 0, 0
    for section in sections(Path(path).read_text().splitlines(), path):
        symbols = {v: sympy.Symbol(v) for v in section["vars"]}
        parse = lambda text, extra=None: sympy.sympify(text, locals={**symbols, **(extra or {})})
        rates = {symbols[v]: parse(r) for v, r in section["rates"].items()}
        named = {n: parse(t) for n, t in section["names"].items()}

        def lie(p):
            return sum((sympy.diff(p, x) * r for x, r in rates.items()), sympy.Integer(0))

        scope = {**named, "lie": lie}
        for number, lhs, cofactors in section["checks"]:
            count += 1
            value = parse(lhs, scope)
            total = sum((parse(q) * named[name] for name, q in cofactors), sympy.Integer(0))
            if sympy.expand(value - total) != 0:
                failures += 1
                print(f"{path}:{number}: FAILS: {lhs} != sum of cofactors times generators")
    print(f"{path}: {count - failures} of {count} claim(s) hold")
    return failures == 0


def main(argv):
    files = []
    for arg in argv:
        p = Path(arg)
        files += sorted(p.rglob("*.cofactors.txt")) if p.is_dir() else [p]
    if not files:
        print("usage: recheck-cofactors.py FILE_OR_DIR ... (no *.cofactors.txt found)", file=sys.stderr)
        return 2
    ok = True
    for f in files:
        try:
            ok = check_file(f) and ok
        except (OSError, ValueError, sympy.SympifyError, KeyError) as e:
            print(f"{f}: cannot be read: {e}", file=sys.stderr)
            return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
