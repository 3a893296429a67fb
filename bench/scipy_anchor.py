"""Anchor for `dlp bench simulate`: the same problem file integrated with SciPy's solve_ivp.

Usage: python3 bench/scipy_anchor.py PROBLEM.json [--method DOP853|RK45] [--t-max 200] [--rtol 1e-10] [--atol 1e-12]
Problem files come from `dlp bench make-problem --widths W --seed 1 --out PROBLEM.json`:
{"widths": [...], "target": [[row], ...], "weights": [W_1, ..., W_N]}.
Prints one line with wall_s= (integration only), nfev=, gap= and drift=, like dlp.
Run it with Debian's SciPy (apt-get install -y python3-scipy python3-numpy; SciPy 1.10.1, NumPy 1.24.2,
OpenBLAS) as /usr/bin/python3, with OPENBLAS_NUM_THREADS=1 for a one-core comparison, side by side with
`dlp bench simulate --problem` on the same file (README.md, Numerics).
"""
import argparse
import json
import time

import numpy as np
from scipy.integrate import solve_ivp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("problem")
    ap.add_argument("--method", default="DOP853")
    ap.add_argument("--t-max", type=float, default=200.0)
    ap.add_argument("--rtol", type=float, default=1e-10)
    ap.add_argument("--atol", type=float, default=1e-12)
    args = ap.parse_args()
    prob = json.load(open(args.problem))
    widths = prob["widths"]
    Z = np.array(prob["target"], dtype=float)
    Ws = [np.array(w, dtype=float) for w in prob["weights"]]
    shapes = [w.shape for w in Ws]
    sizes = [w.size for w in Ws]
    n = len(Ws)

    def unpack(y):
        out, k = [], 0
        for shape, size in zip(shapes, sizes):
            out.append(y[k:k + size].reshape(shape))
            k += size
        return out

    def rhs(_t, y):
        W = unpack(y)
        prefix = [np.eye(widths[0])]
        for j in range(n):
            prefix.append(W[j] @ prefix[-1])
        suffix = [np.eye(widths[-1])]
        for j in range(n - 1, -1, -1):
            suffix.insert(0, suffix[0] @ W[j])
        E = Z - prefix[-1]
        grads = [suffix[j + 1].T @ E @ prefix[j].T for j in range(n)]
        return np.concatenate([g.ravel() for g in grads])

    def imbalances(y):
        W = unpack(y)
        return [W[j + 1].T @ W[j + 1] - W[j] @ W[j].T for j in range(n - 1)]

    y0 = np.concatenate([w.ravel() for w in Ws])
    start = time.perf_counter()
    sol = solve_ivp(rhs, (0.0, args.t_max), y0, method=args.method, rtol=args.rtol, atol=args.atol)
    wall = time.perf_counter() - start
    y1 = sol.y[:, -1]
    W = unpack(y1)
    P = W[0]
    for j in range(1, n):
        P = W[j] @ P
    s = np.linalg.svd(Z, compute_uv=False)
    gap = 0.5 * np.sum((Z - P) ** 2) - 0.5 * np.sum(s[1:] ** 2)
    drift = max(np.max(np.abs(a - b)) for a, b in zip(imbalances(y1), imbalances(y0))) if n > 1 else 0.0
    print(f"anchor=scipy method={args.method} widths={','.join(map(str, widths))} wall_s={wall:.4f} nfev={sol.nfev} "
          f"status={sol.status} gap={gap:.3e} drift={drift:.2e}")


if __name__ == "__main__":
    main()
