#!/usr/bin/env python3
"""Fits the polynomial of fast_log.hpp: ln(1 + f) ~ f - f^2/2 + f^3 * P(f) for f = m - 1, m in
[sqrt(1/2), sqrt(2)), P of degree 6, minimising the largest absolute error (Remez exchange with the
weight |f|^3). Prints P's coefficients rounded to float, lowest power first, and the largest error of
the rounded polynomial in exact arithmetic. Needs numpy. Run: python3 fit_log_polynomial.py"""
import numpy as np

LOW, HIGH = np.sqrt(0.5) - 1, np.sqrt(2.0) - 1
TERMS = 7  # coefficients of P
GRID = np.linspace(LOW, HIGH, 400001)


def target(f):
    """(ln(1 + f) - f + f^2/2) / f^3, by its series near 0 where the division cancels."""
    f = np.asarray(f, dtype=np.float64)
    series = sum((-1) ** k * f ** k / (k + 3) for k in range(30))
    direct = (np.log1p(f) - f + f * f / 2) / np.where(f == 0, 1, f) ** 3
    return np.where(np.abs(f) < 0.02, series, direct)


def weighted_error(coefficients, f):
    """ln(1 + f) minus the polynomial, signed."""
    return np.abs(f) ** 3 * (target(f) - np.polyval(coefficients[::-1], f))


def alternating_extrema(error):
    """Index of the largest |error| in each run of equal sign."""
    signs, found, start = np.sign(error), [], 0
    for i in range(1, len(error) + 1):
        if i == len(error) or signs[i] != signs[start]:
            run = np.arange(start, i)
            found.append(run[np.argmax(np.abs(error[run]))])
            start = i
    return found


def remez(iterations=60):
    points = TERMS + 1
    x = (LOW + HIGH) / 2 + (HIGH - LOW) / 2 * np.cos(np.pi * np.arange(points)[::-1] / (points - 1))
    for _ in range(iterations):
        weight = np.abs(x) ** 3
        system = np.column_stack([weight * x ** p for p in range(TERMS)] + [(-1.0) ** np.arange(points)])
        coefficients = np.linalg.solve(system, weight * target(x))[:TERMS]
        error = weighted_error(coefficients, GRID)
        extrema = alternating_extrema(error)
        while len(extrema) > points:  # drop the smaller end extremum
            extrema = extrema[1:] if abs(error[extrema[0]]) < abs(error[extrema[-1]]) else extrema[:-1]
        x = GRID[extrema]
    return coefficients


if __name__ == "__main__":
    rounded = remez().astype(np.float32)
    for c in rounded:
        print(f"{float(c):.9g}f,")
    print("largest |error| of the rounded polynomial:", np.max(np.abs(weighted_error(rounded.astype(np.float64), GRID))))
