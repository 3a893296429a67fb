"""Anchor for `dlp bench derive`: the same job in SymPy (derive the flow of
1/2||Z - W_N...W_1||^2 with fully symbolic Z by differentiation, then check that every
C_j = W_{j+1}^T W_{j+1} - W_j W_j^T has zero Lie derivative).

Usage: python3 bench/sympy_anchor.py 4,3,3,1,3,3,4   (needs sympy; prints wall_s=)
Figures measured on this project's CI machine with SymPy 1.14 are in README.md (Performance).
"""
import sys
import time

import sympy as sp


def main(widths):
    n = len(widths) - 1
    start = time.perf_counter()
    W = [None] + [sp.Matrix(widths[j], widths[j - 1], lambda r, c, j=j: sp.Symbol(f"W{j}_{r+1}_{c+1}")) for j in range(1, n + 1)]
    Z = sp.Matrix(widths[n], widths[0], lambda r, c: sp.Symbol(f"Z_{r+1}_{c+1}"))
    P = W[n]
    for j in range(n - 1, 0, -1):
        P = P * W[j]
    E = Z - P
    L = sp.expand(sum(e ** 2 for e in E) / 2)
    flow = {v: -sp.diff(L, v) for j in range(1, n + 1) for v in W[j]}
    ok = True
    for j in range(1, n):
        C = W[j + 1].T * W[j + 1] - W[j] * W[j].T
        for entry in C:
            lie = sum(sp.diff(entry, v) * flow[v] for v in entry.free_symbols if v in flow)
            ok &= sp.expand(lie) == 0
    print(f"bench=sympy widths={','.join(map(str, widths))} wall_s={time.perf_counter() - start:.3f} all_hold={str(ok).lower()}")


if __name__ == "__main__":
    main([int(w) for w in sys.argv[1].split(",")])
