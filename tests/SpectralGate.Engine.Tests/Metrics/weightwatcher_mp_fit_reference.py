"""WeightWatcher's mp_fit numbers for WeightWatcherMpFitTests.cs, by WeightWatcher's own formulas.

The functions below are copied from WeightWatcher commit d6fd015 (weightwatcher/RMT_Util.py: calc_sigma,
marchenko_pastur_fun, quarter_circle_fun, resid_mp, fit_density_with_range; weightwatcher/weightwatcher.py: the arithmetic
of WeightWatcher.mp_fit without its plotting), with scikit-learn's KernelDensity and scipy's optimize.brute as WeightWatcher
calls them. Run with /usr/bin/python3 (numpy 1.24, scipy 1.10, scikit-learn 1.2, Debian packages); the test commits only
the printed numbers. The spectra are elementary formulas that the test rebuilds in C#.
"""
import warnings
import numpy as np
from scipy import optimize
from sklearn.neighbors import KernelDensity


def calc_sigma(Q, evals):
    lmax = np.max(evals)
    inv_sqQ = 1.0 / np.sqrt(Q)
    sigma_2 = lmax / np.square(1 + inv_sqQ)
    sigma = np.sqrt(sigma_2)
    return sigma


def marchenko_pastur_fun(x, Q, sigma=1):
    y = 1 / Q
    b = np.power(sigma * (1 + np.sqrt(1 / Q)), 2)
    a = np.power(sigma * (1 - np.sqrt(1 / Q)), 2)
    with warnings.catch_warnings():
        warnings.simplefilter(action='ignore', category=RuntimeWarning)
        val = np.nan_to_num((1 / (2 * np.pi * sigma * sigma * x * y)) * np.sqrt((b - x) * (x - a)))
    return x, val, a, b


def quarter_circle_fun(x, sigma=1):
    with warnings.catch_warnings():
        warnings.simplefilter(action='ignore', category=RuntimeWarning)
        val = np.nan_to_num((1 / (np.pi * sigma * sigma)) * np.sqrt(4 - x ** 2))
    return x, val


def resid_mp(p, evals, Q, bw, allresid=True, num_spikes=0, debug=False):
    sigma = p
    kde = KernelDensity(kernel='linear', bandwidth=bw).fit(evals.reshape(-1, 1))
    xde = np.linspace(0, np.max(evals) + 0.5, 1000)
    X_plot = xde[:, np.newaxis]
    log_dens = kde.score_samples(X_plot)
    yde = np.exp(log_dens)
    THRESH = 0.01
    bad_ids = np.where(np.array(yde) < THRESH)[0]
    good_ids = np.where(np.array(yde) > THRESH)[0]
    xde = np.array(xde)[good_ids]
    yde = np.array(yde)[good_ids]
    if Q == 1:
        xmp, ymp = quarter_circle_fun(xde, sigma=sigma)
        resid = ymp - yde
    else:
        xmp, ymp, a, b = marchenko_pastur_fun(xde, Q=Q, sigma=sigma)
        if (b < xde[np.where(yde == max(yde))][0]) | (b > max(xde)) | (a > xde[np.where(yde == max(yde))][0]):
            resid = np.zeros(len(yde)) + 1000
        else:
            resid = ymp - yde
    bad_zeros = np.zeros(len(bad_ids))
    resid = np.concatenate((resid, bad_zeros))
    if allresid:
        return resid
    else:
        return np.sum(resid ** 2)


def fit_density_with_range(evals, Q, bw=0.1, sigma_range=(slice(0.1, 1.25, 0.01),)):
    sigma_scaling_factor = calc_sigma(Q, evals)
    sigma_range = (slice(0.05 * sigma_scaling_factor, 2.0 * sigma_scaling_factor, 0.01 * sigma_scaling_factor),)
    if Q == 1:
        to_fit = np.sqrt(evals)
    else:
        to_fit = evals
    brute_output = optimize.brute(resid_mp, sigma_range, args=(to_fit, Q, bw, False), full_output=True)
    return brute_output[0][0], brute_output[1]


def mp_fit(evals, N, M):
    """WeightWatcher.mp_fit with rescale=True and no plots: num_spikes, sigma_mp, mp_softrank, bulk_max."""
    Q = N / M
    to_plot = evals.copy()
    Wnorm = np.sqrt(np.sum(evals))
    Wscale = np.sqrt(to_plot.shape[0]) / Wnorm
    to_plot = (Wscale * Wscale) * to_plot
    lambda_max = np.max(to_plot)
    s1, f1 = fit_density_with_range(to_plot, Q, bw=0.1)
    bulk_max = (s1 * (1 + 1 / np.sqrt(Q))) ** 2
    TW = 1 / np.sqrt(Q) * np.power(bulk_max, 2 / 3) * np.power(M, -2 / 3)
    bulk_max_TW = bulk_max + np.sqrt(TW)
    num_spikes = len(to_plot[to_plot > bulk_max_TW])
    mp_softrank = bulk_max / lambda_max
    return num_spikes, s1, mp_softrank, bulk_max / (Wscale * Wscale)


def spectrum(n, m, count, lo, hi, outliers, scale):
    """The test's spectrum: count·M − len(outliers) eigenvalues λ/N = lo + (hi − lo)(1 − cos πt)/2, t = (k + ½)/bulk, then the outliers."""
    bulk = count * m - len(outliers)
    values = [n * scale * (lo + (hi - lo) * (1 - np.cos(np.pi * (k + 0.5) / bulk)) / 2) for k in range(bulk)]
    values += [n * scale * o for o in outliers]
    return np.sort(np.array(values))


CASES = {
    "rectangular": (2000, 500, 1, 0.25, 2.25, [2.4, 2.6, 4.0, 7.5], 0.37),
    "square": (400, 400, 1, 0.0, 4.0, [4.5, 6.0, 10.0], 2.3),
    "pooled": (64, 32, 9, (1 - 0.5 ** 0.5) ** 2, (1 + 0.5 ** 0.5) ** 2, [4.0, 6.5], 1.0),
}

for name, (n, m, count, lo, hi, outliers, scale) in CASES.items():
    spikes, sigma, softrank, bulk_max = mp_fit(spectrum(n, m, count, lo, hi, outliers, scale), n, m)
    print(f"{name}: num_spikes={spikes} sigma_mp={sigma!r} mp_softrank={softrank!r} bulk_max={bulk_max!r}")
