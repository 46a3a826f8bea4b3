"""Pairs of LaTeX answers with SymPy's verdict, for equiv's differential test.

Run by TestDifferentialSympy (differential_test.go): one process per test run,
a fixed seed, JSON lines on stdout: {"family", "a", "b", "equal"}. Each family
builds random expressions in SymPy, prints each in several LaTeX styles
(sympy.latex with options, and hand-written variants), and pairs them with
equal rewrites and with perturbations. "equal" is SymPy's decision (expand or
cancel of the difference for polynomials and rationals, the difference
evaluated to 80 digits for constants, == for matrices and sets), except for
hand-written re-spellings of one SymPy object (an interval as an inequality,
a matrix sum written out beside the matrix SymPy computed), which are equal by
construction.
"""

import json
import random
import sys

import sympy as sp
from sympy import Rational as R

SEED = 20261202
rng = random.Random(SEED)
x = sp.Symbol("x")
out = []


def emit(family, a, b, equal):
    out.append({"family": family, "a": a, "b": b, "equal": bool(equal)})


OPTIONS = [dict(fold_short_frac=True), dict(mul_symbol="dot"), dict(root_notation=False), dict(ln_notation=True),
           dict(mul_symbol="times"), dict(fold_frac_powers=True)]


def styles(e):
    """Several LaTeX spellings of one SymPy expression: sympy.latex, one of its
    options (chosen by the seed), and hand-written variants of its output."""
    base = sp.latex(e)
    forms = [base, sp.latex(e, **rng.choice(OPTIONS)), base.replace(r"\frac", r"\dfrac"),
             base.replace(r"\left", "").replace(r"\right", "")]
    return list(dict.fromkeys(forms))


def plain(e):
    """A hand-written plain-text variant: x**2 + 3*x, sqrt(2)."""
    return sp.sstr(e)


def rand_poly(deg):
    return sum(rng.randint(-6, 6) * x**k for k in range(deg + 1))


def perturb_poly(p):
    return p + rng.choice([-1, 1]) * x ** rng.randint(0, 3)


def pairs_of(family, e, f, decide):
    """Every style of e against a few styles of f, with SymPy's verdict."""
    eq = decide(e, f)
    se, sf = styles(e), styles(f) + [plain(f)]
    for i, a in enumerate(se):
        emit(family, a, sf[i % len(sf)], eq)
        emit(family, sf[(i + 1) % len(sf)], a, eq)


def expand_equal(e, f):
    return sp.expand(e - f) == 0


def cancel_equal(e, f):
    return sp.cancel(sp.together(e - f)) == 0


def const_equal(e, f):
    """Constants: SymPy evaluates the difference to 80 digits (no variables)."""
    d = (e - f).doit()
    if d.free_symbols:
        return sp.simplify(d) == 0
    return abs(sp.N(d, 80)) < sp.Float("1e-60", 80)


# Polynomials: expanded, factored and collected forms; a changed coefficient.
for _ in range(40):
    p = rand_poly(rng.randint(1, 4))
    if p == 0:
        continue
    pairs_of("polynomial", p, sp.factor(p), expand_equal)
    pairs_of("polynomial", sp.expand((x - rng.randint(-4, 4)) * (x + rng.randint(-4, 4))),
             (x - rng.randint(-4, 4)) * (x + rng.randint(-4, 4)), expand_equal)
    pairs_of("polynomial", p, perturb_poly(p), expand_equal)

# Rationals: numbers and rational functions, together/apart/cancel forms.
for _ in range(40):
    a, b = R(rng.randint(-50, 50), rng.randint(1, 30)), R(rng.randint(-50, 50), rng.randint(1, 30))
    pairs_of("rational", sp.Add(a, b, evaluate=False), a + b, const_equal)
    pairs_of("rational", sp.Mul(a, b, evaluate=False), a * b + R(1, rng.randint(2, 9)), const_equal)
    num, den = rand_poly(2), sp.expand((x - rng.randint(1, 5)) * (x + rng.randint(1, 5)))
    if num == 0:
        continue
    f = num / den
    pairs_of("rational", f, sp.apart(f, x), cancel_equal)
    pairs_of("rational", sp.together(f), sp.cancel(f), cancel_equal)
    pairs_of("rational", f, f + 1 / (x + rng.randint(6, 9)), cancel_equal)

def real_power_equal(e, f):
    """x^{2/3} against c \\sqrt[3]{x^2}: SymPy decides for a positive x (for a
    negative x its principal x^{2/3} is complex while the grader takes the real
    root, a stated policy; both agree that the two are one function of x > 0)."""
    p = sp.Symbol("p", positive=True)
    return sp.simplify((e - f).subs(x, p)) == 0


# Radicals: unevaluated roots against SymPy's simplified forms, and nearby values.
for _ in range(40):
    n = rng.choice([8, 12, 18, 20, 27, 32, 45, 48, 50, 72, 75, 98])
    q = rng.choice([2, 2, 3])
    raw = sp.Pow(n, R(1, q), evaluate=False)
    c = rng.randint(1, 5)
    e = sp.Mul(c, raw, evaluate=False)
    pairs_of("radical", e, c * sp.root(n, q), const_equal)
    pairs_of("radical", e, c * sp.root(n + 1, q), const_equal)
    a, b = rng.randint(1, 6), rng.randint(2, 7)
    pairs_of("radical", 1 / (a + sp.sqrt(b)), sp.radsimp(1 / (a + sp.sqrt(b))), const_equal)
    pairs_of("radical", sp.Pow(x, R(2, 3)), sp.root(x**2, 3) * (1 if rng.random() < 0.7 else 2), real_power_equal)

# Trig and logs of rational multiples of pi (and of integers).
for _ in range(40):
    fn = rng.choice([sp.sin, sp.cos, sp.tan])
    k, m = rng.randint(-11, 11), rng.choice([1, 2, 3, 4, 6, 12])
    arg = sp.pi * R(k, m)
    if fn is sp.tan and (R(k, m) - R(1, 2)) % 1 == 0:
        continue
    raw = fn(arg, evaluate=False)
    pairs_of("trig", raw, fn(arg), const_equal)
    pairs_of("trig", raw, fn(arg + sp.pi / rng.choice([3, 4, 6])), const_equal)
    a, b = rng.randint(2, 9), rng.randint(2, 9)
    pairs_of("log", sp.log(a * b, evaluate=False), sp.Add(sp.log(a), sp.log(b), evaluate=False), const_equal)
    pairs_of("log", sp.log(a ** 3, evaluate=False), sp.Mul(3, sp.log(a), evaluate=False), const_equal)
    pairs_of("log", sp.log(a * b + 1, evaluate=False), sp.Add(sp.log(a), sp.log(b), evaluate=False), const_equal)


# Big operators with numeric limits, factorials and binomials: unevaluated
# against SymPy's doit(), and a nearby value.
k = sp.Symbol("k", integer=True)
for _ in range(30):
    lo, hi = rng.randint(0, 4), rng.randint(5, 15)
    body = rng.randint(1, 4) * k ** rng.randint(1, 3) + rng.randint(-5, 5)
    S = sp.Sum(body, (k, lo, hi))
    pairs_of("bigop", S, S.doit(), const_equal)
    pairs_of("bigop", S, S.doit() + rng.choice([-1, 1]), const_equal)
    P = sp.Product(k + rng.randint(0, 3), (k, 1, rng.randint(2, 6)))
    pairs_of("bigop", P, P.doit(), const_equal)
    n, m = rng.randint(5, 20), rng.randint(0, 5)
    pairs_of("bigop", sp.binomial(n, m, evaluate=False), sp.binomial(n, m), const_equal)
    pairs_of("bigop", sp.factorial(m + 3, evaluate=False), sp.factorial(m + 3) + rng.choice([0, 1]), const_equal)

# Matrices: every delimiter style, arithmetic written out, a changed entry.
def mat_styles(M):
    return list(dict.fromkeys([
        sp.latex(M), sp.latex(M, mat_str="pmatrix", mat_delim=""), sp.latex(M, mat_str="bmatrix", mat_delim=""),
        sp.latex(M, mat_delim="("), sp.latex(M, mat_str="array"), sp.latex(M, mat_str="matrix", mat_delim=""),
    ]))


def rand_matrix(r, c):
    return sp.Matrix(r, c, lambda i, j: R(rng.randint(-9, 9), rng.choice([1, 1, 2, 3])))


for _ in range(30):
    r, c = rng.randint(1, 3), rng.randint(1, 3)
    A, B = rand_matrix(r, c), rand_matrix(r, c)
    sa, sb = mat_styles(A), mat_styles(B)
    for i, s in enumerate(sa):
        t = sa[(i + 1) % len(sa)]
        emit("matrix", s, t, A == A)
        P = A.copy()
        P[rng.randrange(r), rng.randrange(c)] += 1
        emit("matrix", s, mat_styles(P)[i % len(mat_styles(P))], A == P)
    k = rng.randint(-4, 4) or 2
    for S, text in [(A + B, f"{sa[0]} + {sb[1]}"), (A - B, f"{sa[1]} - {sb[0]}"), (k * A, f"{k} {sa[2 % len(sa)]}"),
                    (A / k, f"\\frac{{1}}{{{k}}} {sa[0]}")]:
        for s in mat_styles(S)[:3]:
            emit("matrix", s, text, True)
        W = S.copy()
        W[0, 0] += R(1, 2)
        emit("matrix", mat_styles(W)[0], text, W == S)
    if r == c:
        C = rand_matrix(c, c)
        emit("matrix", mat_styles(A * C)[0], f"{sa[0]} {mat_styles(C)[1]}", True)
        emit("matrix", mat_styles(C * A)[0], f"{sa[0]} {mat_styles(C)[1]}", C * A == A * C)


# Intervals and unions: SymPy's printing, inequalities, reordered unions, flipped brackets.
def rand_interval(lo_inf=False, hi_inf=False):
    a = R(rng.randint(-20, 20), rng.choice([1, 1, 2, 3]))
    b = a + R(rng.randint(1, 20), rng.choice([1, 2]))
    lo = -sp.oo if lo_inf else a
    hi = sp.oo if hi_inf else b
    return sp.Interval(lo, hi, rng.random() < 0.5 or lo_inf, rng.random() < 0.5 or hi_inf)


LE = "\\le"


def ineq(I):
    if I.start == -sp.oo and I.end == sp.oo:
        return "x \\in \\mathbb{R}"
    parts = []
    lo, hi = I.start, I.end
    if lo != -sp.oo:
        parts.append(f"{sp.latex(lo)} {'<' if I.left_open else LE} ")
    parts.append("x")
    if hi != sp.oo:
        parts.append(f" {'<' if I.right_open else LE} {sp.latex(hi)}")
    return "".join(parts)


def hand(I):
    return f"{'(' if I.left_open else '['}{sp.latex(I.start)}, {sp.latex(I.end)}{')' if I.right_open else ']'}"


for _ in range(80):
    I = rand_interval(rng.random() < 0.2, rng.random() < 0.2)
    emit("interval", sp.latex(I), hand(I), True)
    emit("interval", sp.latex(I), ineq(I), True)
    F = sp.Interval(I.start, I.end, not I.left_open if I.start != -sp.oo else True, I.right_open)
    emit("interval", sp.latex(I), hand(F), I == F)
    G = sp.Interval(I.start, I.end + 1 if I.end != sp.oo else I.end, I.left_open, I.right_open)
    emit("interval", ineq(I), sp.latex(G), I == G)
    J = rand_interval()
    J = sp.Interval(J.start + 50, J.end + 50, J.left_open, J.right_open)
    U = sp.Union(I, J)
    emit("interval", sp.latex(U), f"{hand(J)} \\cup {hand(I)}", True)
    emit("interval", sp.latex(U), f"{hand(I)} \\cup {hand(F if F != I else G)}", U == sp.Union(I, F if F != I else G))

json.dump(out, sys.stdout)
