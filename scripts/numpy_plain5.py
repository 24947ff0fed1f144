# A vectorised numpy simulation of the benchmark's plain five-stage funnel
# (montecarlo/bench_test.go, plain5Stage): leads enter mql uniformly over
# the quarter and move on with the model's probabilities after lognormal
# delays (days); opportunities close won or lost, and revenue sums the
# lognormal deal sizes of deals won inside the quarter. It is the
# reference for the "at least 10x a vectorised numpy simulation"
# (run: OMP_NUM_THREADS=1 python3 scripts/numpy_plain5.py). It simulates
# only the quarter's own arrivals: no pipeline open at its start.
import time

import numpy as np

rng = np.random.default_rng(1)
Q = 91.0  # days in the quarter
N = 5_000_000  # leads: a thousand quarters of 5,000 MQLs
med = lambda m: np.log(m)
t0 = time.perf_counter()
q = rng.integers(0, N // 5000, N)  # the quarter of each lead
t = rng.random(N) * Q
alive = np.ones(N, bool)
for p, m, s in [(0.5, 2, 0.8), (0.7, 3, 0.8), (0.6, 7, 0.8)]:
    idx = np.flatnonzero(alive)
    keep = rng.random(idx.size) < p
    alive[idx[~keep]] = False
    idx = idx[keep]
    t[idx] += rng.lognormal(med(m), s, idx.size)
opp = np.flatnonzero(alive)
won = rng.random(opp.size) < 0.27
w = opp[won]
close = t[w] + rng.lognormal(med(55), 0.6, w.size)
t[opp[~won]] += rng.lognormal(med(40), 0.8, (~won).sum())
amount = rng.lognormal(med(22000), 0.7, w.size)
inq = close < Q
revenue = np.bincount(q[w[inq]], weights=amount[inq], minlength=N // 5000)
el = time.perf_counter() - t0
print(f"numpy: {N/el/1e6:.1f} M leads/s on one core ({N} leads, {el:.2f} s, mean revenue {revenue.mean():.4g} a quarter)")
